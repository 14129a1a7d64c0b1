import { sql, type Kysely } from 'kysely';
import type { Channel, DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { suggestEmergency } from '../../../shared/domain/emergency.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { protectText } from '../../security/free-text.js';
import { readJson } from '../../db/json.js';
import { contactAttachments } from './attachments.query.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { requireRole, type Actor } from '../auth/actor.js';
import {
  assertRequesterVisible,
  canViewContact,
  inboxScope,
  loadVisibleContact,
  visibleContacts,
} from './contacts.policy.js';
import { canViewTicket, identityWithheld } from '../tickets/tickets.policy.js';
import { newStorageKey, sniffAttachment, type AttachmentStorage } from './attachment-storage.js';
import { inRegions, raisedOrJoinedBy } from '../tickets/tickets.repository.js';
import { resolveRequester, type RequesterIdentity } from './requesters.repository.js';
import type { AbuseService } from './abuse.service.js';
import { AccessLogService } from '../sharing/access-log.service.js';

export interface IntakeDeps {
  db: Kysely<DB>;
  clock: Clock;
  cipher: PiiCipher;
  storage: AttachmentStorage;
}

export interface IncomingFile {
  data: Buffer;
  name?: string | null;
}

export interface RecordContactInput {
  channel: Channel;
  /** The channel's own message id (SMS id, WeChat MsgId, call id…): redelivery of the same id is a no-op. */
  externalId?: string | null;
  receivedAt?: Date;
  requester?: RequesterIdentity | null;
  content: string;
  meta?: Record<string, unknown>;
  files?: IncomingFile[];
  agentId?: number | null;
  centreUnitId?: number | null;
  /** 第九条: the 查询码 given to the sender now (portal messages); only its keyed hash is stored */
  trackingCode?: string;
}

export interface RecordedContact {
  id: number;
  duplicate: boolean;
  requesterId: number | null;
  emergency: ReturnType<typeof suggestEmergency>;
}

// Every inbound contact is one row, stored before anything else can fail (第十二条: 全面准确记录).
export class ContactService {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly abuse: AbuseService,
  ) {}

  async record(input: RecordContactInput): Promise<RecordedContact> {
    const { db, clock, cipher, storage } = this.deps;
    const now = clock.now();
    // Sniff and size-check every file before the transaction: a bad file refuses the whole contact.
    const files = await Promise.all(
      (input.files ?? []).map(async (f) => ({ ...f, sniffed: await sniffAttachment(f.data, f.name) })),
    );
    const written: string[] = [];
    try {
      const result = await db.transaction().execute(async (trx) => {
        if (input.externalId) {
          const existing = await trx
            .selectFrom('contacts')
            .select(['id', 'requester_id', 'emergency_suggestion'])
            .where('channel', '=', input.channel)
            .where('external_id', '=', input.externalId)
            .executeTakeFirst();
          if (existing)
            return {
              id: existing.id,
              duplicate: true,
              requesterId: existing.requester_id,
              emergency: suggestEmergency(input.content),
            };
        }
        const requesterId = await resolveRequester(trx, cipher, input.requester, now);
        const emergency = suggestEmergency(input.content);
        const text = protectText(cipher, input.content, { names: [input.requester?.name] });
        const inserted = await trx
          .insertInto('contacts')
          .values({
            channel: input.channel,
            external_id: input.externalId ?? null,
            received_at: input.receivedAt ?? now,
            requester_id: requesterId,
            content: text.text,
            content_enc: text.enc,
            meta: JSON.stringify(input.meta ?? {}),
            agent_id: input.agentId ?? null,
            centre_unit_id: input.centreUnitId ?? null,
            emergency_suggestion: emergency?.line ?? null,
            ...(input.trackingCode
              ? {
                  tracking_code_hash: cipher.keyedHash('tracking', input.trackingCode),
                  tracking_key_version: cipher.currentVersion,
                }
              : {}),
          })
          .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        // A concurrent delivery of the same message won the race: roll back (so a requester created here
        // does not linger) and answer with the winner's row below.
        if (!inserted) throw new LostRace();
        for (const f of files) {
          const key = newStorageKey(now, f.sniffed.ext);
          await storage.put(key, f.data);
          written.push(key);
          await trx
            .insertInto('attachments')
            .values({
              contact_id: inserted.id,
              kind: f.sniffed.kind,
              mime: f.sniffed.mime,
              size: f.sniffed.size,
              sha256: f.sniffed.sha256,
              storage_key: key,
              original_name: f.name ?? null,
              created_at: now,
            })
            .execute();
        }
        if (requesterId) await this.abuse.checkRepeatedContacts(trx, requesterId, inserted.id, text.text, now);
        return { id: inserted.id, duplicate: false, requesterId, emergency };
      });
      return result;
    } catch (err) {
      // the rows rolled back; do not leave their files behind
      await Promise.all(written.map((k) => storage.delete(k).catch(() => undefined)));
      if (err instanceof LostRace) {
        const other = await db
          .selectFrom('contacts')
          .select(['id', 'requester_id', 'emergency_suggestion'])
          .where('channel', '=', input.channel)
          .where('external_id', '=', input.externalId!)
          .executeTakeFirstOrThrow();
        return {
          id: other.id,
          duplicate: true,
          requesterId: other.requester_id,
          emergency: suggestEmergency(input.content),
        };
      }
      throw err;
    }
  }

  /** What an agent needs while the phone rings: who it is, their earlier contacts and tickets (第十条). */
  async screenPop(actor: Actor, contactId: number) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor');
    const { db, cipher } = this.deps;
    await loadVisibleContact(db, actor, contactId);
    const contact = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
    const requester = contact.requester_id
      ? await db.selectFrom('requesters').selectAll().where('id', '=', contact.requester_id).executeTakeFirst()
      : undefined;
    const [[history, flags], attachments] = await Promise.all([
      contact.requester_id
        ? Promise.all([
            this.history(db, contact.requester_id, contactId, actor),
            this.openFlags(db, contact.requester_id),
          ])
        : Promise.resolve([{ contacts: [], tickets: [] }, []] as const),
      contactAttachments(db, contactId),
    ]);
    return {
      // textMasked: numbers in the words are masked (第六条); the audited reveal shows the original
      contact: { ...presentContact(contact), attachments, textMasked: contact.content_enc !== null },
      requester: requester
        ? {
            id: requester.id,
            name: maskName(cipher.decrypt(requester.name_enc)),
            phone: maskPhone(cipher.decrypt(requester.phone_enc)),
            masked: true,
          }
        : null,
      history,
      flags,
      emergencySuggestion: suggestEmergency(contact.content),
    };
  }

  /**
   * A requester's earlier contacts and tickets. With an actor, only what that actor may see (第三十条): the
   * contacts of its centre (or centres below it) and the tickets of its regions.
   */
  async history(db: Kysely<DB>, requesterId: number, excludeContactId?: number, actor?: Actor) {
    let cq = db
      .selectFrom('contacts')
      .select(['id', 'channel', 'received_at', 'content', 'disposition', 'disposition_data', 'ticket_id'])
      .where('requester_id', '=', requesterId);
    if (excludeContactId) cq = cq.where('id', '!=', excludeContactId);
    let tq = db
      .selectFrom('tickets')
      .select(['id', 'number', 'title', 'status', 'created_at', 'merged_into_id'])
      .where(raisedOrJoinedBy(requesterId));
    if (actor) {
      cq = cq.where(await visibleContacts(db, actor));
      tq = tq.where(inRegions(actor.regionPrefixes));
    }
    const [contacts, tickets] = await Promise.all([
      cq.orderBy('received_at', 'desc').limit(20).execute(),
      tq.orderBy('created_at', 'desc').limit(20).execute(),
    ]);
    return {
      contacts: contacts.map((c) => ({
        id: c.id,
        channel: c.channel,
        receivedAt: c.received_at,
        content: c.content.slice(0, 200),
        disposition: c.disposition,
        ticketId: c.ticket_id,
        // an answer to the survey of a reply notice (第十七条), closed by the system rather than an agent
        surveyAnswer: !!readJson<{ smsSurvey?: unknown } | null>(c.disposition_data)?.smsSurvey,
      })),
      tickets: tickets.map((t) => ({
        id: t.id,
        number: t.number,
        title: t.title,
        status: t.status,
        statusLabel: STATUS_LABELS[t.status],
        createdAt: t.created_at,
        mergedIntoId: t.merged_into_id,
      })),
    };
  }

  private openFlags(db: Kysely<DB>, requesterId: number) {
    return db
      .selectFrom('requester_flags')
      .select(['id', 'kind', 'detail', 'status', 'created_at'])
      .where('requester_id', '=', requesterId)
      .where('status', '!=', 'dismissed')
      .orderBy('id', 'desc')
      .limit(10)
      .execute();
  }

  /**
   * 第六、三十条: the clear personal data of a contact for an agent whose work needs it — the caller's name and
   * number, the address a form gave, the words before numbers in them were masked — written to the access audit.
   * Once the contact has a ticket, only those who may see the ticket may reveal it.
   */
  async reveal(actor: Actor, contactId: number, purpose: string) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor', 'callback_agent');
    const { db, cipher, clock } = this.deps;
    await loadVisibleContact(db, actor, contactId);
    const contact = await db
      .selectFrom('contacts')
      .select(['id', 'requester_id', 'ticket_id', 'content_enc', 'meta', 'centre_unit_id'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    const requester = contact.requester_id
      ? await db
          .selectFrom('requesters')
          .select(['name_enc', 'phone_enc'])
          .where('id', '=', contact.requester_id)
          .executeTakeFirst()
      : undefined;
    const meta = readJson<{ addressEnc?: string } | null>(contact.meta);
    const clear = {
      name: cipher.decrypt(requester?.name_enc ?? null),
      phone: cipher.decrypt(requester?.phone_enc ?? null),
      address: cipher.decrypt(meta?.addressEnc ?? null),
      originalMessage: cipher.decrypt(contact.content_enc),
    };
    const fields = [
      ...(requester ? ['name', 'phone'] : []),
      ...(clear.address ? ['address'] : []),
      ...(clear.originalMessage ? ['message'] : []),
    ];
    await db
      .insertInto('pii_access_log')
      .values({
        user_id: actor.userId,
        contact_id: contact.id,
        ticket_id: contact.ticket_id,
        requester_id: contact.requester_id,
        fields,
        purpose,
        at: clock.now(),
        request_id: actor.requestId ?? null,
      })
      .execute();
    // 第三十条第二款: also in the chained access log (beside pii_access_log)
    await new AccessLogService(db, clock).recordPerson(actor, {
      kind: 'reveal',
      ticketIds: contact.ticket_id ? [contact.ticket_id] : [],
      filter: { fields, purpose, target: 'contact', contactId: contact.id },
      rowCount: 1,
      content: JSON.stringify(clear),
    });
    return clear;
  }

  /**
   * The agent's inbox of contacts not yet disposed: 第十三条(一) whatever reads like an emergency first (a fire typed on
   * the portal must not wait behind a morning's messages), then oldest first; keyset on (not urgent, received_at, id).
   * Undisposed contacts are few at any time (the partial index contacts_new holds only them), so the order by an
   * expression sorts a small set.
   */
  async inbox(actor: Actor, q: { after?: number; limit: number }) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor');
    // A contact belongs to the centre whose line or channel received it; messages no centre was named for
    // reached the city centre (contacts.policy.ts).
    let query = this.deps.db
      .selectFrom('contacts')
      .selectAll()
      .where('status', '=', 'new')
      .where(await inboxScope(this.deps.db, actor));
    const routine = sql<boolean>`(emergency_suggestion IS NULL)`;
    if (q.after) {
      const last = await this.deps.db
        .selectFrom('contacts')
        .select(['received_at', 'id', 'emergency_suggestion'])
        .where('id', '=', q.after)
        .executeTakeFirst();
      if (last)
        query = query.where(
          sql<boolean>`(${routine}, received_at, id) > (${last.emergency_suggestion === null}, ${last.received_at}, ${last.id})`,
        );
    }
    const rows = await query
      .orderBy(routine)
      .orderBy('received_at')
      .orderBy('id')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit);
    return { items: items.map(presentContact), next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  /** Attachment bytes, only for someone allowed to see the contact's or ticket's content. */
  async attachment(actor: Actor, id: number) {
    const { db, storage } = this.deps;
    const a = await db
      .selectFrom('attachments')
      .leftJoin('contacts', 'contacts.id', 'attachments.contact_id')
      .select([
        'attachments.id',
        'attachments.mime',
        'attachments.storage_key',
        'attachments.original_name',
        'attachments.ticket_id',
        'attachments.contact_id',
        'contacts.ticket_id as contact_ticket_id',
        'contacts.centre_unit_id',
      ])
      .where('attachments.id', '=', id)
      .executeTakeFirst();
    if (!a || !(await this.attachmentVisible(actor, a))) throw new AppError('not_found', '附件不存在或无权查看');
    return { mime: a.mime, name: a.original_name, data: await storage.get(a.storage_key) };
  }

  /**
   * Centre staff who may see the contact it came with, or anyone who may see its ticket — except the unit a
   * 举报 is about: what the requester sent is theirs, not the unit's (第三十三条).
   */
  private async attachmentVisible(
    actor: Actor,
    a: {
      ticket_id: number | null;
      contact_id: number | null;
      contact_ticket_id: number | null;
      centre_unit_id: number | null;
    },
  ) {
    const { db } = this.deps;
    if (
      a.contact_id !== null &&
      (await canViewContact(db, actor, {
        id: a.contact_id,
        centre_unit_id: a.centre_unit_id,
        ticket_id: a.contact_ticket_id,
      }))
    )
      return true;
    const ticketId = a.ticket_id ?? a.contact_ticket_id;
    if (ticketId === null) return false;
    const t = await db
      .selectFrom('tickets')
      .select(['id', 'region_code', 'request_type', 'reported_unit_id'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    return !!t && !identityWithheld(actor, t) && (await canViewTicket(db, actor, t));
  }

  /** A requester's history for the route: 404 unless the actor may see one of their contacts or tickets. */
  async requesterHistory(actor: Actor, requesterId: number) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor');
    await assertRequesterVisible(this.deps.db, actor, requesterId);
    return this.history(this.deps.db, requesterId, undefined, actor);
  }
}

export function presentContact(c: {
  id: number;
  channel: string;
  external_id: string | null;
  received_at: Date;
  requester_id: number | null;
  content: string;
  meta: unknown;
  status: string;
  disposition: string | null;
  disposition_data: unknown;
  reply_text: string | null;
  ticket_id: number | null;
  emergency_suggestion: string | null;
}) {
  return {
    id: c.id,
    channel: c.channel,
    externalId: c.external_id,
    receivedAt: c.received_at,
    requesterId: c.requester_id,
    content: c.content,
    meta: publicMeta(c.meta),
    status: c.status,
    disposition: c.disposition,
    dispositionData: c.disposition_data,
    replyText: c.reply_text,
    ticketId: c.ticket_id,
    emergencySuggestion: c.emergency_suggestion,
  };
}

/** Contact meta without encrypted fields (keys ending in "Enc"/"_enc"): those are only for audited reveals. */
function publicMeta(meta: unknown): unknown {
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return meta;
  return Object.fromEntries(
    Object.entries(meta as Record<string, unknown>)
      .filter(([k]) => !/(_enc|Enc)$/.test(k))
      .map(([k, v]) => [k, publicMeta(v)]),
  );
}

class LostRace extends Error {}
