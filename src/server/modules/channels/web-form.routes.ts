import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasNoNul } from '../../../shared/contracts/common.js';
import { AppError } from '../../errors.js';
import { rateLimit } from '../../http/rate-limit.js';
import type { Services } from '../../http/services.js';
import { sniffAttachment, SIZE_LIMITS } from '../intake/attachment-storage.js';
import type { ChannelServices } from './channels.services.js';
import { chineseTooLarge, PayloadTooLarge } from './inline-files.js';
import { addressMeta } from './personal-meta.js';
import { newTrackingCode } from '../../domain/tracking-code.js';
import type { IncomingFile, RecordedContact } from '../intake/contacts.service.js';

export const MAX_PICTURES = 3;
// A honeypot: a field the page hides from people. Its name means nothing to browsers' autofill (which
// would fill "website", "url", "email"…), while bots that fill every input fill it too.
export const HONEYPOT_FIELD = 'hz_trap';

const PICTURE_TOO_LARGE = `图片过大：每张不能超过 ${SIZE_LIMITS.image / 1024 / 1024} MB`;
const MULTIPART_LIMITS: Record<string, string> = {
  FST_REQ_FILE_TOO_LARGE: PICTURE_TOO_LARGE,
  FST_FILES_LIMIT: `图片最多上传 ${MAX_PICTURES} 张`,
  FST_FIELDS_LIMIT: '表单字段过多',
  FST_PARTS_LIMIT: '表单字段过多',
};

const fields = z.object({
  formToken: z.string().max(200).optional(),
  [HONEYPOT_FIELD]: z.string().optional(),
  name: z.string().trim().max(50, '姓名过长').optional(),
  phone: z
    .string()
    .trim()
    .regex(/^(\+?\d[\d\s-]{4,19})?$/, '电话号码格式不正确')
    .optional(),
  content: z
    .string({ error: '请填写诉求内容' })
    .trim()
    .min(5, '请具体描述您的诉求（至少 5 个字）')
    .max(5000, '诉求内容不能超过 5000 字'),
  address: z.string().trim().max(200, '地址过长').optional(),
  category: z.string().trim().max(50).optional(),
  // issue 14: the staff category the citizen picked (the portal offers the first two levels of the staff tree)
  categoryId: z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, '诉求类别不正确')
    .optional(),
  // issue 14: the county or town the citizen picked (GET /api/public/regions)
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6,9}$/, '所在区域不正确')
    .optional(),
});

// 第二条 网站: the public submits a request without an account. It becomes a contact that an agent disposes
// (第十二条); the citizen gets a contact reference now and, if a ticket is opened, the SMS receipt later.

/** A multipart field's value as text (fields are strings; anything else is treated as empty). */
const fieldText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
export function webFormRoutes(app: FastifyInstance, s: Services, ch: ChannelServices) {
  app.register(async (sub) => {
    chineseTooLarge(sub, PICTURE_TOO_LARGE);
    await sub.register(multipart, {
      limits: {
        fileSize: SIZE_LIMITS.image,
        files: MAX_PICTURES,
        fields: 20,
        fieldSize: 64 * 1024,
        parts: 30,
        headerPairs: 200,
      },
    });
    const r = sub.withTypeProvider<ZodTypeProvider>();
    const tags = ['public'];
    r.get(
      '/api/public/form-token',
      {
        preHandler: rateLimit(s.deps, { max: 30, windowMs: 60_000, key: 'form-token' }),
        schema: { tags, summary: '网上留言表单令牌（提交前获取；防机器提交）' },
      },
      async (_req, reply) => reply.header('cache-control', 'no-store').send(ch.formTokens.issue()),
    );

    r.post(
      '/api/public/requests',
      {
        preHandler: rateLimit(s.deps, { max: 10, windowMs: 60_000, key: 'web-form' }),
        schema: {
          tags,
          summary: '网上留言（multipart/form-data；图片最多 3 张，每张不超过 10 MB）',
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const { values, files } = await readForm(req);
        if (values[HONEYPOT_FIELD]) throw new AppError('bad_request', '提交未通过校验，请刷新页面后重新填写');
        const nonce = ch.formTokens.check(values.formToken);
        const parsed = fields.safeParse(values);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          throw new AppError('bad_request', issues[0]!.message, { issues });
        }
        const f = parsed.data;
        await checkPictures(files);
        const picked = f.categoryId ? await s.config.publicCategory(Number(f.categoryId)) : null;
        if (f.categoryId && !picked)
          throw new AppError('bad_request', '诉求类别不存在，请重新选择', { field: 'categoryId' });
        const place = f.regionCode ? await s.config.publicRegion(f.regionCode) : null;
        if (f.regionCode && !place)
          throw new AppError('bad_request', '所在区域不存在，请重新选择', { field: 'regionCode' });
        const trackingCode = newTrackingCode();
        const rec = await s.contacts.record({
          channel: 'web',
          externalId: `form:${nonce}`,
          content: f.content,
          files,
          requester: f.name || f.phone ? { name: f.name || null, phone: f.phone || null } : null,
          meta: {
            category: picked?.path ?? (f.category || null),
            categoryId: picked?.id ?? null,
            region: place?.path ?? null,
            regionCode: place?.code ?? null,
            ...addressMeta(s.deps.cipher, f.address),
          },
          trackingCode,
        });
        return reply.status(rec.duplicate ? 200 : 201).send(webFormAnswer(rec, trackingCode));
      },
    );
  });
}

/**
 * What the citizen is told once the message is stored. 第十三条(一): a message that reads like an emergency is not
 * left to wait for an agent with "we will handle it soon" — the portal tells the sender at once which number to
 * call (the agent's inbox puts it first as well). 第九条: the 留言编号 and its 查询码 follow the message before and
 * after it becomes a ticket; a repeated submission of the same form keeps the first code (never stored in clear).
 */
export function webFormAnswer(rec: RecordedContact, trackingCode: string) {
  const reference = `WEB-${rec.id}`;
  const emergency = rec.emergency ? { line: rec.emergency.line, label: rec.emergency.label } : null;
  const code = rec.duplicate ? null : trackingCode;
  const follow = code
    ? `请记下留言编号 ${reference} 和查询码 ${code}，凭此可随时查询办理进度。`
    : '该留言此前已提交，请使用首次提交时显示的查询码查询进度。';
  const message = emergency
    ? `您描述的情况可能需要紧急处置：请立即拨打 ${emergency.line}（${emergency.label}）。网上留言由话务员按顺序处理，不能代替报警和急救。${follow}`
    : `您的留言已提交，话务员将尽快受理。${follow}如您留有手机号码，受理后还将以短信告知工单号。`;
  return { reference, code, duplicate: rec.duplicate, emergency, message };
}

/** Reads the whole form into memory (bounded by the limits above) before anything is written. */
async function readForm(req: FastifyRequest): Promise<{ values: Record<string, string>; files: IncomingFile[] }> {
  if (!req.isMultipart()) throw new AppError('bad_request', '请以 multipart/form-data 方式提交表单');
  const values: Record<string, string> = {};
  const files: IncomingFile[] = [];
  try {
    for await (const part of req.parts()) {
      // multipart is not seen by the app's input guard: a NUL in a field's name, value or a file name is refused
      // here, before anything is stored (PostgreSQL cannot hold it; issue 8)
      const nul = () => new AppError('bad_request', '表单内容不能包含空字符（\\u0000）');
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (!hasNoNul(part.fieldname) || !hasNoNul(part.filename ?? '')) throw nul();
        if (part.fieldname !== 'pictures')
          throw new AppError('bad_request', `不支持的文件字段「${part.fieldname}」，图片请使用 pictures`);
        // a browser sends an empty part for a file input left empty
        if (data.length > 0) files.push({ data, name: part.filename || null });
      } else {
        if (!hasNoNul(part.fieldname) || !hasNoNul(fieldText(part.value))) throw nul();
        if (part.valueTruncated) throw new AppError('bad_request', `字段「${part.fieldname}」过长`);
        values[part.fieldname] = fieldText(part.value);
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && MULTIPART_LIMITS[code]) throw new PayloadTooLarge(MULTIPART_LIMITS[code]);
    throw err;
  }
  return { values, files };
}

/** Pictures only on the public form; ContactService checks sizes and stores them. */
async function checkPictures(files: IncomingFile[]) {
  for (const [i, f] of files.entries()) {
    const kind = await sniffAttachment(f.data, f.name).then(
      (x) => x.kind,
      () => null,
    );
    if (kind !== 'image')
      throw new AppError(
        'bad_request',
        `第 ${i + 1} 张图片「${f.name ?? ''}」不是有效的图片文件（支持 JPG、PNG、GIF、WebP、HEIC、BMP）`,
        { index: i },
      );
  }
}
