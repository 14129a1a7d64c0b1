import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../src/server/db/schema.js';
import { regionPrefix } from '../src/server/modules/auth/actor.js';
import { searchTokens } from '../src/server/domain/text-tokens.js';
import { CATEGORIES } from '../src/server/seed/heze-categories.js';
import { REGIONS, UNITS, USERS } from '../src/server/seed/heze-organisation.js';
import type { SeedIds } from '../src/server/seed/seed.js';
import type { TextCorpus } from './ticket-texts.js';

// Bulk loader: N realistic tickets written straight with SQL (INSERT … SELECT over generate_series), with
// their lead/assist assignments, deadlines and event history. Same SQL on PGlite and PostgreSQL.
// Bulk tickets are numbered HZB000000001…, never clashing with the API's HZyyyymmdd-nnnnnn; they have no
// requester and no address (PII encryption is exercised by the HTTP half of the benchmark). As the API
// does, a pending ticket's due_at is its creation time and its search words are written (as the vector from
// migration 0053 on, as text before); tracking codes, contacts and the SMS outbox are left empty.

/** Share of each status among bulk tickets: a year of history, most of it closed. */
export const STATUS_MIX: Array<[string, number]> = [
  ['pending_dispatch', 0.01],
  ['dispatched', 0.03],
  ['in_progress', 0.08],
  ['replied', 0.04],
  ['closed', 0.84],
];

/** Lead-unit skew in per mille: a county government and two city bureaus take half of all tickets. */
export const UNIT_WEIGHTS: Record<string, number> = {
  'gov-md': 220,
  cgj: 110,
  zjj: 90,
  water: 60,
  power: 50,
  'jd-dc': 50,
  'gov-cx': 50,
  rsj: 40,
  sthjj: 40,
  gas: 30,
  heat: 25,
  telecom: 25,
  scjgj: 25,
  jtysj: 20,
  gaj: 20,
  'jd-xc': 15,
  'jd-nc': 15,
  'jd-bc': 15,
  'gov-dt': 15,
  'gov-sx': 15,
  'gov-cw': 10,
  'gov-jy': 10,
  'gov-yc': 10,
  'gov-jc': 10,
  'gov-dm': 10,
  jyj: 10,
  wjw: 10,
  nyncj: 5,
  zrzyj: 5,
  'jd-nj': 5,
};
/** Assisting units, each on every 12th ticket (≈8 %), active while the lead works, then submitted. */
const ASSIST_UNITS = ['cgj', 'zjj', 'sthjj'];

export interface LoadResult {
  inserted: number;
  tickets: number;
  events: number;
  deadlines: number;
  assignments: number;
  seconds: number;
  analyzeSeconds: number;
}

const SLOTS = 1000;

async function insertRows(db: Kysely<DB>, table: string, columns: string[], rows: unknown[][], chunk = 400) {
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows.slice(i, i + chunk).map((r) => sql`(${sql.join(r.map((v) => sql`${v}`))})`);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(values)}`.execute(
      db,
    );
  }
}

const count = async (db: Kysely<DB>, q: RawBuilder<{ n: number }>) => Number((await q.execute(db)).rows[0]?.n ?? 0);

export class TicketGenerator {
  private nextNumber = 1;
  private nTexts = 0;
  private nReplies = 0;
  /**
   * Where a ticket's search words go, by the schema's age (a bench may run an older commit): none before migration
   * 0002; from 0002 the text column search_tokens, its vector generated; from 0053 the vector alone, written with
   * the ticket.
   */
  private searchWords: 'none' | 'text' | 'vector' = 'none';

  constructor(
    private readonly db: Kysely<DB>,
    private readonly ids: SeedIds,
    private readonly corpus: TextCorpus,
  ) {}

  /** Helper tables the bulk SQL joins against: texts, weighted unit slots, regions per unit, leaf categories. */
  async prepare(): Promise<void> {
    const { db, ids, corpus } = this;
    await sql`CREATE TABLE IF NOT EXISTS bench_texts (i int PRIMARY KEY, title text NOT NULL, content text NOT NULL, tokens text)`.execute(
      db,
    );
    const has = async (column: string) =>
      (await count(
        db,
        sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = ${column}`,
      )) > 0;
    this.searchWords = (await has('search_tokens')) ? 'text' : (await has('search_vector')) ? 'vector' : 'none';
    await sql`CREATE TABLE IF NOT EXISTS bench_replies (i int PRIMARY KEY, reply text NOT NULL)`.execute(db);
    await sql`CREATE TABLE IF NOT EXISTS bench_slots (slot int PRIMARY KEY, unit_id int NOT NULL, rtc boolean NOT NULL, handler_id int, n_regions int NOT NULL)`.execute(
      db,
    );
    await sql`CREATE TABLE IF NOT EXISTS bench_unit_regions (unit_id int, i int, code text, PRIMARY KEY (unit_id, i))`.execute(
      db,
    );
    await sql`CREATE TABLE IF NOT EXISTS bench_cats (i int PRIMARY KEY, id int NOT NULL)`.execute(db);
    this.nTexts = await count(db, sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_texts`);
    if (this.nTexts === 0) {
      await insertRows(
        db,
        'bench_texts',
        ['i', 'title', 'content', 'tokens'],
        corpus.messages.map((m, i) => [
          i,
          m.title,
          m.content,
          this.searchWords !== 'none' ? searchTokens(m.title, m.content) : null,
        ]),
      );
      await insertRows(
        db,
        'bench_replies',
        ['i', 'reply'],
        corpus.replies.map((r, i) => [i, r]),
      );
      const unitRegions = new Map<number, string[]>();
      for (const u of UNITS) {
        const prefixes = u.regions.map(regionPrefix);
        unitRegions.set(
          ids.units[u.code]!,
          REGIONS.filter((r) => prefixes.some((p) => r.code.startsWith(p))).map((r) => r.code),
        );
      }
      await insertRows(
        db,
        'bench_unit_regions',
        ['unit_id', 'i', 'code'],
        [...unitRegions].flatMap(([id, codes]) => codes.map((c, i) => [id, i, c])),
      );
      const total = Object.values(UNIT_WEIGHTS).reduce((a, b) => a + b, 0);
      const slots: unknown[][] = [];
      let acc = 0;
      for (const [code, w] of Object.entries(UNIT_WEIGHTS)) {
        const unit = UNITS.find((u) => u.code === code)!;
        const handler = USERS.find((u) => u.unit === code && u.roles.includes('handler'));
        const end = Math.round(((acc += w) / total) * SLOTS);
        for (let s = slots.length; s < end; s++)
          slots.push([
            s,
            ids.units[code]!,
            unit.is24x7 ?? false,
            handler ? ids.users[handler.username]! : null,
            unitRegions.get(ids.units[code]!)!.length,
          ]);
      }
      await insertRows(db, 'bench_slots', ['slot', 'unit_id', 'rtc', 'handler_id', 'n_regions'], slots);
      const leaves = CATEGORIES.flatMap((c) => c.children.map((ch) => ids.categories[ch.code]!));
      await insertRows(
        db,
        'bench_cats',
        ['i', 'id'],
        leaves.map((id, i) => [i, id]),
      );
      this.nTexts = corpus.messages.length;
    }
    this.nReplies = await count(db, sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_replies`);
    this.nextNumber =
      1 + (await count(db, sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets WHERE number LIKE 'HZB%'`));
  }

  /**
   * Adds bulk tickets until the table holds `target` tickets (API-created ones included), then ANALYZE.
   * Indexes stay in place: with the tickets_search GIN index (0002) a load costs about three times as
   * much, and dropping and rebuilding that index was measured to save nothing.
   */
  async loadTo(
    target: number,
    now: Date,
    batchSize = 20_000,
    onProgress?: (done: number, total: number) => void,
  ): Promise<LoadResult> {
    const { db } = this;
    const started = performance.now();
    const existing = await count(db, sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`);
    const toInsert = Math.max(0, target - existing);
    const before = await this.totals();
    for (let done = 0; done < toInsert; done += batchSize) {
      const n = Math.min(batchSize, toInsert - done);
      await db.transaction().execute(async (trx) => this.batch(trx, this.nextNumber, this.nextNumber + n - 1, now));
      this.nextNumber += n;
      onProgress?.(done + n, toInsert);
    }
    const analyzeStart = performance.now();
    await sql`ANALYZE`.execute(db);
    const after = await this.totals();
    return {
      inserted: toInsert,
      tickets: after.tickets,
      events: after.events - before.events,
      deadlines: after.deadlines - before.deadlines,
      assignments: after.assignments - before.assignments,
      seconds: (analyzeStart - started) / 1000,
      analyzeSeconds: (performance.now() - analyzeStart) / 1000,
    };
  }

  private async totals() {
    const r = await sql<{ tickets: number; events: number; deadlines: number; assignments: number }>`
      SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM ticket_events)::int AS events,
             (SELECT count(*) FROM deadlines)::int AS deadlines, (SELECT count(*) FROM ticket_assignments)::int AS assignments`.execute(
      this.db,
    );
    return r.rows[0]!;
  }

  private async batch(trx: Kysely<DB>, from: number, to: number, now: Date): Promise<void> {
    const { ids } = this;
    const centre = ids.units.centre!;
    const agent = ids.users.agent!;
    const dispatcher = ids.users.dispatcher!;
    const callbackAgent = ids.users.callback!;
    let edge = 0;
    const statusCase = sql.join(
      STATUS_MIX.map(([s, p]) => sql`WHEN r_status < ${sql.lit((edge += p))} THEN ${sql.lit(s)}`),
      sql` `,
    );

    // Derived rows read the new tickets from the INSERT's RETURNING (one statement, no re-scan of a table
    // whose statistics are stale mid-load): lead assignment, every 12th an assisting unit, events, deadlines.
    const lead = sql`
      INSERT INTO ticket_assignments (ticket_id, unit_id, role, status, dispatched_at, accepted_at)
      SELECT t.id, t.lead_unit_id, 'lead', 'active', t.dispatched_at, t.accepted_at FROM ins t WHERE t.lead_unit_id IS NOT NULL`;
    const assistIds = sql.join(ASSIST_UNITS.map((c) => sql`${ids.units[c]!}::int`));
    const assist = sql`
      INSERT INTO ticket_assignments (ticket_id, unit_id, role, status, dispatched_at, accepted_at, result, submitted_at)
      SELECT t.id, (ARRAY[${assistIds}])[1 + (t.id / 12) % ${ASSIST_UNITS.length}], 'assist', CASE WHEN done THEN 'submitted' ELSE 'active' END,
             t.dispatched_at, t.dispatched_at + interval '2 hours', CASE WHEN done THEN '已按职责完成协办事项，结果已反馈主办单位。' END,
             CASE WHEN done THEN t.dispatched_at + interval '2 days' END
      FROM ins t CROSS JOIN LATERAL (SELECT t.status IN ('replied', 'closed') AS done) x
      WHERE t.lead_unit_id IS NOT NULL AND t.id % 12 = 0
        AND t.lead_unit_id <> (ARRAY[${assistIds}])[1 + (t.id / 12) % ${ASSIST_UNITS.length}]`;

    const events = sql`
      INSERT INTO ticket_events (ticket_id, kind, at, actor_user_id, actor_unit_id, from_status, to_status, data)
      SELECT t.id, e.kind, e.at, e.actor, e.unit, e.from_s, e.to_s, e.data
      FROM ins t LEFT JOIN (SELECT DISTINCT unit_id, handler_id FROM bench_slots) u ON u.unit_id = t.lead_unit_id
      CROSS JOIN LATERAL (VALUES
        ('created', t.created_at, ${agent}::int, ${centre}::int, NULL, 'pending_dispatch', jsonb_build_object('number', t.number, 'channel', t.channel)),
        ('dispatched', t.dispatched_at, ${dispatcher}::int, ${centre}::int, 'pending_dispatch', 'dispatched',
          jsonb_build_object('leadUnitId', t.lead_unit_id, 'assistUnitIds', '[]'::jsonb, 'explanation', '按派单目录派单', 'acceptDue', t.dispatched_at + interval '1 day')),
        ('accepted', t.accepted_at, u.handler_id, t.lead_unit_id, 'dispatched', 'in_progress', jsonb_build_object('firstContactDue', t.accepted_at + interval '1 day')),
        ('requester_contacted', t.first_contact_at, u.handler_id, t.lead_unit_id, 'in_progress', 'in_progress',
          jsonb_build_object('method', 'phone', 'reached', true, 'note', '已电话联系诉求人，了解具体情况')),
        ('replied', t.replied_at, u.handler_id, t.lead_unit_id, 'in_progress', 'replied', jsonb_build_object('result', t.reply_result, 'solved', coalesce(t.resolved, true))),
        ('closed', t.closed_at, ${callbackAgent}::int, ${centre}::int, 'replied', 'closed', jsonb_build_object('satisfaction', t.satisfaction, 'resolved', t.resolved))
      ) AS e(kind, at, actor, unit, from_s, to_s, data)
      WHERE e.at IS NOT NULL`;

    const deadlines = sql`
      INSERT INTO deadlines (ticket_id, unit_id, kind, starts_at, due_at, warn_at, warned_at, breached_at, met_at)
      SELECT t.id, d.unit, d.kind, d.starts, d.due, d.due - (d.due - d.starts) / 4,
             CASE WHEN d.due - (d.due - d.starts) / 4 < coalesce(d.met, ${now}::timestamptz) THEN d.due - (d.due - d.starts) / 4 END,
             CASE WHEN d.due < coalesce(d.met, ${now}::timestamptz) THEN d.due END, d.met
      FROM ins t LEFT JOIN (SELECT DISTINCT unit_id, rtc AS unit_rtc FROM bench_slots) u ON u.unit_id = t.lead_unit_id
      CROSS JOIN LATERAL (SELECT t.urgency = 'urgent' OR coalesce(u.unit_rtc, false) AS rtc) r
      CROSS JOIN LATERAL (VALUES
        ('accept', t.lead_unit_id, t.dispatched_at, t.dispatched_at + CASE WHEN r.rtc THEN interval '1 hour' ELSE interval '1 day' END, t.accepted_at),
        ('reply', t.lead_unit_id, t.dispatched_at, t.dispatched_at + CASE WHEN r.rtc THEN interval '24 hours' ELSE interval '7 days' END, t.replied_at),
        ('first_contact', t.lead_unit_id, t.accepted_at, t.accepted_at + CASE WHEN r.rtc THEN interval '2 hours' ELSE interval '1 day' END, t.first_contact_at),
        ('callback', ${centre}::int, t.replied_at, t.replied_at + interval '3 days', t.closed_at)
      ) AS d(kind, unit, starts, due, met)
      WHERE d.starts IS NOT NULL`;

    // Durations between steps: dispatch 0.5–4 h, accept 10 min–24 h, first contact 1–30 h, reply 1–8 days,
    // callback 4–60 h. Creation times are chosen so every step already lies in the past, open tickets are
    // recent and closed ones spread over the past year. Deadlines follow the default limits in clock time.
    await sql`
      WITH s AS (
        SELECT g, random() AS r_status, random() AS r_unit, random() AS r_cat, random() AS r_reg, random() AS r_type, random() AS r_ch,
               random() AS r_age, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e, random() AS f
        FROM generate_series(${from}::bigint, ${to}::bigint) AS g
      ), p AS (
        SELECT s.*, CASE ${statusCase} ELSE 'closed' END AS status, f < 0.05 AS urgent,
               make_interval(mins => (30 + a * 210)::int) AS d1, make_interval(mins => (10 + b * 1430)::int) AS d2,
               make_interval(mins => (60 + c * 1740)::int) AS d3, make_interval(mins => (1440 + d * 10080)::int) AS d4,
               make_interval(mins => (240 + e * 3360)::int) AS d5
        FROM s
      ), t AS (
        SELECT p.*, ${now}::timestamptz - CASE status
          WHEN 'pending_dispatch' THEN make_interval(mins => (r_age * 360)::int)
          WHEN 'dispatched' THEN d1 + make_interval(mins => (r_age * 2880)::int)
          WHEN 'in_progress' THEN d1 + d2 + d3 + make_interval(mins => (r_age * 14400)::int)
          WHEN 'replied' THEN d1 + d2 + d3 + d4 + make_interval(mins => (r_age * 4320)::int)
          ELSE d1 + d2 + d3 + d4 + d5 + make_interval(mins => (r_age * 500000)::int) END AS created
        FROM p
      ), q AS (
        SELECT t.*, u.unit_id, u.rtc OR t.urgent AS rtc, ur.code AS region_code, x.title, x.content, x.tokens, rp.reply, cat.id AS category_id,
          CASE WHEN status <> 'pending_dispatch' THEN created + d1 END AS dispatched_at,
          CASE WHEN status IN ('in_progress', 'replied', 'closed') THEN created + d1 + d2 END AS accepted_at,
          CASE WHEN status IN ('replied', 'closed') OR (status = 'in_progress' AND e < 0.7) THEN created + d1 + d2 + d3 END AS first_contact_at,
          CASE WHEN status IN ('replied', 'closed') THEN created + d1 + d2 + d3 + d4 END AS replied_at,
          CASE WHEN status = 'closed' THEN created + d1 + d2 + d3 + d4 + d5 END AS closed_at
        FROM t
        JOIN bench_slots u ON u.slot = floor(t.r_unit * ${SLOTS})::int
        JOIN bench_unit_regions ur ON ur.unit_id = u.unit_id AND ur.i = floor(t.r_reg * u.n_regions)::int
        JOIN bench_texts x ON x.i = (t.g % ${this.nTexts})::int
        JOIN bench_replies rp ON rp.i = (t.g % ${this.nReplies})::int
        JOIN bench_cats cat ON cat.i = floor(t.r_cat * (SELECT count(*) FROM bench_cats))::int
      ), ins AS (
      INSERT INTO tickets (number, request_type, category_id, urgency, region_code, title, content, status, version, centre_unit_id,
        lead_unit_id, channel, created_by, created_at, updated_at, dispatched_at, accepted_at, first_contact_at, replied_at, closed_at,
        due_at, return_until, reply_result, satisfaction, resolved${this.searchWords === 'text' ? sql`, search_tokens` : this.searchWords === 'vector' ? sql`, search_vector` : sql``})
      SELECT 'HZB' || lpad(g::text, 9, '0'),
        CASE WHEN r_type < 0.35 THEN 'complaint' WHEN r_type < 0.65 THEN 'help' WHEN r_type < 0.85 THEN 'consult'
             WHEN r_type < 0.93 THEN 'report' WHEN r_type < 0.98 THEN 'suggestion' ELSE 'praise' END,
        category_id, CASE WHEN urgent THEN 'urgent' ELSE 'normal' END, region_code, title, content, status,
        CASE status WHEN 'pending_dispatch' THEN 1 WHEN 'dispatched' THEN 2 WHEN 'in_progress' THEN 3 + (first_contact_at IS NOT NULL)::int
             WHEN 'replied' THEN 5 ELSE 6 END,
        ${centre}::int, CASE WHEN status <> 'pending_dispatch' THEN unit_id END,
        CASE WHEN r_ch < 0.70 THEN 'phone' WHEN r_ch < 0.82 THEN 'wechat' WHEN r_ch < 0.92 THEN 'web' WHEN r_ch < 0.97 THEN 'sms' ELSE 'api' END,
        ${agent}::int, created, greatest(created, dispatched_at, accepted_at, first_contact_at, replied_at, closed_at),
        dispatched_at, accepted_at, first_contact_at, replied_at, closed_at,
        CASE status WHEN 'pending_dispatch' THEN created WHEN 'dispatched' THEN dispatched_at + CASE WHEN rtc THEN interval '1 hour' ELSE interval '1 day' END
                    WHEN 'in_progress' THEN dispatched_at + CASE WHEN rtc THEN interval '24 hours' ELSE interval '7 days' END
                    WHEN 'replied' THEN replied_at + interval '3 days' END,
        dispatched_at + CASE WHEN rtc THEN interval '2 hours' ELSE interval '2 days' END,
        CASE WHEN replied_at IS NOT NULL THEN reply END,
        CASE WHEN status = 'closed' THEN CASE WHEN f < 0.75 THEN 'satisfied' WHEN f < 0.92 THEN 'basically_satisfied' ELSE 'unsatisfied' END END,
        CASE WHEN status = 'closed' THEN f < 0.85 END${this.searchWords === 'text' ? sql`, tokens` : this.searchWords === 'vector' ? sql`, to_tsvector('simple', coalesce(tokens, ''))` : sql``}
      FROM q
      RETURNING id, number, status, urgency, channel, lead_unit_id, created_at, dispatched_at, accepted_at, first_contact_at, replied_at,
        closed_at, reply_result, satisfaction, resolved
      ), lead AS (${lead}), assist AS (${assist}), events AS (${events}), deadlines AS (${deadlines})
      SELECT count(*)::int AS n FROM ins`.execute(trx);
  }
}
