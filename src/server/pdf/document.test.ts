import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPdf } from './document.js';
import { pdfFont, PdfFontMissingError } from './fonts.js';

// The shared PDF module: generic blocks to A4 pages with an embedded CJK font (第二十二条 督办通知单, 第二十三条 证据材料).

const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

describe('PDF documents', () => {
  it('renders every kind of block, with the font embedded and the title in the document info', async () => {
    const pdf = await renderPdf({
      title: '测试文档 T-1',
      blocks: [
        { kind: 'heading', level: 1, text: '菏泽市12345政务服务便民热线' },
        { kind: 'heading', text: '一、基本情况' },
        { kind: 'heading', level: 3, text: '（一）工单' },
        { kind: 'paragraph', text: '这是一段中文正文。', align: 'left' },
        { kind: 'keyValue', rows: [['单位', '牡丹区人民政府']] },
        { kind: 'table', columns: ['编号', '标题'], rows: [['1', '路灯不亮']], widths: [1, 3] },
        { kind: 'spacer' },
      ],
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]?\b/);
  });

  it('breaks long tables over pages', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [String(i + 1), `第 ${i + 1} 件工单的诉求标题`]);
    const pdf = await renderPdf({ title: 'long', blocks: [{ kind: 'table', columns: ['编号', '标题'], rows }] });
    expect(pages(pdf)).toBeGreaterThanOrEqual(3);
  });

  it('PDF_FONT chooses the font; a missing one is a clear error naming what to install', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hz-font-'));
    try {
      const fake = join(dir, 'x.ttf');
      writeFileSync(fake, 'not a font');
      expect(pdfFont({ PDF_FONT: `${fake}#Face` })).toMatchObject({ path: fake, family: 'Face' });
      expect(() => pdfFont({ PDF_FONT: join(dir, 'missing.ttf') })).toThrow(PdfFontMissingError);
      expect(() => pdfFont({ PDF_FONT: join(dir, 'missing.ttf') })).toThrow(/fonts-noto-cjk|PDF_FONT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
