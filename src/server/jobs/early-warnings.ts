import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { addDays, localDateOf, localInstant, WorkingCalendar } from '../domain/calendar.js';
import { detectSpikes, SPIKE_DEFAULTS, type DailyCount } from '../domain/early-warning.js';
import { baselineBand, collectiveLevel, EVIDENCE_MAX_TICKETS } from '../domain/warning-rules.js';
import { maxLevel, type WarningLevel } from '../../shared/domain/warnings.js';
import { loadCalendarOverrides } from '../modules/config/config.repository.js';
import { loadTrees } from '../modules/analytics/analytics-tree.js';
import { loadWarningSettings, raiseWarning } from '../modules/warnings/warnings.repository.js';
import {
  busiestDailySeries,
  collectiveGroups,
  lastClosedCover,
  lockJobState,
  rollupBehind,
  saveJobState,
} from '../modules/warnings/warnings-detection.repository.js';

// 第二十七条 风险预警: the scheduler's early-warning job (docs/warnings.md).
//
// Spikes, once a day: when the analytics rollup has read every event of yesterday, each of the busiest series
// (county × top-level category, at most `spike_series` of them, from the rollup's cube) is judged by the calendar-
// aware detector (early-warning.ts: 28-day window, working days against working days, 调休 included) for the days
// after the job's watermark up to yesterday; a start-up after days away catches up at most CATCH_UP_DAYS days.
// Collective requests, every pass: the last `collective_hours` of tickets (one index range) grouped by category ×
// town with at least `collective_requesters` distinct requesters.
//
// Several schedulers: each pass holds its state row FOR UPDATE SKIP LOCKED (a second one skips), and a warning is
// raised through raiseWarning — one open warning per cause (unique index), one warning per occurrence (dedupe key) —
// so a rerun, or a pass on another process, never raises a warning twice.

/** Days judged on the first run and, at most, after an outage. */
export const CATCH_UP_DAYS = 7;

export type EarlyWarningResult = {
  spikeSeries: number;
  spikeWarnings: number;
  collectiveWarnings: number;
};

export async function runEarlyWarnings(db: Kysely<DB>, clock: Clock): Promise<EarlyWarningResult> {
  const spike = await spikePass(db, clock.now());
  const collective = await collectivePass(db, clock.now());
  return { spikeSeries: spike.series, spikeWarnings: spike.warnings, collectiveWarnings: collective };
}

export async function spikePass(db: Kysely<DB>, now: Date): Promise<{ series: number; warnings: number }> {
  return db.transaction().execute(async (trx) => {
    const state = await lockJobState(trx, 'spike');
    if (!state) return { series: 0, warnings: 0 };
    const today = localDateOf(now);
    const last = addDays(today, -1);
    if (state.last_day && state.last_day >= last) return { series: 0, warnings: 0 };
    // judge complete days only, once the rollup holds them
    if (await rollupBehind(trx, localInstant(today))) return { series: 0, warnings: 0 };
    const earliest = addDays(last, -(CATCH_UP_DAYS - 1));
    const first = state.last_day && addDays(state.last_day, 1) > earliest ? addDays(state.last_day, 1) : earliest;
    const settings = await loadWarningSettings(trx);
    const from = addDays(first, -SPIKE_DEFAULTS.window);
    const rows = await busiestDailySeries(trx, from, last, settings.spikeSeries);
    const calendar = new WorkingCalendar(await loadCalendarOverrides(trx));
    const dayType = (d: string) => (calendar.isWorkingDay(d) ? ('workday' as const) : ('restday' as const));
    const trees = await loadTrees(trx);
    const bySeries = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const k = `${r.region_code}|${r.category_id}`;
      if (!bySeries.has(k)) bySeries.set(k, new Map());
      bySeries.get(k)!.set(r.day, r.tickets);
    }
    const days: string[] = [];
    for (let d = from; d <= last; d = addDays(d, 1)) days.push(d);
    let warnings = 0;
    for (const [k, counts] of bySeries) {
      const [regionCode, cat] = k.split('|') as [string, string];
      const categoryId = Number(cat);
      const series: DailyCount[] = days.map((day) => ({ day, count: counts.get(day) ?? 0 }));
      const spikes = detectSpikes(series, dayType);
      const judged = spikes.filter((s) => s.day >= first);
      if (!judged.length) continue;
      const band = baselineBand(series, dayType, new Map(spikes.map((s) => [s.day, s.expected])), {
        window: SPIKE_DEFAULTS.window,
        alpha: SPIKE_DEFAULTS.alpha,
        warmup: SPIKE_DEFAULTS.warmup,
        upperScore: SPIKE_DEFAULTS.thresholds.yellow,
      });
      const place = `${trees.regions.name(regionCode)}·${trees.categories.name(categoryId)}`;
      for (const s of judged) {
        const chart = band.filter((b) => b.day > addDays(s.day, -SPIKE_DEFAULTS.window) && b.day <= s.day);
        const spikeDay = { day: s.day, count: s.count, expected: s.expected, score: s.score, level: s.level };
        const title = `${place}诉求量突增：${s.day} ${s.count} 件（基线约 ${s.expected} 件）`;
        const r = await raiseWarning(
          trx,
          {
            kind: 'spike',
            level: s.level,
            regionCode,
            categoryId,
            windowStart: localInstant(addDays(s.day, -(SPIKE_DEFAULTS.window - 1))),
            windowEnd: localInstant(addDays(s.day, 1)),
            title,
            evidence: { observed: s.count, baseline: s.expected, z: s.score, days: [spikeDay], series: chart },
            causeKey: `spike:${categoryId}:${regionCode}`,
            dedupeKey: `spike:${categoryId}:${regionCode}:${s.day}`,
          },
          now,
          (old) => {
            const seen = (old.evidence.days as Array<{ day: string }> | undefined) ?? [];
            if (seen.some((d) => d.day === s.day)) return null;
            const allDays = [...seen, spikeDay] as Array<typeof spikeDay>;
            const peak = allDays.reduce((a, b) => (b.score > a.score ? b : a));
            return {
              title: `${place}诉求量持续突增：${allDays.length} 天，最近 ${s.day} ${s.count} 件（基线约 ${s.expected} 件）`,
              level: allDays.reduce<WarningLevel>((l, d) => maxLevel(l, d.level), 'yellow'),
              windowEnd: localInstant(addDays(s.day, 1)),
              evidence: { observed: peak.count, baseline: peak.expected, z: peak.score, days: allDays, series: chart },
            };
          },
        );
        if (r?.raised) warnings++;
      }
    }
    await saveJobState(trx, 'spike', last, now);
    return { series: bySeries.size, warnings };
  });
}

export async function collectivePass(db: Kysely<DB>, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const state = await lockJobState(trx, 'collective');
    if (!state) return 0;
    const settings = await loadWarningSettings(trx);
    const since = new Date(now.getTime() - settings.collectiveHours * 3_600_000);
    const groups = await collectiveGroups(trx, since, now, settings.collectiveRequesters);
    let raised = 0;
    if (groups.length) {
      const trees = await loadTrees(trx);
      for (const g of groups) {
        if (!trees.regions.has(g.town)) continue;
        raised += await raiseCollective(trx, g, settings, trees, now);
      }
    }
    await saveJobState(trx, 'collective', null, now);
    return raised;
  });
}

async function raiseCollective(
  trx: Transaction<DB>,
  g: Awaited<ReturnType<typeof collectiveGroups>>[number],
  settings: Awaited<ReturnType<typeof loadWarningSettings>>,
  trees: Awaited<ReturnType<typeof loadTrees>>,
  now: Date,
): Promise<number> {
  const causeKey = `collective:${g.categoryId}:${g.town}`;
  // after a closed warning of the same cause, only the tickets it did not cover count
  const covered = await lastClosedCover(trx, causeKey);
  const pairs = g.ids.map((id, i) => ({ id, requester: g.requesters[i]! })).filter((p) => p.id > covered);
  const requesters = new Set(pairs.map((p) => p.requester)).size;
  const level = collectiveLevel(requesters, settings.collectiveRequesters);
  if (!level || !pairs.length) return 0;
  const ids = pairs.map((p) => p.id);
  const place = `${trees.regions.path(g.town).slice(-2).join('')}·${trees.categories.name(g.categoryId)}`;
  const title = (n: number, t: number) =>
    `${place}集体诉求：${settings.collectiveHours} 小时内 ${n} 位诉求人反映（${t} 件）`;
  const evidence = (list: number[], n: number) => ({
    requesters: n,
    tickets: list.length,
    threshold: settings.collectiveRequesters,
    hours: settings.collectiveHours,
    ticketIds: list.slice(-EVIDENCE_MAX_TICKETS),
    maxTicketId: Math.max(...list),
  });
  const r = await raiseWarning(
    trx,
    {
      kind: 'collective',
      level,
      regionCode: g.town,
      categoryId: g.categoryId,
      windowStart: g.firstAt,
      windowEnd: g.lastAt,
      title: title(requesters, ids.length),
      evidence: evidence(ids, requesters),
      causeKey,
      dedupeKey: `${causeKey}:${ids[0]}`,
    },
    now,
    (old) => {
      const known = new Set((old.evidence.ticketIds as number[] | undefined) ?? []);
      const fresh = ids.filter((id) => !known.has(id));
      if (!fresh.length) return null;
      const all = [...known, ...fresh].sort((a, b) => a - b);
      const n = Math.max(Number(old.evidence.requesters ?? 0), requesters);
      return {
        title: title(n, all.length),
        level: collectiveLevel(n, settings.collectiveRequesters) ?? level,
        windowEnd: g.lastAt,
        evidence: evidence(all, n),
      };
    },
  );
  return r?.raised ? 1 : 0;
}
