// Attachments picked in the browser: checked here against the server's limits (第九条, attachment-storage.ts)
// so an agent learns at once, then read as base64 for the JSON body. The server sniffs the bytes again.
export const MAX_FILES = 5;
export const MAX_TOTAL_BYTES = 28 * 1024 * 1024; // AGENT_FILES_TOTAL_MB on POST /api/contacts
const MB = 1024 * 1024;
const LIMITS: Array<{ test: RegExp; max: number; label: string }> = [
  { test: /^image\//, max: 10 * MB, label: '图片' },
  { test: /^audio\//, max: 20 * MB, label: '语音' },
  { test: /^video\//, max: 20 * MB, label: '视频' },
  { test: /(pdf|msword|officedocument|ms-excel)/, max: 20 * MB, label: '文档' },
];
export const ACCEPT = 'image/*,audio/*,video/*,.pdf,.doc,.docx,.xls,.xlsx';

export const fmtSize = (n: number) =>
  n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/** Why this file cannot be attached, or null. */
export function fileProblem(file: File, already: File[]): string | null {
  const rule = LIMITS.find((l) => l.test.test(file.type));
  if (!rule) return `「${file.name}」不是支持的附件类型（图片、语音、视频、PDF、Word、Excel）`;
  if (file.size === 0) return `「${file.name}」是空文件`;
  if (file.size > rule.max) return `「${file.name}」过大：${rule.label}每个不能超过 ${rule.max / MB} MB`;
  if (already.length >= MAX_FILES) return `附件最多 ${MAX_FILES} 个`;
  if (already.reduce((s, f) => s + f.size, file.size) > MAX_TOTAL_BYTES)
    return `附件合计不能超过 ${MAX_TOTAL_BYTES / MB} MB`;
  return null;
}

export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve((typeof r.result === 'string' ? r.result : '').replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error(`读取「${file.name}」失败，请重新选择`));
    r.readAsDataURL(file);
  });
}
