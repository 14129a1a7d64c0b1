import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { openDataCsv, openDataJson } from '../../domain/disclosure/open-data.js';
import type { DisclosureReport } from '../../../shared/contracts/disclosure.js';
import { parseJson } from './disclosure.repository.js';

// 第二十一条: what the public reads, without login — only published versions, only their immutable snapshots (the
// report was checked against the public-field whitelist when it was published). The city's reports by default.

export const CITY_REGION = '371700';

export class DisclosurePublicService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  /** The regions with something published, and the published months of one (latest version of each). */
  async months(region = CITY_REGION) {
    const db = this.deps.db;
    const [regions, rows] = await Promise.all([
      db
        .selectFrom('disclosure_reports as d')
        .innerJoin('regions as g', 'g.code', 'd.region_code')
        .select(['g.code', 'g.name'])
        .where('d.status', '=', 'published')
        .distinct()
        .orderBy('g.code')
        .execute(),
      db
        .selectFrom('disclosure_reports')
        .select([
          'month',
          sql<number>`max(version)::int`.as('version'),
          sql<string>`max(published_at)`.as('published_at'),
          sql<string>`min(published_at)`.as('first_published_at'),
        ])
        .where('region_code', '=', region)
        .where('status', '=', 'published')
        .groupBy('month')
        .orderBy('month', 'desc')
        .limit(240)
        .execute(),
    ]);
    return {
      region: regions.find((r) => r.code === region) ?? { code: region, name: null },
      regions,
      months: rows.map((r) => ({
        month: r.month,
        version: Number(r.version),
        corrected: Number(r.version) > 1,
        publishedAt: new Date(r.first_published_at).toISOString(),
        updatedAt: new Date(r.published_at).toISOString(),
      })),
    };
  }

  private async published(month: string, region: string) {
    const rows = await this.deps.db
      .selectFrom('disclosure_reports')
      .select(['version', 'snapshot', 'published_at', 'correction_note'])
      .where('region_code', '=', region)
      .where('month', '=', month)
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .execute();
    if (rows.length === 0) throw new AppError('not_found', '该月的报告尚未公布');
    return rows;
  }

  /** One month's report (the latest version unless one is asked for), with its versions and corrections. */
  async month(month: string, q: { region?: string; version?: number }) {
    const rows = await this.published(month, q.region ?? CITY_REGION);
    const chosen = q.version === undefined ? rows[0]! : rows.find((r) => r.version === q.version);
    if (!chosen) throw new AppError('not_found', '该月没有这一版报告');
    return {
      report: parseJson<DisclosureReport>(chosen.snapshot),
      latestVersion: rows[0]!.version,
      versions: rows.map((r) => ({
        version: r.version,
        publishedAt: r.published_at,
        correctionNote: r.correction_note,
      })),
    };
  }

  /** Open data: `YYYY-MM.csv` or `YYYY-MM.json` of a published version. */
  async openData(file: string, q: { region?: string; version?: number }) {
    const m = /^(\d{4}-\d{2})\.(csv|json)$/.exec(file);
    if (!m) throw new AppError('bad_request', '文件名应为 YYYY-MM.csv 或 YYYY-MM.json');
    const { report } = await this.month(m[1]!, q);
    const name = `heze-12345-${report.region.code}-${report.month}-v${report.version}.${m[2]}`;
    return m[2] === 'csv'
      ? { name, type: 'text/csv; charset=utf-8', body: openDataCsv(report) }
      : { name, type: 'application/json; charset=utf-8', body: JSON.stringify(openDataJson(report)) };
  }
}
