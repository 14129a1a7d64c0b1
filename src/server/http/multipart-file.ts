import type { FastifyRequest } from 'fastify';
import { hasNoNul } from '../../shared/contracts/common.js';
import { AppError } from '../errors.js';

// One file sent as multipart/form-data (what antd's Upload sends), read into memory within the limits the scope
// registered @fastify/multipart with. Multipart is not seen by the app's input guard: a NUL in a field's name,
// value or the file name is refused here (PostgreSQL cannot hold it; issue 8). The limits answer a Chinese 400.

export interface MultipartMessages {
  tooLarge: string;
  tooMany: string;
  missing: string;
}

export async function readOneFile(
  req: FastifyRequest,
  field: string,
  messages: MultipartMessages,
): Promise<{ name: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError('bad_request', '请以 multipart/form-data 方式上传文件');
  const nul = () => new AppError('bad_request', '文件名或表单内容不能包含空字符（\\u0000）');
  let file: { name: string; data: Buffer } | undefined;
  try {
    for await (const part of req.parts()) {
      if (!hasNoNul(part.fieldname)) throw nul();
      if (part.type !== 'file') {
        if (typeof part.value === 'string' && !hasNoNul(part.value)) throw nul();
        continue;
      }
      const data = await part.toBuffer();
      if (!hasNoNul(part.filename ?? '')) throw nul();
      if (part.fieldname !== field)
        throw new AppError('bad_request', `不支持的文件字段「${part.fieldname}」，请使用 ${field}`);
      if (file) throw new AppError('bad_request', messages.tooMany);
      file = { name: part.filename ?? '', data };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('bad_request', messages.tooLarge);
    if (code === 'FST_FILES_LIMIT') throw new AppError('bad_request', messages.tooMany);
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('bad_request', '表单字段过多');
    throw err;
  }
  if (!file || file.data.length === 0) throw new AppError('bad_request', messages.missing);
  return file;
}
