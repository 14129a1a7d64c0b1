import { pdfFont, type PdfFont } from './fonts.js';

// A small, generic document model rendered to PDF (A4, one CJK font): the 督办通知单 and the misconduct evidence
// pack are each a list of blocks. Callers decide what goes in — and so what personal data (none beyond what the
// reader's screen shows, masked) — this module only lays it out.

export type PdfBlock =
  /** level 1: the document's title (centred); 2: a section; 3: a sub-section (default 2) */
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  | { kind: 'paragraph'; text: string; align?: 'left' | 'right' | 'center' }
  /** a two-column table of labels and values */
  | { kind: 'keyValue'; rows: Array<[string, string]> }
  /** a table with a header row; widths are relative (default equal) */
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'spacer'; height?: number };

export interface PdfDocumentSpec {
  /** the PDF's Title (document info): searchable without text extraction, e.g. the case number */
  title: string;
  subject?: string;
  author?: string;
  blocks: PdfBlock[];
  /** printed at the foot of every page, with the page number */
  footer?: string;
  createdAt?: Date;
}

const MARGIN = 56;
const BODY = 10.5;

/** Renders a document to PDF bytes. */
export async function renderPdf(spec: PdfDocumentSpec, font: PdfFont = pdfFont()): Promise<Buffer> {
  // pdfkit and its fonts take ~0.1 s to load: loaded by the first document, not at every start
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: spec.title,
      Subject: spec.subject ?? '',
      Author: spec.author ?? '',
      Creator: '菏泽市12345政务服务便民热线',
      CreationDate: spec.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.family);
  doc.font('cjk');
  const width = doc.page.width - MARGIN * 2;

  for (const b of spec.blocks) {
    switch (b.kind) {
      case 'heading':
        if (b.level === 1) {
          doc.fontSize(18).text(b.text, MARGIN, undefined, { width, align: 'center' }).moveDown(0.6);
        } else {
          ensureSpace(doc, 40);
          doc
            .fontSize(b.level === 3 ? 11.5 : 13)
            .text(b.text, MARGIN)
            .moveDown(0.3);
        }
        break;
      case 'paragraph':
        doc
          .fontSize(BODY)
          .text(b.text, MARGIN, undefined, { align: b.align ?? 'left', lineGap: 3 })
          .moveDown(0.4);
        break;
      case 'keyValue':
        table(doc, [], b.rows, [1, 3], width);
        break;
      case 'table':
        table(doc, b.columns, b.rows, b.widths ?? b.columns.map(() => 1), width);
        break;
      case 'spacer':
        doc.moveDown((b.height ?? 12) / 12);
        break;
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const text = `${spec.footer ? `${spec.footer}\u3000` : ''}第 ${i + 1} 页 / 共 ${range.count} 页`;
    // writing below the bottom margin must not start a new page
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8).text(text, MARGIN, doc.page.height - MARGIN, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function ensureSpace(doc: PDFKit.PDFDocument, h: number) {
  if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function table(doc: PDFKit.PDFDocument, header: string[], rows: string[][], rel: number[], width: number) {
  const total = rel.reduce((a, b) => a + b, 0);
  const widths = rel.map((r) => (r / total) * width);
  const pad = 4;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.fontSize(BODY);
    const h =
      Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - pad * 2, lineGap: 2 }))) +
      pad * 2;
    ensureSpace(doc, h);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      if (bold || (header.length === 0 && i === 0)) doc.rect(x, y, widths[i]!, h).fillAndStroke('#f0f0f0', '#999');
      else doc.rect(x, y, widths[i]!, h).stroke('#999');
      doc.fillColor('#000').text(c || ' ', x + pad, y + pad, { width: widths[i]! - pad * 2, lineGap: 2 });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  doc.lineWidth(0.5);
  if (header.length) drawRow(header, true);
  for (const r of rows)
    drawRow(
      widths.map((_, i) => r[i] ?? ''),
      false,
    );
  doc.moveDown(0.6);
}
