import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import type { KnowledgeSearchSource } from '../../db/schema-knowledge.js';
import { localDateOf } from '../../domain/calendar.js';
import {
  isStale,
  planSearch,
  publicAnswerOf,
  rankCandidates,
  storableQuery,
  SUGGESTION_PLAN,
  TERM_STATS_MIN_DOCS,
  type TermFrequencies,
} from '../../domain/knowledge-search.js';
import { PEOPLE_ROLES, requireRole, type Actor, type Role } from '../auth/actor.js';
import { countSearch } from './knowledge-figures.repository.js';
import {
  articleDetails,
  categoryTree,
  regionAncestors,
  refreshTermStats,
  termFrequencies,
  searchCandidates,
  type ArticleDetail,
} from './knowledge-search.repository.js';
import type { KnowledgeSynonymService } from './knowledge-synonyms.service.js';

/** How long a process keeps its copy of the word frequencies (the job refreshes them every few hours). */
export const TERM_STATS_TTL_MS = 600_000;

/** People read the knowledge base; machine clients (gateways, partners) have no use for it. */
export const KNOWLEDGE_READERS: Role[] = PEOPLE_ROLES;
/** The console's suggestions from a contact's words: those who record and dispose contacts. */
export const CONSOLE_ROLES: Role[] = ['agent', 'dispatcher', 'supervisor'];

export interface SearchInput {
  q: string;
  categoryId?: number;
  regionCode?: string;
  limit: number;
}

/** An article as staff see it in a search (the internal answer included). */
export function presentInternal(d: ArticleDetail, now: Date) {
  return {
    id: d.id,
    versionId: d.versionId,
    title: d.title,
    aliases: d.aliases,
    shortAnswer: d.shortAnswer,
    answer: d.answer,
    visibility: d.visibility,
    ownerUnit: { id: d.ownerUnitId, name: d.ownerUnitName },
    policyBasis: d.policyBasis,
    categoryIds: d.categoryIds,
    regionCodes: d.regionCodes,
    effectiveFrom: d.effectiveFrom,
    expiresOn: d.expiresOn,
    reviewedAt: d.reviewedAt,
    stale: isStale(d.reviewedAt, d.reviewCycleDays, now),
    useCount: d.useCount,
    openFlagCount: d.openFlagCount,
  };
}

/**
 * A public article as citizens see it: an explicit list of fields, so nothing internal can slip through when the
 * article gains a column (第十八条; issue 9: no internal text ever reaches the portal).
 */
export function presentPublic(d: ArticleDetail) {
  return {
    id: d.id,
    title: d.title,
    answer: publicAnswerOf({ visibility: d.visibility, public_answer: d.publicAnswer, short_answer: d.shortAnswer }),
    ownerUnit: d.ownerUnitName,
    policyBasis: d.policyBasis.map((p) => ({
      document: p.document,
      number: p.number ?? null,
      clause: p.clause ?? null,
    })),
    updatedOn: d.publishedAt ? localDateOf(d.publishedAt) : d.effectiveFrom,
  };
}

// 第十八条 查询 / 第十二条 在线答复: one search for the agent's box, the console's suggestions and the portal.
export class KnowledgeSearchService {
  private frequencies: { df: TermFrequencies; at: number } | null = null;

  constructor(
    private readonly deps: { db: Kysely<DB>; clock: Clock },
    private readonly synonyms: KnowledgeSynonymService,
  ) {}

  /** The ranked published articles in force for a query; records the search in the day's rollups. */
  async find(input: SearchInput & { publicOnly: boolean; source: KnowledgeSearchSource }): Promise<ArticleDetail[]> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const today = localDateOf(now);
    const plan = planSearch(
      input.q,
      await this.synonyms.activeGroups(),
      await this.termFrequencies(),
      input.source === 'auto' ? SUGGESTION_PLAN : {},
    );
    const candidates = await searchCandidates(db, {
      want: input.limit,
      tsquery: plan.tsquery,
      trigram: plan.trigram,
      today,
      categoryIds: input.categoryId === undefined ? undefined : await categoryTree(db, input.categoryId),
      regionCodes: input.regionCode === undefined ? undefined : await regionAncestors(db, input.regionCode),
      publicOnly: input.publicOnly,
    });
    const ranked = rankCandidates(candidates, now, input.limit);
    const details = await articleDetails(
      db,
      ranked.map((r) => r.id),
    );
    await countSearch(db, {
      day: today,
      at: now,
      source: input.source,
      results: details.length,
      topArticleId: details[0]?.id ?? null,
      storedQuery: input.source === 'auto' ? null : storableQuery(input.q) || null,
    });
    return details;
  }

  /** How many titles each frequent word is in, as the last refresh found them; re-read every TERM_STATS_TTL_MS. */
  private async termFrequencies(): Promise<TermFrequencies> {
    const now = this.deps.clock.now().getTime();
    if (this.frequencies && Math.abs(now - this.frequencies.at) < TERM_STATS_TTL_MS) return this.frequencies.df;
    this.frequencies = { df: await termFrequencies(this.deps.db), at: now };
    return this.frequencies.df;
  }

  /** The job: recount the words' frequencies in titles (seconds at most over 100 000 titles). */
  async refreshTermStats() {
    const r = await refreshTermStats(this.deps.db, this.deps.clock.now(), TERM_STATS_MIN_DOCS);
    this.frequencies = null;
    return r;
  }

  /** 知识库查询 for signed-in staff: answers included. */
  async search(actor: Actor, input: SearchInput) {
    requireRole(actor, ...KNOWLEDGE_READERS);
    const now = this.deps.clock.now();
    const found = await this.find({ ...input, publicOnly: false, source: 'agent' });
    return { items: found.map((d) => presentInternal(d, now)) };
  }

  /** The console's panel: the best matches for what the requester said (its first 200 characters). */
  async suggest(actor: Actor, input: { text: string; categoryId?: number; regionCode?: string; limit: number }) {
    requireRole(actor, ...CONSOLE_ROLES);
    const now = this.deps.clock.now();
    const found = await this.find({
      q: input.text,
      categoryId: input.categoryId,
      regionCode: input.regionCode,
      limit: input.limit,
      publicOnly: false,
      source: 'auto',
    });
    return { items: found.map((d) => presentInternal(d, now)) };
  }
}
