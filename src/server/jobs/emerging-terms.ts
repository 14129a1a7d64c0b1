import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addDays } from '../domain/analytics.js';
import { localDateOf, localInstant } from '../domain/calendar.js';
import {
  EMERGING_RULES,
  KEEP_WEEKS,
  groupCooccurring,
  lastCompleteWeek,
  placeWords,
  rankEmergingTerms,
  unitReminders,
  weeksBetween,
  windowsOf,
  type EmergingRules,
  type SampledTicket,
} from '../domain/emerging-terms.js';
import { loadTrees, type Trees } from '../modules/analytics/analytics-tree.js';
import {
  TERM_REGION_LEVEL,
  countTicketWords,
  startCursorAt,
  pruneTermWeeks,
  rankedRegions,
  storeRankedWeek,
  termTicketSample,
  weeklySeries,
  windowCounts,
  windowTotals,
  wordsCaughtUp,
  type TermTicketFilter,
} from '../modules/emerging/emerging.repository.js';
import { followTicketEvents } from './ticket-event-cursor.js';

// 第二十八条(三)(四) 新兴诉求词: every pass counts the words of the tickets created since the last (their 'created'
// events, by the cursor row 'emerging_terms', in the cursor's transaction); once every ticket of the last complete
// week is counted, the week is ranked for the city and each county (and the weeks before it that are missing, up to
// BACKFILL_WEEKS: a fresh start shows a few weeks to compare). A ranked week is stored once and never recomputed.
// 新兴诉求提醒: the newest week's lists also tell the units that lead a rising matter's tickets (unitReminders), in the
// transaction that stores the list.

/** The complete weeks ranked when missing (the newest first): what a fresh start fills. */
export const BACKFILL_WEEKS = 8;

export interface EmergingPassOptions {
  batchSize?: number;
  lagMs?: number;
  /** batches read at a time; more are read while the pass is behind, until `budgetMs` is spent or `stopping()` */
  maxBatches?: number;
  budgetMs?: number;
  /** a shutdown under way (the scheduler's stop): the pass ends after the batches it is in */
  stopping?: () => boolean;
  rules?: EmergingRules;
}

export async function emergingTermsPass(db: Kysely<DB>, now: Date, opts: EmergingPassOptions = {}) {
  const rules = opts.rules ?? EMERGING_RULES;
  const today = localDateOf(now);
  const oldestWeek = addDays(lastCompleteWeek(today), -7 * (KEEP_WEEKS - 1));
  const trees = await loadTrees(db);
  const places = placeWords([...trees.regions.nodes.values()].map((n) => n.name));
  // a first pass over a long history starts at the kept weeks' first ticket, not at the first ticket ever
  await startCursorAt(db, localInstant(oldestWeek));
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 4;
  const started = performance.now();
  const counted = { tickets: 0, changed: 0 };
  let stopped = false;
  for (;;) {
    const r = await followTicketEvents(
      db,
      now,
      { table: 'analytics_cursor', name: 'emerging_terms' },
      { batchSize, lagMs: opts.lagMs ?? 60_000, maxBatches, kinds: ['created'] },
      (trx, ids) => countTicketWords(trx, ids, trees.regions, places, oldestWeek),
    );
    counted.tickets += r.tickets;
    counted.changed += r.changed;
    // behind (a fresh start, an outage): read on while the budget lasts, the next pass goes on from the cursor
    if (r.events < batchSize * maxBatches || performance.now() - started > (opts.budgetMs ?? 120_000)) break;
    stopped = opts.stopping?.() ?? false;
    if (stopped) break; // a shutdown: the ranking waits for the next process
  }
  let ranked = 0;
  let reminders = 0;
  const week = lastCompleteWeek(today);
  // the week is complete in the counts once every ticket created before its Sunday midnight (China time) is counted
  if (!stopped && (await wordsCaughtUp(db, localInstant(addDays(week, 7))))) {
    // the city first: its list tells a unit of a matter before a county's list of the same matter could
    const regions = [...trees.regions.nodes.values()]
      .filter((n) => n.level <= TERM_REGION_LEVEL)
      .sort((a, b) => a.level - b.level || (a.key < b.key ? -1 : 1))
      .map((n) => ({ code: n.key, level: n.level }));
    for (let i = 0; i < BACKFILL_WEEKS; i++) {
      const w = addDays(week, -7 * i);
      const done = await rankedRegions(
        db,
        w,
        regions.map((r) => r.code),
      );
      if (i > 0 && done.size === regions.length) break; // the weeks before were ranked in earlier passes
      for (const r of regions) {
        if (done.has(r.code)) continue;
        // the city's own code stands for the whole city: every county's rows; only the newest week tells the units
        // (a fresh start's earlier weeks are history, not news)
        const county = r.level < TERM_REGION_LEVEL ? null : r.code;
        const stored = await rankWeek(db, trees, now, { week: w, county, regionCode: r.code, remind: i === 0 }, rules);
        if (stored.stored) ranked++;
        reminders += stored.reminders;
      }
    }
    if (ranked > 0) await pruneTermWeeks(db, oldestWeek);
  }
  return {
    emergingTickets: counted.tickets,
    emergingWordRows: counted.changed,
    emergingRanked: ranked,
    emergingReminders: reminders,
  };
}

async function rankWeek(
  db: Kysely<DB>,
  trees: Trees,
  now: Date,
  { week, county, regionCode, remind }: { week: string; county: string | null; regionCode: string; remind: boolean },
  rules: EmergingRules,
) {
  const windows = windowsOf(week, rules);
  const totals = await windowTotals(db, windows, county);
  const candidates = rankEmergingTerms(await windowCounts(db, windows, county, rules.minRecent), totals, rules);
  // which candidates rose in the same tickets: each one's newest tickets of the recent window (bounded samples)
  const recent: Omit<TermTicketFilter, 'term'> = {
    from: localInstant(windows.recentFrom),
    to: localInstant(addDays(week, 7)),
    regionCodes: county === null ? null : trees.regions.subtree(county),
    leadUnitId: null,
    limit: rules.overlapSample,
  };
  const samples = new Map<string, SampledTicket[]>();
  for (const t of candidates) samples.set(t.term, await termTicketSample(db, { ...recent, term: t.term }));
  const groups = groupCooccurring(
    candidates,
    new Map([...samples].map(([term, tickets]) => [term, tickets.map((x) => x.id)])),
    rules,
  );
  const series = await weeklySeries(
    db,
    weeksBetween(windows.baselineFrom, week),
    county,
    groups.map((t) => t.term),
  );
  return storeRankedWeek(db, {
    week,
    regionCode,
    computedAt: now,
    totals,
    status: totals.baseline < rules.minBaselineTickets ? 'short_history' : 'ok',
    terms: groups.map((t) => ({ ...t, series: series.get(t.term) ?? [] })),
    reminders: remind ? unitReminders(groups, samples, rules) : [],
    remindEveryWeeks: rules.remindEveryWeeks,
  });
}
