import { existsSync, readFileSync } from 'node:fs';

// Chinese text needs a CJK font embedded in the PDF (pdfkit subsets it: only the glyphs used are stored). No npm
// package ships a whole Simplified-Chinese font as one file fontkit can subset, so the system's Noto CJK is used
// (.ci/run installs fonts-noto-cjk; Debian/Ubuntu: apt-get install fonts-noto-cjk), or any font named by PDF_FONT:
// `PDF_FONT=/path/font.ttf` or, inside a collection, `PDF_FONT=/path/fonts.ttc#PostScriptName`.

export interface PdfFont {
  path: string;
  /** the face inside a collection (.ttc); absent for a single font file */
  family?: string;
  data: Buffer;
}

const CANDIDATES: Array<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
  { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' },
];

export class PdfFontMissingError extends Error {
  constructor(tried: string[]) {
    super(
      `No CJK font for PDF documents. Install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set PDF_FONT to a ` +
        `TTF/OTF/TTC file (a collection as /path/file.ttc#PostScriptName). Tried: ${tried.join(', ')}`,
    );
    this.name = 'PdfFontMissingError';
  }
}

let cached: { key: string; font: PdfFont } | undefined;

/** The font PDFs are set in: PDF_FONT when given, else the first system CJK font found. Read once per process. */
export function pdfFont(env: NodeJS.ProcessEnv = process.env): PdfFont {
  const key = env.PDF_FONT ?? '';
  if (cached && cached.key === key) return cached.font;
  const list = key ? [parseSpec(key)] : CANDIDATES;
  for (const c of list) {
    if (existsSync(c.path)) {
      const font = { ...c, data: readFileSync(c.path) };
      cached = { key, font };
      return font;
    }
  }
  throw new PdfFontMissingError(list.map((c) => c.path));
}

function parseSpec(spec: string): { path: string; family?: string } {
  const i = spec.lastIndexOf('#');
  return i > 0 ? { path: spec.slice(0, i), family: spec.slice(i + 1) } : { path: spec };
}
