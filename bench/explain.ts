import {
  AliasNode,
  CompiledQuery,
  createQueryId,
  SelectQueryNode,
  TableNode,
  type Kysely,
  type KyselyPlugin,
  type RootOperationNode,
} from 'kysely';
import type { DB } from '../src/server/db/schema.js';

// EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the work-queue endpoint ran: a Kysely plugin on the app's
// database handle remembers the last paged SELECT over tickets or a subquery (one with ORDER BY and LIMIT), so the
// plan shown is the server's real query with its real parameters, not a hand-written copy.

export class QueueQueryCapture implements KyselyPlugin {
  last: RootOperationNode | null = null;

  transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
    const node = args.node;
    if (SelectQueryNode.is(node) && node.limit && node.orderBy) {
      const first = node.from?.froms[0];
      // the queue is either a plain read of tickets or (lead and centre views) a merge of per-status branches
      // read from a subquery; the branches' own SELECTs are not root nodes, so only the outer one is seen here
      const tickets = first && TableNode.is(first) && first.table.identifier.name === 'tickets';
      const merged = first && AliasNode.is(first) && SelectQueryNode.is(first.node);
      if (tickets || merged) this.last = node;
    }
    return node;
  }

  async transformResult(args: Parameters<KyselyPlugin['transformResult']>[0]) {
    return args.result;
  }
}

export interface PlanSummary {
  executionMs: number | null;
  planningMs: number | null;
  /** Scan nodes as "Index Scan using tickets_unit_queue", "Seq Scan on tickets", … */
  scans: string[];
  sorts: string[];
  usesIndex: boolean;
  /** Buffers line of the top node ("shared hit=… read=…"). */
  buffers: string | null;
  /** Plan node lines with their index conditions, filters and sort lines, for the report. */
  nodes: string[];
  sql: string;
}

/** Re-runs the captured query under EXPLAIN (ANALYZE, BUFFERS) on the raw handle (outside the capture). */
export async function explainCaptured(db: Kysely<DB>, capture: QueueQueryCapture): Promise<PlanSummary | null> {
  if (!capture.last) return null;
  const compiled = db.getExecutor().compileQuery(capture.last, createQueryId());
  const r = await db.executeQuery<Record<string, string>>(
    CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, [...compiled.parameters]),
  );
  const lines = r.rows.map((row) => String(Object.values(row)[0]));
  const num = (re: RegExp) => {
    const m = lines.map((l) => re.exec(l)).find((x) => x);
    return m ? Number(m[1]) : null;
  };
  const nodes = lines
    .filter((l, i) => i === 0 || /->|Index Cond|Filter:|Rows Removed|Sort Method|Recheck Cond/.test(l))
    .map((l) => l.replace(/\s+\(cost=[^)]*\)/, '').replace(/\s+$/, ''));
  const scans = nodes
    .map(
      (l) =>
        /((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)(?: Backward)?(?: using \S+| on \S+)?)/.exec(
          l,
        )?.[1],
    )
    .filter((s): s is string => !!s);
  const sorts = lines
    .map((l) => /(Sort Method: [^\n]*)/.exec(l)?.[1])
    .filter((s): s is string => !!s)
    .map((s) => s.trim());
  return {
    executionMs: num(/Execution Time: ([\d.]+) ms/),
    planningMs: num(/Planning Time: ([\d.]+) ms/),
    scans,
    sorts,
    usesIndex: scans.some((s) => /Index/.test(s)),
    buffers:
      lines
        .find((l) => /Buffers:/.test(l))
        ?.trim()
        .replace(/^Buffers:\s*/, '') ?? null,
    nodes,
    sql: compiled.sql,
  };
}

export function formatPlan(p: PlanSummary | null): string {
  if (!p) return 'no queue query captured';
  const sort = p.sorts.length ? `; ${p.sorts.join(', ')}` : '; no sort';
  const buffers = p.buffers ? `; buffers ${p.buffers}` : '';
  return `exec ${p.executionMs?.toFixed(2) ?? '?'} ms (plan ${p.planningMs?.toFixed(2) ?? '?'} ms); ${p.usesIndex ? 'index used' : 'NO INDEX'}: ${p.scans.join(' + ') || '—'}${sort}${buffers}`;
}
