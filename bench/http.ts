import { CATEGORIES } from '../src/server/seed/heze-categories.js';
import { holdsPersonalNumber } from '../src/shared/domain/report-text.js';
import { DEMO_PASSWORD, REGIONS } from '../src/server/seed/heze-organisation.js';
import type { SeedIds } from '../src/server/seed/seed.js';
import type { TextCorpus } from './ticket-texts.js';

// The HTTP half of the benchmark: a logged-in client over real loopback HTTP (global fetch, keep-alive),
// ticket creation at a fixed concurrency, and sequential work-queue reads with keyset paging.

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return {
    n: s.length,
    p50: at(0.5),
    p95: at(0.95),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

export class Client {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    readonly username: string,
  ) {}

  static async login(base: string, username: string): Promise<Client> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('hz_sid='));
    if (!cookie) throw new Error(`login ${username}: no session cookie`);
    return new Client(base, cookie, username);
  }

  /** The session cookie, for a client of its own (bench/raw-http.ts). */
  get cookieHeader(): string {
    return this.cookie;
  }

  /** Network errors on reused keep-alive sockets (server closed an idle one) are retried once for GETs. */
  retries = 0;

  async request<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; ms: number; bytes: number }> {
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${this.base}${path}`, {
          method,
          headers:
            body === undefined ? { cookie: this.cookie } : { cookie: this.cookie, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        const ms = performance.now() - t0;
        return {
          status: res.status,
          body: (text ? JSON.parse(text) : undefined) as T,
          ms,
          bytes: Buffer.byteLength(text),
        };
      } catch (err) {
        if (method !== 'GET' || attempt > 0)
          return {
            status: 0,
            body: { error: String((err as Error).cause ?? err) } as T,
            ms: performance.now() - t0,
            bytes: 0,
          };
        this.retries++;
      }
    }
  }
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
];
const STREETS = ['中华路', '人民路', '长江路', '黄河路', '丹阳路', '八一路', '青年路', '双河路', '牡丹路', '和平路'];
const REQUEST_TYPES = ['complaint', 'help', 'consult', 'report', 'suggestion', 'praise'] as const;

/** A create-ticket body as an agent would submit it: corpus text, leaf category, region, requester PII. */
export function ticketBody(i: number, corpus: TextCorpus, ids: SeedIds) {
  const leaves = CATEGORIES.flatMap((c) => c.children.map((ch) => ids.categories[ch.code]!));
  const regions = REGIONS.filter((r) => r.level >= 2);
  const text = corpus.messages[(i * 7919) % corpus.messages.length]!;
  return {
    requestType: REQUEST_TYPES[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : (i % 4) + 2]!,
    categoryId: leaves[(i * 31) % leaves.length]!,
    urgency: i % 20 === 0 ? 'urgent' : 'normal',
    regionCode: regions[(i * 13) % regions.length]!.code,
    address: `菏泽市${STREETS[i % STREETS.length]}${(i % 300) + 1}号`,
    title: text.title,
    content: text.content,
    channel: 'phone',
    // 第三十三条: a 举报 carries the agent's text for the units (required)
    // (a corpus title with a phone-like number would be refused, as it should: then a plain text)
    unitText: holdsPersonalNumber(text.title) ? '事项转述：群众反映的问题，请核实办理。' : `事项转述：${text.title}`,
    requester: {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 3) % GIVEN.length]}`,
      phone: `13${String(500000000 + ((i * 104729) % 499999999)).padStart(9, '0')}`,
    },
  };
}

/** An SMS gateway's inbound post (POST /api/channels/sms/inbound): message `n` of sender `n % senders`. */
export function smsInboundBody(prefix: string, n: number, senders: number, texts: string[]) {
  return {
    messageId: `${prefix}-${n}`,
    from: `13${String(500_000_000 + (n % senders) * 7919).padStart(9, '0')}`,
    to: '10690012345',
    text: texts[n % texts.length]!,
    receivedAt: new Date().toISOString(),
  };
}

export interface CreateResult {
  created: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: Stats;
  firstError?: string;
}

/** POST /api/tickets `count` times with `concurrency` requests in flight (stops early after maxSeconds). */
export async function createTickets(
  agent: Client,
  corpus: TextCorpus,
  ids: SeedIds,
  count: number,
  concurrency: number,
  maxSeconds: number,
  offset = 0,
): Promise<CreateResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const r = await agent.request('POST', '/api/tickets', ticketBody(offset + i, corpus, ids));
      if (r.status === 201) latencies.push(r.ms);
      else {
        errors++;
        firstError ??= `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    created: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    latency: stats(latencies),
    firstError,
  };
}

export interface QueueResult {
  label: string;
  first: Stats;
  deep: Stats;
  /** Rows in the first page, and how many pages one walk reached (capped at `depth`). */
  firstPageRows: number;
  firstPageBytes: number;
  pagesWalked: number;
  /** The queue's last page, found by walking `next` to the end (bounded): its number, cursor and latency. */
  lastPage: number;
  /** False when the walk stopped at its page or time bound before the queue ended. */
  reachedEnd: boolean;
  lastCursor: string | null;
  last: Stats;
}

/**
 * Sequential reads of one queue: `requests` first-page reads, then `requests` reads of pages 2…depth+1
 * by following `next` (restarting the walk from page 1 when the queue ends). Each half stops after maxSeconds.
 */
export async function measureQueue(
  client: Client,
  label: string,
  path: string,
  requests: number,
  depth: number,
  maxSeconds: number,
): Promise<QueueResult> {
  const get = async (p: string) => {
    const r = await client.request<{ items: unknown[]; next: string | null }>('GET', p);
    if (r.status !== 200)
      throw new Error(`${label}: GET ${p} → HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r;
  };
  const sep = path.includes('?') ? '&' : '?';
  const firstMs: number[] = [];
  let firstPageRows = 0;
  let firstPageBytes = 0;
  let firstNext: string | null = null;
  let stop = performance.now() + maxSeconds * 1000;
  for (let i = 0; i < requests && performance.now() < stop; i++) {
    const r = await get(path);
    firstMs.push(r.ms);
    firstPageRows = r.body.items.length;
    firstPageBytes = r.bytes;
    firstNext = r.body.next;
  }
  const deepMs: number[] = [];
  let pagesWalked = 1;
  let cursor = firstNext;
  let page = 1;
  const paged = (c: string) => `${path}${sep}after=${encodeURIComponent(c)}`;
  stop = performance.now() + maxSeconds * 1000;
  while (cursor && deepMs.length < requests && performance.now() < stop) {
    const r = await get(paged(cursor));
    deepMs.push(r.ms);
    pagesWalked = Math.max(pagesWalked, ++page);
    cursor = page <= depth ? r.body.next : null;
    if (!cursor) {
      cursor = firstNext;
      page = 1;
    }
  }
  // One walk to the end of the queue (at most 5,000 pages or maxSeconds), then the last page 10 times.
  let lastPage = 1;
  let lastCursor: string | null = null;
  stop = performance.now() + maxSeconds * 1000;
  let c = firstNext;
  for (; c && lastPage < 5000 && performance.now() < stop; lastPage++) {
    lastCursor = c;
    c = (await get(paged(c))).body.next;
  }
  const lastMs: number[] = [];
  for (let i = 0; i < 10 && lastCursor; i++) lastMs.push((await get(paged(lastCursor))).ms);
  return {
    label,
    first: stats(firstMs),
    deep: stats(deepMs),
    firstPageRows,
    firstPageBytes,
    pagesWalked,
    lastPage,
    reachedEnd: !c,
    lastCursor,
    last: stats(lastMs),
  };
}
