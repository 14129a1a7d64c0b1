import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { maskPiiInText } from '../../domain/pii-text.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { DEADLINE_KIND_LABELS } from '../../../shared/domain/deadline-state.js';
import {
  COMPLAINT_FINDING_LABELS,
  COMPLAINT_STATUS_LABELS,
  conductLabel,
  REFERRAL_STATUS_LABELS,
} from '../../../shared/domain/referrals.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import {
  APPLICATION_STATUS_LABELS,
  EVALUATION_VIA_LABELS,
  EVENT_KIND_LABELS,
  SATISFACTION_LABELS,
} from '../../../shared/domain/ticket-labels.js';

/** Events per ticket in a pack: a ticket's whole life is far fewer; a runaway one stays a readable document. */
const MAX_EVENTS = 500;
/** The unit's own record: its latest complaints and referrals. */
const UNIT_RECORD_ROWS = 20;

const clean = (s: string | null | undefined): string => (s ? maskPiiInText(s).text : '');

export interface EvidenceTicket {
  id: number;
  number: string;
  title: string;
  content: string;
  status: string;
  createdAt: Date;
  leadUnitName: string | null;
  /** 第六条: masked; the discipline body gets the clear values through the audited reveal, never from the pack */
  requester: { name: string | null; phone: string | null } | null;
  timeline: Array<{ at: Date; label: string; unitName: string | null; actorName: string | null; reason: string }>;
  returns: Array<ApplicationRow>;
  disputes: Array<ApplicationRow>;
  extensions: Array<ApplicationRow & { requestedDays: number | null }>;
  breaches: Array<{ kind: string; dueAt: Date; breachedAt: Date; unitName: string | null; metAt: Date | null }>;
  callbacks: Array<{ at: Date; satisfaction: string; resolved: boolean; outcome: string; note: string }>;
  evaluations: Array<{ at: Date; satisfaction: string; via: string; comment: string }>;
}
interface ApplicationRow {
  at: Date;
  unitName: string | null;
  reason: string;
  status: string;
  reviewNote: string;
  decidedAt: Date | null;
}
export interface EvidencePack {
  generatedAt: Date;
  referral: {
    id: number;
    subject: string;
    unitName: string;
    staff: string | null;
    conducts: string[];
    facts: string;
    bodyName: string;
    status: string;
    transferredAt: Date;
    centreName: string;
  };
  tickets: EvidenceTicket[];
  /** null when supervision (0026) is not installed: the section then says 无 */
  supervisionCases: Array<{
    number: string;
    trigger: string;
    status: string;
    unitName: string | null;
    reason: string;
    createdAt: Date;
    dueAt: Date | null;
    answer: string;
    decision: string;
  }> | null;
  unitRecord: {
    complaints: Array<{ id: number; at: Date; status: string; finding: string; content: string }>;
    referrals: Array<{ id: number; at: Date; status: string; conducts: string[] }>;
  };
}

/**
 * 第二十三条: the evidence a referral hands over, assembled from the history of its tickets and of the unit: every
 * event, the returns, disputes and extensions applied for (with the centre's decisions), the deadlines missed, the
 * callbacks and evaluations, the supervision cases about those tickets, and the unit's other complaints and referrals.
 * Requesters' names and phones are masked, numbers inside free text too (第六条). The caller has checked access.
 */
export async function assembleEvidencePack(
  db: Kysely<DB>,
  cipher: PiiCipher,
  referralId: number,
  now: Date,
): Promise<EvidencePack> {
  const r = await db
    .selectFrom('referrals as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('units as c', 'c.id', 'r.centre_unit_id')
    .selectAll('r')
    .select(['u.name as unit_name', 'c.name as centre_name'])
    .where('r.id', '=', referralId)
    .executeTakeFirstOrThrow();
  const links = await db
    .selectFrom('referral_tickets')
    .select('ticket_id')
    .where('referral_id', '=', referralId)
    .execute();
  const ids = links.map((l) => l.ticket_id).sort((a, b) => a - b);
  const tickets = await Promise.all(ids.map((id) => ticketEvidence(db, cipher, id)));
  const [supervisionCases, complaints, referrals] = await Promise.all([
    supervisionCasesOf(db, ids),
    db
      .selectFrom('staff_complaints')
      .select(['id', 'created_at', 'status', 'finding', 'content'])
      .where('against_unit_id', '=', r.unit_id)
      .orderBy('id', 'desc')
      .limit(UNIT_RECORD_ROWS)
      .execute(),
    db
      .selectFrom('referrals')
      .select(['id', 'transferred_at', 'status', 'conducts'])
      .where('unit_id', '=', r.unit_id)
      .where('id', '<>', referralId)
      .orderBy('id', 'desc')
      .limit(UNIT_RECORD_ROWS)
      .execute(),
  ]);
  return {
    generatedAt: now,
    referral: {
      id: r.id,
      subject: r.subject_kind === 'staff' ? `工作人员（${r.staff}）` : '单位',
      unitName: r.unit_name,
      staff: r.staff,
      conducts: r.conducts.map(conductLabel),
      facts: clean(r.facts),
      bodyName: r.body_name,
      status: REFERRAL_STATUS_LABELS[r.status],
      transferredAt: r.transferred_at,
      centreName: r.centre_name,
    },
    tickets,
    supervisionCases,
    unitRecord: {
      complaints: complaints.map((c) => ({
        id: c.id,
        at: c.created_at,
        status: COMPLAINT_STATUS_LABELS[c.status],
        finding: c.finding ? COMPLAINT_FINDING_LABELS[c.finding] : '—',
        content: clean(c.content),
      })),
      referrals: referrals.map((x) => ({
        id: x.id,
        at: x.transferred_at,
        status: REFERRAL_STATUS_LABELS[x.status],
        conducts: x.conducts.map(conductLabel),
      })),
    },
  };
}

async function ticketEvidence(db: Kysely<DB>, cipher: PiiCipher, id: number): Promise<EvidenceTicket> {
  const t = await db
    .selectFrom('tickets as t')
    .leftJoin('units as u', 'u.id', 't.lead_unit_id')
    .leftJoin('requesters as q', 'q.id', 't.requester_id')
    .select([
      't.id',
      't.number',
      't.title',
      't.content',
      't.status',
      't.created_at',
      'u.name as lead_unit_name',
      'q.id as requester_id',
      'q.name_enc',
      'q.phone_enc',
    ])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
  const [events, applications, deadlines, callbacks, evaluations] = await Promise.all([
    db
      .selectFrom('ticket_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_user_id')
      .leftJoin('units as n', 'n.id', 'e.actor_unit_id')
      .select(['e.kind', 'e.at', 'e.reason', 'u.display_name as actor_name', 'n.name as unit_name'])
      .where('e.ticket_id', '=', id)
      .orderBy('e.id')
      .limit(MAX_EVENTS)
      .execute(),
    db
      .selectFrom('applications as a')
      .leftJoin('units as u', 'u.id', 'a.unit_id')
      .select([
        'a.kind',
        'a.created_at',
        'a.reason',
        'a.status',
        'a.review_note',
        'a.decided_at',
        'a.requested_days',
        'u.name as unit_name',
      ])
      .where('a.ticket_id', '=', id)
      .orderBy('a.id')
      .execute(),
    db
      .selectFrom('deadlines as d')
      .leftJoin('units as u', 'u.id', 'd.unit_id')
      .select(['d.kind', 'd.due_at', 'd.breached_at', 'd.met_at', 'u.name as unit_name'])
      .where('d.ticket_id', '=', id)
      .where('d.breached_at', 'is not', null)
      .orderBy('d.id')
      .execute(),
    db.selectFrom('callbacks').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
    db.selectFrom('evaluations').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
  ]);
  const app = (a: (typeof applications)[number]): ApplicationRow => ({
    at: a.created_at,
    unitName: a.unit_name,
    reason: clean(a.reason),
    status: APPLICATION_STATUS_LABELS[a.status] ?? a.status,
    reviewNote: clean(a.review_note),
    decidedAt: a.decided_at,
  });
  const decrypt = (v: string | null) => (v ? cipher.decrypt(v) : null);
  return {
    id: t.id,
    number: t.number,
    title: clean(t.title),
    content: clean(t.content),
    status: STATUS_LABELS[t.status],
    createdAt: t.created_at,
    leadUnitName: t.lead_unit_name,
    requester:
      t.requester_id === null ? null : { name: maskName(decrypt(t.name_enc)), phone: maskPhone(decrypt(t.phone_enc)) },
    timeline: events.map((e) => ({
      at: e.at,
      label: EVENT_KIND_LABELS[e.kind] ?? e.kind,
      unitName: e.unit_name,
      actorName: e.actor_name,
      reason: clean(e.reason),
    })),
    returns: applications.filter((a) => a.kind === 'return').map(app),
    disputes: applications.filter((a) => a.kind === 'dispute').map(app),
    extensions: applications
      .filter((a) => a.kind === 'extension')
      .map((a) => ({ ...app(a), requestedDays: a.requested_days })),
    breaches: deadlines.map((d) => ({
      kind: DEADLINE_KIND_LABELS[d.kind] ?? d.kind,
      dueAt: d.due_at,
      breachedAt: d.breached_at!,
      metAt: d.met_at,
      unitName: d.unit_name,
    })),
    callbacks: callbacks.map((c) => ({
      at: c.at,
      satisfaction: SATISFACTION_LABELS[c.satisfaction] ?? c.satisfaction,
      resolved: c.resolved,
      outcome: c.outcome === 'rework' ? '退回重办' : '办结',
      note: clean(c.note),
    })),
    evaluations: evaluations.map((v) => ({
      at: v.at,
      satisfaction: SATISFACTION_LABELS[v.satisfaction] ?? v.satisfaction,
      via: EVALUATION_VIA_LABELS[v.via] ?? v.via,
      comment: clean(v.comment),
    })),
  };
}

const CASE_TRIGGER: Record<string, string> = {
  refusal: '推诿拒收（第二十二条第一项）',
  overdue: '超期办理（第二十二条第二项）',
  repeated: '重复或集体诉求未解决（第二十二条第三项）',
  knowledge: '知识库未及时更新（第二十二条第四项）',
  negative: '造成负面影响（第二十二条第五项）',
  other: '其他（第二十二条第六项）',
};
const CASE_STATUS: Record<string, string> = {
  proposed: '待确认',
  open: '督办中',
  answered: '单位已答复',
  escalated: '已提级',
  closed: '已办结',
  dismissed: '已撤销',
};
const CASE_DECISION: Record<string, string> = {
  close: '办结',
  supervise_again: '再次督办',
  escalate: '提级督办',
  dismiss: '撤销',
};

/**
 * 第二十二条 supervision cases about these tickets. They live in migration 0026 (supervision), built beside this
 * module: read by name, so a database without it (or a change of its columns) gives 无 instead of failing the pack.
 */
async function supervisionCasesOf(db: Kysely<DB>, ticketIds: number[]): Promise<EvidencePack['supervisionCases']> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('supervision_case_tickets')::text AS t`.execute(db);
  if (!exists.rows[0]?.t) return null;
  if (ticketIds.length === 0) return [];
  try {
    const rows = await sql<{
      number: string;
      trigger: string;
      status: string;
      unit_name: string | null;
      reason: string;
      created_at: Date;
      due_at: Date | null;
      answer: string | null;
      decision: string | null;
    }>`
      SELECT DISTINCT c.id, c.number, c.trigger, c.status, u.name AS unit_name, c.reason, c.created_at, c.due_at,
             c.answer, c.decision
      FROM supervision_case_tickets ct
      JOIN supervision_cases c ON c.id = ct.case_id
      LEFT JOIN units u ON u.id = c.unit_id
      WHERE ct.ticket_id IN (${sql.join(ticketIds)})
      ORDER BY c.id
      LIMIT 200`.execute(db);
    return rows.rows.map((c) => ({
      number: c.number,
      trigger: CASE_TRIGGER[c.trigger] ?? c.trigger,
      status: CASE_STATUS[c.status] ?? c.status,
      unitName: c.unit_name,
      reason: clean(c.reason),
      createdAt: c.created_at,
      dueAt: c.due_at,
      answer: clean(c.answer),
      decision: c.decision ? (CASE_DECISION[c.decision] ?? c.decision) : '—',
    }));
  } catch {
    return null;
  }
}
