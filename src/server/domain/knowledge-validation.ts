// 第十八条: what makes a version's content acceptable beyond its shape (the zod contract checks lengths and
// formats): dates that make sense, categories and regions that exist, no repeated aliases. Pure: the service passes
// the ids and codes that exist.

export interface FieldError {
  field: string;
  message: string;
}

export interface ContentToCheck {
  title: string;
  aliases: string[];
  visibility: 'internal' | 'public';
  publicAnswer?: string | null;
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom: string;
  expiresOn?: string | null;
  policyChangedOn?: string | null;
}

const isDay = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
};

/** Every problem at once, each with its field, so a form marks them all. */
export function contentErrors(
  c: ContentToCheck,
  known: { categoryIds: ReadonlySet<number>; regionCodes: ReadonlySet<string> },
): FieldError[] {
  const out: FieldError[] = [];
  if (!isDay(c.effectiveFrom)) out.push({ field: 'effectiveFrom', message: '生效日期不是有效日期' });
  if (c.expiresOn && !isDay(c.expiresOn)) out.push({ field: 'expiresOn', message: '失效日期不是有效日期' });
  if (c.policyChangedOn && !isDay(c.policyChangedOn))
    out.push({ field: 'policyChangedOn', message: '政策变化日期不是有效日期' });
  if (c.expiresOn && isDay(c.expiresOn) && isDay(c.effectiveFrom) && c.expiresOn <= c.effectiveFrom)
    out.push({ field: 'expiresOn', message: '失效日期须晚于生效日期' });
  const missingCats = [...new Set(c.categoryIds)].filter((id) => !known.categoryIds.has(id));
  if (missingCats.length) out.push({ field: 'categoryIds', message: `事项分类不存在：${missingCats.join('、')}` });
  const missingRegions = [...new Set(c.regionCodes)].filter((code) => !known.regionCodes.has(code));
  if (missingRegions.length)
    out.push({ field: 'regionCodes', message: `行政区划不存在：${missingRegions.join('、')}` });
  const seen = new Set<string>();
  for (const a of c.aliases) {
    const k = a.trim();
    if (k === c.title.trim()) {
      out.push({ field: 'aliases', message: `别名「${k}」与标题相同` });
      break;
    }
    if (seen.has(k)) {
      out.push({ field: 'aliases', message: `别名「${k}」重复` });
      break;
    }
    seen.add(k);
  }
  return out;
}

/** One message naming every field, for the 422's top line. */
export function errorsMessage(errors: FieldError[]): string {
  return `内容不符合要求：${errors.map((e) => e.message).join('；')}`;
}
