import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, TicketsTable, UnitKind, Urgency } from '../db/schema.js';
import type { TimeLimit } from '../domain/deadline.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { resolveDispatch } from '../domain/dispatch-catalogue.js';
import { searchTokens } from '../domain/text-tokens.js';
import { categoryChain, loadCatalogueRules, regionChain } from '../modules/config/config.repository.js';
import { DeadlinePlanner } from '../modules/tickets/deadline-planner.js';
import { searchVectorOf } from '../modules/tickets/tickets.repository.js';
import { seededRng, simulateLife, type Fate, type Life, type Rng } from './history-lifecycle.js';
import {
  CLUSTERS,
  GIVEN,
  ASIDE_LINKS,
  CLOSINGS,
  LONG_RUNNING,
  MATTERS,
  MIXED_TEXTS,
  NEW_FORMS,
  OPENINGS,
  PLACES,
  SPRING_FESTIVALS,
  SURNAMES,
  type DayFacts,
  type Matter,
} from './history-templates.js';

// The demo history (issues 10 and 12): a seeded, realistic year of Heze's tickets ending today, written with bulk
// INSERTs (not the HTTP API) so a year takes seconds. Every ticket is a lifecycle the services could have written
// (history-lifecycle.ts), with requesters' names and phones made up and encrypted by the PII cipher, regions,
// categories and units from the seed, dispatch by the catalogue and deadlines on the working calendar. Demo data
// only: main.ts runs it behind DEMO_HISTORY and never in production.

export interface HistoryOptions {
  /** tickets in the year (about; the seasons and weekdays decide each day) */
  tickets?: number;
  days?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface HistoryResult {
  skipped: boolean;
  tickets: number;
  events: number;
  ms: number;
}

const DAY = 86_400_000;
const CHUNK = 500;
/** 第二十九条: the share of a gridded town's tickets placed in one of its grids */
const GRID_SHARE = 0.65;
/** pg_advisory_xact_lock key of the history's one writer */
const HISTORY_LOCK = 12_345_010;

/**
 * Writes the history unless the database already has tickets older than a week (a history, or real use):
 * running the seed twice does not double it.
 */
export async function seedDemoHistory(
  db: Kysely<DB>,
  cipher: PiiCipher,
  now: Date,
  opts: HistoryOptions = {},
): Promise<HistoryResult> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const days = opts.days ?? 365;
  const older = await db
    .selectFrom('tickets')
    .select('id')
    .where('created_at', '<', new Date(now.getTime() - 7 * DAY))
    .limit(1)
    .executeTakeFirst();
  if (older) return { skipped: true, tickets: 0, events: 0, ms: 0 };
  const ref = await loadReference(db);
  const planner = await DeadlinePlanner.load(db);
  const rng = seededRng(opts.seed ?? 12345);
  // 第二十九条: which grid a ticket is in draws from its own sequence, so the rest of the history is as before
  const gridRng = seededRng((opts.seed ?? 12345) + 29);
  // issue 13: so does how a text is worded (and, for a call raising two matters, which one it is filed under)
  const textRng = seededRng((opts.seed ?? 12345) + 13);
  // 第二十八条(三): the new business forms of the last weeks, with every draw of theirs
  const formsRng = seededRng((opts.seed ?? 12345) + 28);
  const drafts = await planTickets(rng, now, days, opts.tickets ?? 4_000, ref, limitsResolver(planner, ref), {
    grid: gridRng,
    text: textRng,
    forms: formsRng,
  });
  log(`demo history: ${drafts.length} tickets over ${days} days planned, writing…`);

  // one transaction: a history is there whole or not at all (a failed start leaves nothing to trip over)
  const events = await db.transaction().execute(async (trx) => {
    // two instances starting together on one PostgreSQL: the second waits here, then finds the history written
    await sql`SELECT pg_advisory_xact_lock(${HISTORY_LOCK})`.execute(trx);
    const written = await trx
      .selectFrom('tickets')
      .select('id')
      .where('created_at', '<', new Date(now.getTime() - 7 * DAY))
      .limit(1)
      .executeTakeFirst();
    if (written) return null;
    // requesters: a pool, some people calling several times (and the long-running matter's regulars)
    const planned = drafts.filter((d) => !d.stream).length;
    const people = Array.from({ length: Math.max(50, Math.round(planned * 0.8)) }, (_, i) => person(rng, i));
    const requesterIds: number[] = [];
    for (let i = 0; i < people.length; i += CHUNK) {
      const rows = people.slice(i, i + CHUNK).map((p) => ({
        name_enc: cipher.encrypt(p.name),
        phone_enc: cipher.encrypt(p.phone),
        phone_hash: cipher.phoneHash(p.phone),
        key_version: cipher.currentVersion,
        created_at: new Date(now.getTime() - days * DAY),
      }));
      const ids = await trx.insertInto('requesters').values(rows).returning(['id', 'phone_hash']).execute();
      const byHash = new Map(ids.map((r) => [r.phone_hash, r.id]));
      for (const r of rows) requesterIds.push(byHash.get(r.phone_hash)!);
    }

    const numbers = await sql<{
      n: string;
    }>`SELECT nextval('ticket_number_seq')::text AS n FROM generate_series(1, ${drafts.length})`.execute(trx);
    let events = 0;
    let done = 0;
    let lastPrinted = 0;
    for (let i = 0; i < drafts.length; i += CHUNK) {
      const chunk = drafts.slice(i, i + CHUNK).map((d, k) => {
        const life = simulateLife(d.createdAt, {
          now,
          rng: d.stream ?? rng,
          plan: (stepName, from) => planner.planWith(d.limits[stepName], from),
          planWith: (limit, from) => planner.planWith(limit, from),
          leadUnitId: d.leadUnitId,
          centreUnitId: d.centreUnitId,
          users: { ...ref.users, handler: ref.handlerOf.get(d.leadUnitId) ?? null },
          ruleId: d.ruleId,
          explanation: d.explanation,
          fate: d.fate,
        });
        const number = `HZ${localDay(d.createdAt).replaceAll('-', '')}-${numbers.rows[i + k]!.n.padStart(6, '0')}`;
        return { d, life, number, requesterId: requesterIds[d.person % requesterIds.length]! };
      });
      events += await writeChunk(trx, cipher, ref, chunk);
      done += chunk.length;
      if (done - lastPrinted >= 2_000 || done === drafts.length) {
        lastPrinted = done;
        log(
          `demo history: ${done}/${drafts.length} tickets, ${events} events (${Math.round(performance.now() - started)} ms)`,
        );
      }
    }
    return events;
  });
  if (events === null) return { skipped: true, tickets: 0, events: 0, ms: 0 };
  const ms = Math.round(performance.now() - started);
  log(`demo history: ${drafts.length} tickets and ${events} events written in ${(ms / 1000).toFixed(1)} s`);
  return { skipped: false, tickets: drafts.length, events, ms };
}

// ---- planning ------------------------------------------------------------------------------------------------

interface Reference {
  categories: Map<string, number>;
  towns: Array<{ code: string; name: string }>;
  /** 第二十九条: each town's grid cells (level 4, codes 1xx; the communities 0xx are not grids) */
  grids: Map<string, string[]>;
  regionNames: Map<string, string>;
  centreCity: number;
  centreCx: number;
  users: { agent: number; agentCx: number; dispatcher: number; callback: number };
  handlerOf: Map<number, number>;
  dispatch: (
    categoryId: number,
    region: string,
  ) => Promise<{ leadUnitId: number; ruleId: number | null; explanation: string }>;
  unitInfo: Map<number, { kind: UnitKind; is24x7: boolean }>;
}

async function loadReference(db: Kysely<DB>): Promise<Reference> {
  const [cats, regions, units, users] = await Promise.all([
    db.selectFrom('categories').select(['id', 'code']).execute(),
    db.selectFrom('regions').select(['code', 'name', 'level']).execute(),
    db.selectFrom('units').select(['id', 'code', 'kind', 'is_24x7']).execute(),
    db.selectFrom('users').select(['id', 'username', 'unit_id', 'roles']).where('active', '=', true).execute(),
  ]);
  const unit = (code: string) => {
    const u = units.find((x) => x.code === code);
    if (!u) throw new Error(`demo history needs the demo organisation (unit ${code})`);
    return u.id;
  };
  const user = (name: string) => {
    const u = users.find((x) => x.username === name);
    if (!u) throw new Error(`demo history needs the demo user ${name}`);
    return u.id;
  };
  const handlerOf = new Map<number, number>();
  for (const u of users) if (u.roles.includes('handler') && !handlerOf.has(u.unit_id)) handlerOf.set(u.unit_id, u.id);
  const memo = new Map<string, Promise<{ leadUnitId: number; ruleId: number | null; explanation: string }>>();
  const fallback = unit('gov-md');
  return {
    categories: new Map(cats.map((c) => [c.code, c.id])),
    towns: regions.filter((r) => r.level === 3).map((r) => ({ code: r.code, name: r.name })),
    grids: regions
      .filter((r) => Number(r.level) === 4 && Number(r.code.slice(9)) >= 101)
      .sort((a, b) => a.code.localeCompare(b.code))
      .reduce(
        (m, r) => m.set(r.code.slice(0, 9), [...(m.get(r.code.slice(0, 9)) ?? []), r.code]),
        new Map<string, string[]>(),
      ),
    regionNames: new Map(regions.map((r) => [r.code, r.name])),
    centreCity: unit('centre'),
    centreCx: unit('centre-cx'),
    users: {
      agent: user('agent'),
      agentCx: user('agent_cx'),
      dispatcher: user('dispatcher'),
      callback: user('callback'),
    },
    handlerOf,
    unitInfo: new Map(units.map((u) => [u.id, { kind: u.kind, is24x7: u.is_24x7 }])),
    dispatch: (categoryId, region) => {
      const key = `${categoryId}|${region}`;
      let p = memo.get(key);
      if (!p) {
        p = (async () => {
          const [chain, rchain] = await Promise.all([categoryChain(db, categoryId), regionChain(db, region)]);
          const r = resolveDispatch(await loadCatalogueRules(db, chain), { categoryChain: chain, regionChain: rchain });
          return r
            ? { leadUnitId: r.leadUnitId, ruleId: r.rule.id, explanation: r.explanation }
            : { leadUnitId: fallback, ruleId: null, explanation: '派单员人工指定' };
        })();
        memo.set(key, p);
      }
      return p;
    },
  };
}

type StepName = 'accept' | 'reply' | 'return_window' | 'first_contact' | 'callback' | 'rework';

interface Draft {
  createdAt: Date;
  matter: Matter;
  categoryId: number;
  region: string;
  town: string;
  place: string;
  urgency: Urgency;
  channel: string;
  person: number;
  leadUnitId: number;
  centreUnitId: number;
  ruleId: number | null;
  explanation: string;
  fate: Fate;
  limits: Record<StepName, TimeLimit>;
  /** templates around the matter's own words ('' where none) */
  wording: Wording;
  /** the draws of a ticket planned apart (NEW_FORMS): its own sequence, so the rest of the history is as before */
  stream?: Rng;
}

interface Wording {
  opening: string;
  aside: string;
  closing: string;
}

const PLAIN: Wording = { opening: '', aside: '', closing: '' };
const MATTER_BY_KEY = new Map(MATTERS.map((m) => [m.key, m]));

/**
 * An ordinary call's wording: an opening and a closing as people say them, and now and then a neighbouring matter
 * raised in passing (the likelier the more it is in season), which the agent may judge the main one and file the
 * call under (MIXED_TEXTS).
 */
function wordingOf(textRng: Rng, matter: Matter, f: DayFacts): { wording: Wording; filedAs: Matter } {
  const opening = pick(textRng, OPENINGS);
  const closing = pick(textRng, CLOSINGS);
  const neighbours = (matter.neighbours ?? []).map((k) => MATTER_BY_KEY.get(k)!).filter((m) => m.aside);
  if (!neighbours.length || textRng() >= MIXED_TEXTS.share)
    return { wording: { opening, aside: '', closing }, filedAs: matter };
  const weights = neighbours.map((m) => m.weight * m.season(f));
  const other =
    neighbours[
      weightedIndex(
        textRng(),
        weights,
        weights.reduce((a, b) => a + b, 0),
      )
    ]!;
  const aside = `${pick(textRng, ASIDE_LINKS)}${other.aside}。`;
  return { wording: { opening, aside, closing }, filedAs: textRng() < MIXED_TEXTS.filedAsAside ? other : matter };
}

function dayFacts(day: Date): DayFacts {
  const local = localDay(day);
  const t = Date.parse(`${local}T00:00:00Z`);
  const fest = SPRING_FESTIVALS.map((s) => Date.parse(`${s}T00:00:00Z`));
  const next = fest.find((f) => f >= t) ?? t + 400 * DAY;
  const prev = [...fest].reverse().find((f) => f <= t) ?? t - 400 * DAY;
  return {
    month: Number(local.slice(5, 7)),
    toSpringFestival: Math.round((next - t) / DAY),
    sinceSpringFestival: Math.round((t - prev) / DAY),
  };
}

/** Who calls, when and about what: per day, the matters' seasonal weights; then clusters and the long-running matter. */
async function planTickets(
  rng: Rng,
  now: Date,
  days: number,
  target: number,
  ref: Reference,
  limitsOf: (d: Draft) => Promise<Draft['limits']>,
  rngs: { grid: Rng; text: Rng; forms: Rng },
): Promise<Draft[]> {
  const specs: Array<{
    at: Date;
    matter: Matter;
    region?: string;
    place?: string;
    person?: number;
    wording?: Wording;
    filedAs?: Matter;
    stream?: Rng;
  }> = [];
  const start = new Date(now.getTime() - days * DAY);
  const dayWeights: number[] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(start.getTime() + i * DAY);
    const f = dayFacts(d);
    const dow = new Date(d.getTime() + 8 * 3_600_000).getUTCDay();
    const weekday = dow === 0 || dow === 6 ? 0.65 : 1;
    dayWeights.push(MATTERS.reduce((s, m) => s + m.weight * m.season(f), 0) * weekday);
  }
  const scale = (target * 0.94) / dayWeights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < days; i++) {
    const d = new Date(start.getTime() + i * DAY);
    const f = dayFacts(d);
    const count = Math.max(
      0,
      Math.round(dayWeights[i]! * scale + (rng() - 0.5) * Math.sqrt(dayWeights[i]! * scale) * 2),
    );
    const weights = MATTERS.map((m) => m.weight * m.season(f));
    const total = weights.reduce((a, b) => a + b, 0);
    for (let k = 0; k < count; k++) {
      const matter = MATTERS[weightedIndex(rng(), weights, total)]!;
      specs.push({ at: timeOfDay(rng, d), matter, ...wordingOf(rngs.text, matter, f) });
    }
    // 第二十五条: the long-running matter, two or three a week, many from the same few households
    if (rng() < 0.35 * LONG_RUNNING.season(f))
      specs.push({
        at: timeOfDay(rng, d),
        matter: LONG_RUNNING,
        region: '371702001002',
        place: '丹阳社区',
        person: Math.floor(rng() * 12),
      });
    // 第二十七条: emerging clusters rising over their last weeks
    for (const c of CLUSTERS) {
      const left = days - i;
      if (left > c.days) continue;
      const rate = (c.peakPerDay * (c.days - left + 1)) / c.days;
      const n = Math.floor(rate) + (rng() < rate % 1 ? 1 : 0);
      for (let k = 0; k < n; k++)
        specs.push({ at: timeOfDay(rng, d), matter: c.matter, region: c.region, place: c.place });
    }
    // 第二十八条(三): new business forms, unknown before their last weeks, rising across the city
    for (const form of NEW_FORMS) {
      const left = days - i;
      if (left > form.days) continue;
      const rate = (form.peakPerDay * (form.days - left + 1)) / form.days;
      const n = Math.floor(rate) + (rngs.forms() < rate % 1 ? 1 : 0);
      for (let k = 0; k < n; k++) specs.push({ at: timeOfDay(rngs.forms, d), matter: form.matter, stream: rngs.forms });
    }
  }
  specs.sort((a, b) => a.at.getTime() - b.at.getTime());
  // one ticket after another, so the random draws come in the same order on every run and database
  const drafts: Draft[] = [];
  for (const s of specs) {
    if (s.at.getTime() >= now.getTime()) continue;
    const g = s.stream ?? rng;
    const gridDraw = s.stream ?? rngs.grid;
    const town = s.region
      ? { code: s.region, name: ref.regionNames.get(s.region) ?? '' }
      : ref.towns[Math.floor(g() * ref.towns.length)]!;
    // 第二十九条: in a gridded town most tickets are known down to the grid (the agent picks it when the address is
    // clear), the first grids busier than the last so 网格视图 has hot grids; the rest stay at the town (未划入网格)
    const grids = s.region ? undefined : ref.grids.get(town.code);
    const region =
      grids?.length && gridDraw() < GRID_SHARE ? grids[Math.floor(gridDraw() ** 1.6 * grids.length)]! : town.code;
    const categoryId = ref.categories.get((s.filedAs ?? s.matter).category)!;
    const route = await ref.dispatch(categoryId, region);
    const urgency: Urgency = g() < (s.matter.urgent ?? 0.03) ? 'urgent' : 'normal';
    const slow = g() < 0.1;
    const r = g();
    const satisfaction = r < 0.7 ? 'satisfied' : r < 0.88 ? 'basically_satisfied' : 'unsatisfied';
    const draft: Draft = {
      createdAt: s.at,
      matter: s.matter,
      categoryId,
      region,
      town: town.name,
      place: s.place ?? PLACES[Math.floor(g() * PLACES.length)]!,
      urgency,
      channel: pick(g, ['phone', 'phone', 'phone', 'phone', 'phone', 'phone', 'wechat', 'web', 'sms', 'weibo']),
      person: s.person ?? Math.floor(g() * 1_000_000),
      leadUnitId: route.leadUnitId,
      centreUnitId: town.code.startsWith('371721') ? ref.centreCx : ref.centreCity,
      ruleId: route.ruleId,
      explanation: route.explanation,
      fate: {
        returnRejected: g() < 0.04,
        extension: g() < 0.05,
        rework: satisfaction === 'unsatisfied' && g() < 0.6,
        slowness: slow ? 1.6 + g() : 1,
        lateAccept: g() < 0.03,
        satisfaction,
      },
      limits: {} as Draft['limits'],
      wording: s.wording ?? PLAIN,
      ...(s.stream ? { stream: s.stream } : {}),
    };
    draft.limits = await limitsOf(draft);
    drafts.push(draft);
  }
  return drafts;
}

/** Time limits per (category, urgency, unit kind), resolved once each through the rules the services use. */
function limitsResolver(planner: DeadlinePlanner, ref: Reference) {
  const memo = new Map<string, Promise<Draft['limits']>>();
  return (d: Draft): Promise<Draft['limits']> => {
    const unit = ref.unitInfo.get(d.leadUnitId)!;
    const key = `${d.categoryId}|${d.urgency}|${unit.kind}|${unit.is24x7}`;
    let limits = memo.get(key);
    if (!limits) {
      const base = { categoryId: d.categoryId, urgency: d.urgency, unitKind: unit.kind, roundTheClock: unit.is24x7 };
      const centre = { ...base, unitKind: 'centre' as const, roundTheClock: false };
      limits = (async () => ({
        accept: await planner.limitFor('accept', base),
        reply: await planner.limitFor('reply', base),
        return_window: await planner.limitFor('return_window', base),
        first_contact: await planner.limitFor('first_contact', base),
        rework: await planner.limitFor('rework', base),
        callback: await planner.limitFor('callback', centre),
      }))();
      memo.set(key, limits);
    }
    return limits;
  };
}

function timeOfDay(rng: Rng, day: Date): Date {
  // calls peak in the morning and early afternoon, local time (UTC+8)
  const local = localDay(day);
  const hour = 7 + Math.min(14.9, Math.abs(rng() + rng() + rng() - 1.5) * 6 + rng() * 4);
  return new Date(Date.parse(`${local}T00:00:00+08:00`) + hour * 3_600_000);
}

function localDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The index a draw `u` in [0, 1) falls on when each index takes its weight's share of `total` (the weights' sum). */
function weightedIndex(u: number, weights: readonly number[], total: number): number {
  let x = u * total;
  let j = 0;
  while (x > weights[j]! && j < weights.length - 1) x -= weights[j++]!;
  return j;
}

function pick<T>(rng: Rng, xs: T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** A made-up person: a common surname, two given characters, a mobile number counted up from 199 0530 0000, one per person. */
function person(rng: Rng, i: number) {
  const name =
    SURNAMES[Math.floor(rng() * SURNAMES.length)]! +
    GIVEN.slice(Math.floor(rng() * (GIVEN.length / 2)) * 2).slice(0, 2);
  return { name, phone: `199${String(5_300_000 + i).padStart(8, '0')}` };
}

// ---- writing -------------------------------------------------------------------------------------------------

/** Segmenting the same few hundred texts once each (jieba is most of the generator's own time otherwise). */
const tokenMemo = new Map<string, string>();
function tokensOf(title: string, content: string): string {
  const key = `${title}\u0001${content}`;
  let t = tokenMemo.get(key);
  if (t === undefined) {
    t = searchTokens(title, content);
    if (tokenMemo.size < 20_000) tokenMemo.set(key, t);
  }
  return t;
}

function fill(template: string, d: Draft): string {
  return template.replaceAll('{town}', d.town).replaceAll('{place}', d.place);
}

async function writeChunk(
  trx: Kysely<DB>,
  cipher: PiiCipher,
  ref: Reference,
  chunk: Array<{ d: Draft; life: Life; number: string; requesterId: number }>,
): Promise<number> {
  const rows: Array<Insertable<TicketsTable>> = chunk.map(({ d, life, number, requesterId }) => {
    const title = fill(d.matter.titles[d.person % d.matter.titles.length]!, d);
    const said = d.matter.contents[(d.person >> 3) % d.matter.contents.length]!;
    const content = fill(d.wording.opening + said + d.wording.aside + d.wording.closing, d);
    return {
      number,
      request_type: d.matter.type,
      category_id: d.categoryId,
      urgency: d.urgency,
      region_code: d.region,
      address_enc: cipher.encrypt(`${d.town}${d.place}`),
      title,
      content,
      status: life.status,
      requester_id: requesterId,
      centre_unit_id: d.centreUnitId,
      lead_unit_id: life.leadUnitId,
      dispatch_rule_id: life.leadUnitId ? d.ruleId : null,
      channel: d.channel,
      created_by: d.centreUnitId === ref.centreCx ? ref.users.agentCx : ref.users.agent,
      created_at: d.createdAt,
      updated_at: life.events.length ? life.events[life.events.length - 1]!.at : d.createdAt,
      dispatched_at: life.dispatchedAt,
      accepted_at: life.acceptedAt,
      first_contact_at: life.firstContactAt,
      replied_at: life.repliedAt,
      closed_at: life.closedAt,
      due_at: life.dueAt,
      return_until: life.returnUntil,
      extension_days: life.extensionDays,
      rework_count: life.reworkCount,
      reply_result: life.reply?.result ?? null,
      reply_explanation: life.reply?.explanation ?? null,
      satisfaction: life.satisfaction,
      resolved: life.resolved,
    };
  });
  const inserted = await trx
    .insertInto('tickets')
    // the search words as the ticket's INSERT writes them (tickets.repository.ts): only as the vector
    .values(
      rows.map((r) => ({
        ...r,
        search_vector: searchVectorOf(tokensOf(r.title, r.content)),
      })),
    )
    .returning(['id', 'number'])
    .execute();
  const idOf = new Map(inserted.map((r) => [r.number, r.id]));
  const ids = chunk.map((c) => idOf.get(c.number)!);

  await trx
    .insertInto('ticket_requesters')
    .values(chunk.map((c, k) => ({ ticket_id: ids[k]!, requester_id: c.requesterId, added_at: c.d.createdAt })))
    .execute();
  const assignments = chunk.flatMap((c, k) =>
    c.life.assignment
      ? [
          {
            ticket_id: ids[k]!,
            unit_id: c.life.leadUnitId!,
            role: 'lead' as const,
            status: 'active' as const,
            dispatched_at: c.life.assignment.dispatchedAt,
            accepted_at: c.life.assignment.acceptedAt,
          },
        ]
      : [],
  );
  if (assignments.length) await trx.insertInto('ticket_assignments').values(assignments).execute();

  // deadlines and applications first: events name them by id
  const deadlineRows = chunk.flatMap((c, k) =>
    c.life.deadlines.map((x) => ({
      ticket_id: ids[k]!,
      unit_id: x.unitId,
      kind: x.kind,
      starts_at: x.startsAt,
      due_at: x.dueAt,
      warn_at: x.warnAt,
      warned_at: x.warnedAt,
      breached_at: x.breachedAt,
      met_at: x.metAt,
      cancelled_at: x.cancelledAt,
      calendar_unconfirmed: x.calendarUnconfirmed,
    })),
  );
  const deadlineIds: number[] = [];
  for (let i = 0; i < deadlineRows.length; i += 1000) {
    const r = await trx
      .insertInto('deadlines')
      .values(deadlineRows.slice(i, i + 1000))
      .returning('id')
      .execute();
    deadlineIds.push(...r.map((x) => x.id));
  }
  const appRows = chunk.flatMap((c, k) =>
    c.life.applications.map((a) => ({
      ticket_id: ids[k]!,
      kind: a.kind,
      unit_id: a.unitId,
      applicant_id: a.applicantId ?? ref.users.dispatcher,
      reason: a.reason,
      materials: JSON.stringify([]),
      requested_days: a.requestedDays,
      progress: a.progress,
      status: a.status,
      reviewer_id: a.reviewerId,
      review_note: a.reviewNote,
      created_at: a.createdAt,
      decided_at: a.decidedAt,
    })),
  );
  const appIds = appRows.length
    ? (await trx.insertInto('applications').values(appRows).returning('id').execute()).map((x) => x.id)
    : [];

  let dBase = 0;
  let aBase = 0;
  const eventRows = chunk.flatMap((c, k) => {
    const ticketId = ids[k]!;
    const created = {
      ticket_id: ticketId,
      kind: 'created',
      at: c.d.createdAt,
      actor_user_id: rows[k]!.created_by,
      actor_unit_id: c.d.centreUnitId,
      from_status: null,
      to_status: 'pending_dispatch',
      reason: null,
      data: JSON.stringify({ channel: c.d.channel, contactId: null, number: c.number }),
      request_id: null,
    };
    // stable by time: the statuses' own order is kept, overlays fall in where their instant is
    const ordered = c.life.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i);
    const out = [
      created,
      ...ordered.map(({ e }) => ({
        ticket_id: ticketId,
        kind: e.kind,
        at: e.at,
        actor_user_id: e.actorUserId,
        actor_unit_id: e.actorUnitId,
        from_status: e.from,
        to_status: e.to,
        reason: e.reason,
        data: JSON.stringify({
          ...e.data,
          ...(e.deadlineRef !== undefined ? { deadlineId: deadlineIds[dBase + e.deadlineRef] } : {}),
          ...(e.applicationRef !== undefined ? { applicationId: appIds[aBase + e.applicationRef] } : {}),
        }),
        request_id: null,
      })),
    ];
    dBase += c.life.deadlines.length;
    aBase += c.life.applications.length;
    return out;
  });
  for (let i = 0; i < eventRows.length; i += 1000)
    await trx
      .insertInto('ticket_events')
      .values(eventRows.slice(i, i + 1000))
      .execute();

  const callbackRows = chunk.flatMap((c, k) =>
    c.life.callbacks.map((cb) => ({
      ticket_id: ids[k]!,
      agent_id: ref.users.callback,
      satisfaction: cb.satisfaction,
      resolved: cb.resolved,
      reasonable: cb.reasonable,
      outcome: cb.outcome,
      note: null,
      at: cb.at,
    })),
  );
  if (callbackRows.length) await trx.insertInto('callbacks').values(callbackRows).execute();
  return eventRows.length;
}
