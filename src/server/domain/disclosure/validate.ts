// 第二十一条 / 第六条: what leaves through the portal is checked twice — by construction (the report is built from
// aggregates only) and here, before a version is published and when a draft is previewed or submitted: every key of the JSON
// must be on the whitelist (so an internal field added later cannot slip out), and no text may carry something
// that reads like a phone number, an ID card or bank card number, an e-mail address or a ticket number.

/** Every key the published report may contain, at any depth. */
export const PUBLIC_KEYS: ReadonlySet<string> = new Set([
  'schema',
  'month',
  'region',
  'code',
  'name',
  'version',
  'publishedAt',
  'correction',
  'note',
  'foreword',
  'contacts',
  'tickets',
  'byChannel',
  'byType',
  'total',
  'rows',
  'key',
  'label',
  'count',
  'value',
  'suppressed',
  'topMatters',
  'previous',
  'change',
  'units',
  'source',
  'group',
  'handled',
  'acceptTimely',
  'ontimeCompletion',
  'resolution',
  'satisfaction',
  'score',
  'rank',
  'redList',
  'blackList',
  'position',
  'reason',
  'cases',
  'title',
  'category',
  'unit',
  'summary',
  'suppression',
  'threshold',
]);

const PATTERNS: Array<[RegExp, string]> = [
  [/(?<!\d)1[3-9]\d{9}(?!\d)/, '手机号码'],
  [/(?<!\d)1[3-9]\d[\s-]\d{4}[\s-]\d{4}(?!\d)/, '手机号码'],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/, '固定电话号码'],
  [/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/, '身份证号码'],
  [/(?<!\d)\d{15}(?!\d)/, '身份证号码'],
  [/(?<!\d)\d{16,19}(?!\d)/, '银行卡号'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/, '电子邮箱'],
  [/HZ\d{8}-\d{6}/i, '工单号'],
  [/\d+\s*(号楼|单元|室|门牌)/, '详细地址'],
];

/** The personal-looking things in a text (empty when none): the reason a summary is refused. */
export function personalDataIn(text: string): string[] {
  return [...new Set(PATTERNS.filter(([re]) => re.test(text)).map(([, what]) => what))];
}

export interface Violation {
  path: string;
  problem: string;
}

/** Every key off the whitelist and every text that reads like personal data, with where it is. */
export function validatePublicReport(report: unknown): Violation[] {
  const out: Violation[] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return;
    if (typeof v === 'string') {
      for (const what of personalDataIn(v)) out.push({ path, problem: `含有疑似${what}` });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!PUBLIC_KEYS.has(k)) out.push({ path: `${path}.${k}`, problem: '不在公开字段白名单内' });
        else walk(x, `${path}.${k}`);
      }
      return;
    }
    out.push({ path, problem: '不支持的数据类型' });
  };
  walk(report, '$');
  return out;
}
