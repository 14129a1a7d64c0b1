// Reading a labelled file for `npm run classify:eval` (and for importing labelled history): RFC 4180 CSV — quoted
// fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF, a UTF-8 BOM — into rows of strings.
// Small enough to own; the files are at most a few hundred thousand rows, read at once.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/**
 * Rows as records keyed by the lower-cased header names; throws naming the missing columns. Extra columns are kept
 * (and ignored by callers).
 */
export function csvRecords(text: string, required: readonly string[], source: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${source} is empty`);
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length)
    throw new Error(`${source} lacks the column(s) ${missing.join(', ')} (its header: ${header.join(', ')})`);
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ''])));
}
