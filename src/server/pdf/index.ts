// The shared PDF module: a generic document of blocks (headings, paragraphs, key-value tables, tables) rendered
// with the CJK font the machine has (fonts.ts). Used by the 督办通知单 (第二十二条) and the evidence pack (第二十三条).
export { renderPdf, type PdfBlock, type PdfDocumentSpec } from './document.js';
export { pdfFont, PdfFontMissingError, type PdfFont } from './fonts.js';
