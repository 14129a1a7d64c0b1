import { z } from 'zod';
import { DB_ID_MAX } from '../../../shared/contracts/common.js';
import { loadConfig, type Config } from '../../config.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { suggestEmergency } from '../../../shared/domain/emergency.js';
import { protectText } from '../../security/free-text.js';
import { hasRole, type Actor } from '../auth/actor.js';
import { isCentrePartner } from '../channels/machine-auth.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AbuseService } from '../intake/abuse.service.js';
import { resolveRequester } from '../intake/requesters.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import type { TicketService } from '../tickets/tickets.service.js';
import * as repo from '../tickets/tickets.repository.js';
import {
  attributesFor,
  checkAttributes,
  DEFAULT_REGION,
  DEFAULT_REQUEST_TYPE,
  presentAttribute,
  type AttributeInput,
} from './open311.definitions.js';
import { Open311Error, parseW3cDate } from './open311.format.js';
import { DEFAULT_WINDOW_DAYS, findRequests, findUpdates } from './open311.queries.js';
import { readJson } from '../../db/json.js';

export interface Open311Options {
  /** The one jurisdiction this endpoint serves; a request naming another gets 404 (GeoReport v2). */
  jurisdiction: string;
  /** The endpoint URL discovery announces; null: the URL the request came in on. */
  baseUrl: string | null;
}

export function open311Options(
  cfg: Pick<Config, 'OPEN311_JURISDICTION' | 'OPEN311_BASE_URL'> = loadConfig(),
): Open311Options {
  return { jurisdiction: cfg.OPEN311_JURISDICTION, baseUrl: cfg.OPEN311_BASE_URL ?? null };
}

const coord = (field: string, limit: number) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: `${field} 必须是数字` })
      .min(-limit, `${field} 超出范围`)
      .max(limit, `${field} 超出范围`)
      .optional(),
  );
const opt = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
const postRequestSchema = z.object({
  service_code: z.string({ error: 'service_code 必须填写' }).trim().min(1, 'service_code 必须填写').max(50),
  lat: coord('lat', 90),
  long: coord('long', 180),
  address_string: opt(500),
  address_id: opt(100),
  email: z
    .email('email 格式不正确')
    .max(254)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  device_id: opt(100),
  account_id: opt(100),
  first_name: opt(50),
  last_name: opt(50),
  phone: z
    .string()
    .trim()
    .max(30)
    .regex(/^[\d\s+()-]*$/, 'phone 格式不正确')
    .optional(),
  description: z
    .string({ error: 'description 必须填写' })
    .trim()
    .min(5, 'description 至少 5 个字')
    .max(4000, 'description 不能超过 4000 字'),
  media_url: z
    .url({ protocol: /^https?$/, error: 'media_url 必须是 http(s) 地址' })
    .max(1000)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
const postUpdateSchema = z.object({
  service_request_id: z
    .string({ error: 'service_request_id 必须填写' })
    .trim()
    .min(1, 'service_request_id 必须填写')
    .max(40),
  update_id: opt(100),
  description: z.string({ error: 'description 必须填写' }).trim().min(1, 'description 必须填写').max(4000),
  status: opt(40),
  updated_datetime: opt(40),
  first_name: opt(50),
  last_name: opt(50),
  phone: opt(30),
  media_url: z
    .url({ protocol: /^https?$/, error: 'media_url 必须是 http(s) 地址' })
    .max(1000)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  throw new Open311Error(400, issue.message.includes(field) || !field ? issue.message : `${field}：${issue.message}`);
}

/** GeoReport v2 over the hotline: services are categories, a request becomes a contact and a ticket. */
export class Open311Service {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
    private readonly auth: AuthService,
    private readonly abuse: AbuseService,
    readonly options: Open311Options,
  ) {}

  checkJurisdiction(id: string | undefined) {
    if (id !== undefined && id.trim() !== '' && id.trim() !== this.options.jurisdiction)
      throw new Open311Error(404, `jurisdiction_id 不存在：${id}`);
  }

  /** POSTs need an api_key issued to a partner system (POST /api/auth/tokens for the 'partner' user). */
  async partner(apiKey: string | undefined): Promise<Actor> {
    if (!apiKey) throw new Open311Error(403, 'api_key 未提供');
    const actor = await this.auth.actorFromApiToken(apiKey);
    if (!actor) throw new Open311Error(403, 'api_key 无效或已吊销');
    if (!hasRole(actor, 'partner')) throw new Open311Error(403, '该 api_key 不属于 Open311 对接系统');
    if (!(await isCentrePartner(this.deps.db, actor)))
      throw new Open311Error(403, '该 api_key 属于承办单位的对接系统，不能提交诉求');
    return actor;
  }

  /** Active leaf categories, each with its parent as group. */
  async services() {
    const rows = await this.leafCategories();
    return rows.map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: c.group ? `${c.group} - ${c.name}` : c.name,
      metadata: attributesFor(c.code, []).length > 0,
      type: 'realtime',
      keywords: [c.group, c.name].filter(Boolean).join(', '),
      group: c.group ?? '',
    }));
  }

  async definition(serviceCode: string) {
    const [category] = await this.leafCategories(serviceCode);
    if (!category) throw new Open311Error(404, `service_code 不存在：${serviceCode}`);
    const defs = attributesFor(category.code, await this.regions());
    return { service_code: category.code, attributes: defs.map((a, i) => presentAttribute(a, i + 1)) };
  }

  async requests(q: {
    service_request_id?: string;
    service_code?: string;
    status?: string;
    start_date?: string;
    end_date?: string;
  }) {
    const list = (s: string | undefined) =>
      s
        ? s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined;
    if (q.service_request_id !== undefined)
      return findRequests(this.deps.db, this.deps.cipher, {
        numbers: (list(q.service_request_id) ?? []).map((n) => n.toUpperCase()),
      });
    const statuses = list(q.status);
    if (statuses?.some((s) => s !== 'open' && s !== 'closed'))
      throw new Open311Error(400, 'status 只能是 open 或 closed');
    let start = q.start_date ? parseW3cDate(q.start_date, 'start_date') : undefined;
    const end = q.end_date ? parseW3cDate(q.end_date, 'end_date') : undefined;
    if (start && end && start > end) throw new Open311Error(400, 'start_date 不能晚于 end_date');
    // With no date range only the past 90 days are returned (GeoReport v2).
    if (!start && !end) start = new Date(this.deps.clock.now().getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
    return findRequests(this.deps.db, this.deps.cipher, {
      serviceCodes: list(q.service_code),
      statuses: statuses as Array<'open' | 'closed'>,
      start,
      end,
    });
  }

  async request(number: string) {
    const rows = await findRequests(this.deps.db, this.deps.cipher, { numbers: [number.toUpperCase()] });
    if (!rows.length) throw new Open311Error(404, `service_request_id 不存在：${number}`);
    return rows;
  }

  /** The token handed out at POST is the contact id; it resolves to the ticket number. */
  async token(token: string) {
    // a number beyond the id column is no contact of ours (and would overflow the query)
    const id = /^\d{1,10}$/.test(token) && Number(token) > 0 && Number(token) <= DB_ID_MAX ? Number(token) : null;
    const row =
      id === null
        ? undefined
        : await this.deps.db
            .selectFrom('contacts')
            .innerJoin('tickets', 'tickets.id', 'contacts.ticket_id')
            .select('tickets.number')
            .where('contacts.id', '=', id)
            .where('contacts.channel', '=', 'open311')
            .executeTakeFirst();
    if (!row) throw new Open311Error(404, `token 不存在：${token}`);
    return [{ service_request_id: row.number, token }];
  }

  async updates(q: { start_date?: string; end_date?: string }) {
    const now = this.deps.clock.now();
    const end = q.end_date ? parseW3cDate(q.end_date, 'end_date') : now;
    const start = q.start_date
      ? parseW3cDate(q.start_date, 'start_date')
      : new Date(end.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
    if (start > end) throw new Open311Error(400, 'start_date 不能晚于 end_date');
    return findUpdates(this.deps.db, start, end);
  }

  /**
   * POST requests: one transaction writes the contact (channel open311, already disposed as dispatched), the
   * requester, the ticket waiting for dispatch and its first event, so a refusal leaves no row behind. A
   * client id (attribute[external_id], or FixMyStreet's attribute[fixmystreet_id]) makes a resend a no-op.
   */
  async createRequest(actor: Actor, body: Record<string, unknown>, attrs: AttributeInput) {
    const input = parse(postRequestSchema, body);
    if ((input.lat === undefined) !== (input.long === undefined)) throw new Open311Error(400, 'lat 和 long 须同时提供');
    if (input.lat === undefined && !input.address_string && !input.address_id)
      throw new Open311Error(400, '须提供位置：lat/long、address_string 或 address_id 之一');
    const [category] = await this.leafCategories(input.service_code);
    // GeoReport v2 POST Service Request: "404 - service_code or jurisdiction_id provided were not found"
    if (!category) throw new Open311Error(404, `service_code 不存在：${input.service_code}`);
    const regions = await this.regions();
    const checked = checkAttributes(attributesFor(category.code, regions), attrs);
    const regionCode = String(checked.values.region ?? DEFAULT_REGION);
    const requestType = (checked.values.request_type ?? DEFAULT_REQUEST_TYPE) as typeof DEFAULT_REQUEST_TYPE;
    const clientId = firstOf(attrs.external_id) ?? firstOf(attrs.fixmystreet_id);
    const externalId = clientId ? `u${actor.userId}:request:${clientId.slice(0, 100)}` : null;
    const details = Object.entries(checked.lines)
      .filter(([code]) => code !== 'region' && code !== 'request_type')
      .map(([, line]) => line);
    const content = [input.description, ...details].join('\n');
    const emergency = suggestEmergency(content);
    const { db, clock, cipher } = this.deps;
    const now = clock.now();

    const result = await db.transaction().execute(async (trx) => {
      const existing = externalId ? await this.byExternalId(trx, externalId) : undefined;
      if (existing) return existing;
      const name = [input.last_name, input.first_name].filter(Boolean).join('') || null;
      const requesterId = await resolveRequester(trx, cipher, { name, phone: input.phone || null }, now);
      const clientIdentity =
        input.email || input.device_id || input.account_id
          ? cipher.encrypt(
              JSON.stringify({ email: input.email, deviceId: input.device_id, accountId: input.account_id }),
            )
          : null;
      const text = protectText(cipher, content, { names: [name] });
      const contact = await trx
        .insertInto('contacts')
        .values({
          channel: 'open311',
          external_id: externalId,
          received_at: now,
          requester_id: requesterId,
          content: text.text,
          content_enc: text.enc,
          meta: JSON.stringify({
            open311: {
              serviceCode: category.code,
              attributes: checked.values,
              lat: input.lat ?? null,
              long: input.long ?? null,
              addressId: input.address_id ?? null,
              mediaUrl: input.media_url ?? null,
              clientIdentityEnc: clientIdentity,
            },
          }),
          agent_id: null,
          centre_unit_id: actor.unitId,
          emergency_suggestion: emergency?.line ?? null,
          status: 'disposed',
          disposition: 'dispatched',
          disposition_data: JSON.stringify({ via: 'open311' }),
          disposed_at: now,
          disposed_by: actor.userId,
        })
        .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!contact) return (await this.byExternalId(trx, externalId!))!; // a concurrent resend won the race
      const title = `${category.name}：${input.description.replace(/\s+/g, ' ').slice(0, 40)}`;
      const ticket = await this.tickets.createInTrx(trx, actor, {
        requestType,
        categoryId: category.id,
        urgency: 'normal',
        regionCode,
        address: input.address_string ?? null,
        title,
        content,
        channel: 'open311',
        requesterId,
        requesterName: name,
        contactId: contact.id,
      });
      // createInTrx has no position; the new row is still only visible to this transaction.
      if (input.lat !== undefined)
        await trx
          .updateTable('tickets')
          .set({ lat: input.lat, long: input.long! })
          .where('id', '=', ticket.id)
          .execute();
      await trx.updateTable('contacts').set({ ticket_id: ticket.id }).where('id', '=', contact.id).execute();
      if (requesterId) await this.abuse.checkRepeatedContacts(trx, requesterId, contact.id, text.text, now);
      return { number: ticket.number, token: contact.id, trackingCode: ticket.trackingCode };
    });
    const notice = [
      `诉求已受理，工单号${result.number}${result.trackingCode ? `，查询码${result.trackingCode}，可凭工单号和查询码查询办理进度和结果` : ''}。`,
    ];
    if (emergency) notice.push(`如情况紧急，请立即拨打${emergency.line}。`);
    // GeoReport v2: a token is for deferred creation ("either service_request_id or token will be returned"); the
    // ticket number is known at once here, so the answer carries service_request_id and no token.
    return [{ service_request_id: result.number, service_notice: notice.join(''), account_id: null }];
  }

  /**
   * FixMyStreet's POST servicerequestupdates: a follow-up from the requester is a new contact on the ticket
   * (disposition 'repeat', like a repeat call) and a 'repeat_contact' event the handling staff see. It never
   * changes the ticket's status: only the handling steps do. update_id makes a resend a no-op.
   */
  async postUpdate(actor: Actor, body: Record<string, unknown>) {
    const input = parse(postUpdateSchema, body);
    if (input.updated_datetime) parseW3cDate(input.updated_datetime, 'updated_datetime');
    const { db, clock, cipher } = this.deps;
    const found = await db
      .selectFrom('tickets')
      .select(['id', 'merged_into_id'])
      .where('number', '=', input.service_request_id.toUpperCase())
      .where('channel', '=', 'open311')
      .where('created_by', '=', actor.userId)
      .executeTakeFirst();
    if (!found) throw new Open311Error(404, `service_request_id 不存在：${input.service_request_id}`);
    const externalId = input.update_id ? `u${actor.userId}:update:${input.update_id}` : null;
    const now = clock.now();
    const eventId = await db.transaction().execute(async (trx) => {
      const prior = externalId ? await this.priorUpdate(trx, externalId) : undefined;
      if (prior !== undefined) return prior;
      const ticketId = found.merged_into_id ?? found.id;
      const name = [input.last_name, input.first_name].filter(Boolean).join('') || null;
      const requesterId = await resolveRequester(trx, cipher, { name, phone: input.phone ?? null }, now);
      const text = protectText(cipher, input.description, { names: [name] });
      const contact = await trx
        .insertInto('contacts')
        .values({
          channel: 'open311',
          external_id: externalId,
          received_at: now,
          requester_id: requesterId,
          content: text.text,
          content_enc: text.enc,
          meta: JSON.stringify({
            open311: { update: true, clientStatus: input.status ?? null, mediaUrl: input.media_url ?? null },
          }),
          agent_id: null,
          centre_unit_id: actor.unitId,
          emergency_suggestion: suggestEmergency(input.description)?.line ?? null,
          status: 'disposed',
          disposition: 'repeat',
          disposed_at: now,
          disposed_by: actor.userId,
          ticket_id: ticketId,
        })
        .onConflict((oc) => oc.columns(['channel', 'external_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!contact) return (await this.priorUpdate(trx, externalId!))!; // a concurrent resend won the race and has committed
      if (requesterId) {
        await trx
          .insertInto('ticket_requesters')
          .values({ ticket_id: ticketId, requester_id: requesterId, contact_id: contact.id, added_at: now })
          .onConflict((oc) => oc.columns(['ticket_id', 'requester_id']).doNothing())
          .execute();
      }
      const event = await repo.insertEvent(trx, {
        ticket_id: ticketId,
        kind: 'repeat_contact',
        at: now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        data: { contactId: contact.id, channel: 'open311', clientStatus: input.status ?? null },
        request_id: actor.requestId ?? null,
      });
      await trx
        .updateTable('contacts')
        .set({ disposition_data: JSON.stringify({ via: 'open311', eventId: event.id }) })
        .where('id', '=', contact.id)
        .execute();
      return event.id;
    });
    return [{ update_id: String(eventId) }];
  }

  private async priorUpdate(trx: Transaction<DB>, externalId: string): Promise<number | undefined> {
    const row = await trx
      .selectFrom('contacts')
      .select('disposition_data')
      .where('channel', '=', 'open311')
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    const data = readJson<{ eventId?: number } | null | undefined>(row?.disposition_data);
    return data?.eventId;
  }

  private async byExternalId(trx: Transaction<DB>, externalId: string) {
    const row = await trx
      .selectFrom('contacts')
      .innerJoin('tickets', 'tickets.id', 'contacts.ticket_id')
      .select(['contacts.id', 'tickets.number'])
      .where('contacts.channel', '=', 'open311')
      .where('contacts.external_id', '=', externalId)
      .executeTakeFirst();
    return row ? { number: row.number, token: row.id, trackingCode: null } : undefined;
  }

  private leafCategories(code?: string) {
    let q = this.deps.db
      .selectFrom('categories as c')
      .leftJoin('categories as p', 'p.id', 'c.parent_id')
      .select(['c.id', 'c.code', 'c.name', 'p.name as group'])
      .where('c.active', '=', true)
      .where((eb) => eb.or([eb('p.id', 'is', null), eb('p.active', '=', true)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('categories as k')
              .select('k.id')
              .whereRef('k.parent_id', '=', 'c.id')
              .where('k.active', '=', true),
          ),
        ),
      );
    if (code !== undefined) q = q.where('c.code', '=', code);
    return q.orderBy('c.code').execute();
  }

  private async regions() {
    const rows = await this.deps.db
      .selectFrom('regions as r')
      .leftJoin('regions as p', 'p.code', 'r.parent_code')
      .select(['r.code', 'r.name', 'r.level', 'p.name as parent'])
      .where('r.level', '<=', 3)
      .orderBy('r.code')
      .execute();
    return rows.map((r) => ({ code: r.code, name: r.level === 3 && r.parent ? `${r.parent}${r.name}` : r.name }));
  }
}

const firstOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
