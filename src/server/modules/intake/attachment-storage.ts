import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors.js';

/** Where attachment bytes live. Local disk by default; an object store implements the same three calls. */
export interface AttachmentStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export class LocalDiskStorage implements AttachmentStorage {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }
  private path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + '/')) throw new Error('attachment key escapes the storage root');
    return p;
  }
  async put(key: string, data: Buffer) {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, data, { flag: 'wx' });
  }
  get(key: string) {
    return readFile(this.path(key));
  }
  async delete(key: string) {
    await rm(this.path(key), { force: true });
  }
}

export type AttachmentKind = 'image' | 'audio' | 'video' | 'document';

// 第九条: voice, pictures, video and documents. The type is sniffed from the bytes, never trusted from the
// file name or the client's content type, and each kind has its own size limit.
const ALLOWED: Record<string, AttachmentKind> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/heic': 'image',
  'image/bmp': 'image',
  'audio/mpeg': 'audio',
  'audio/amr': 'audio',
  'audio/wav': 'audio',
  'audio/x-wav': 'audio',
  'audio/mp4': 'audio',
  'audio/aac': 'audio',
  'audio/ogg': 'audio',
  'audio/x-m4a': 'audio',
  'audio/silk': 'audio',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/3gpp': 'video',
  'video/webm': 'video',
  'application/pdf': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/msword': 'document',
  'application/x-cfb': 'document',
};

export const SIZE_LIMITS: Record<AttachmentKind, number> = {
  image: 10 * 1024 * 1024,
  audio: 20 * 1024 * 1024,
  video: 100 * 1024 * 1024,
  document: 20 * 1024 * 1024,
};

export interface SniffedFile {
  kind: AttachmentKind;
  mime: string;
  size: number;
  sha256: string;
  ext: string;
}

/** What one kind of upload accepts: a subset of the kinds, and how a refusal names them. */
export interface SniffOptions {
  kinds?: readonly AttachmentKind[];
  /** e.g. '图片、PDF 和 Word/Excel 文档' */
  accepted?: string;
}

export async function sniffAttachment(
  data: Buffer,
  originalName?: string | null,
  opts: SniffOptions = {},
): Promise<SniffedFile> {
  if (data.length === 0) throw new AppError('bad_request', `附件${originalName ? `「${originalName}」` : ''}为空`);
  const type = await fileTypeFromBuffer(data);
  const kind = type ? ALLOWED[type.mime] : undefined;
  if (!type || !kind || (opts.kinds && !opts.kinds.includes(kind))) {
    throw new AppError(
      'bad_request',
      `不支持的附件类型${originalName ? `「${originalName}」` : ''}：仅支持${opts.accepted ?? '图片、语音、视频和 PDF/Word/Excel 文档'}`,
      { detected: type?.mime ?? null },
    );
  }
  if (data.length > SIZE_LIMITS[kind]) {
    throw new AppError(
      'bad_request',
      `附件过大：${kind === 'image' ? '图片' : kind === 'audio' ? '语音' : kind === 'video' ? '视频' : '文档'}不能超过 ${SIZE_LIMITS[kind] / 1024 / 1024} MB`,
      { size: data.length, limit: SIZE_LIMITS[kind] },
    );
  }
  return {
    kind,
    mime: type.mime,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    ext: type.ext,
  };
}

/** A storage key that groups files by day and never reuses a name. */
export function newStorageKey(now: Date, ext: string): string {
  const d = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return join(d, `${randomUUID()}.${ext}`);
}
