import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { WORK_FILE_ACCEPTED_TEXT, WORK_FILE_LIMITS, workFileParams } from '../../../shared/contracts/work-files.js';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/auth-plugin.js';
import { readOneFile } from '../../http/multipart-file.js';
import type { Services } from '../../http/services.js';

// 第十四、十五、二十四条: upload a material first (one file per request, as antd's Upload sends it), then name its id
// in the application, reply or appeal; download with the visibility of what it belongs to.

const TOO_LARGE = `文件过大：图片不能超过 ${WORK_FILE_LIMITS.imageMb} MB，文档不能超过 ${WORK_FILE_LIMITS.documentMb} MB`;

export function workFileRoutes(app: FastifyInstance, s: Services) {
  const tags = ['work files'];
  app.register(async (sub) => {
    // a body over Fastify's own limit is a 413 before the route runs: the same Chinese 400 as the file limit
    sub.setErrorHandler((err: Error & { statusCode?: number }, _req, _reply) => {
      if (err.statusCode === 413) throw new AppError('bad_request', TOO_LARGE);
      throw err;
    });
    await sub.register(multipart, {
      limits: {
        fileSize: WORK_FILE_LIMITS.documentMb * 1024 * 1024,
        files: 1,
        fields: 5,
        fieldSize: 1024,
        parts: 6,
        headerPairs: 100,
      },
    });
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/work-files',
      {
        schema: {
          tags,
          summary: `上传申请、答复或申诉的材料（承办单位人员；multipart 字段 file，一次一个；${WORK_FILE_ACCEPTED_TEXT}，按内容识别类型）`,
          description:
            'Answers the file id; name it in the body of a return/extension/termination/dispute application (materials[].fileId), a reply (fileIds) or an assessment appeal (materials[].fileId). Until then only the uploading unit may download it.',
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const file = await readOneFile(req, 'file', {
          tooLarge: TOO_LARGE,
          tooMany: '一次只能上传一个文件',
          missing: '请选择要上传的文件',
        });
        return reply.status(201).send(await s.workFiles.upload(actorOf(req), file));
      },
    );
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/work-files/:id',
    {
      schema: {
        tags,
        summary: '下载申请、答复或申诉的材料（可查看该工单或申诉的人员；记入访问日志）',
        params: workFileParams,
      },
    },
    async (req, reply) => {
      const f = await s.workFiles.download(actorOf(req), req.params.id);
      return reply
        .header('content-type', f.mime)
        .header('content-disposition', contentDisposition(f.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(f.data);
    },
  );
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266); quotes and controls never reach the header. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
