import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam, idParams, safeString } from '../../../shared/contracts/common.js';
import {
  attachmentBody,
  compareQuery,
  createArticleBody,
  listArticlesQuery,
  proposalBody,
  pushArticleBody,
  reasonBody,
  settingsBody,
  stepBody,
  updateArticleBody,
} from '../../../shared/contracts/knowledge.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { decodeInlineFiles } from '../channels/inline-files.js';
import { KnowledgeFileError } from './knowledge-articles.attachments.js';

// 第十八条 知识库, the authoring side: units write, their managers approve, the centre's knowledge reviewer publishes;
// versions, compare, expiry and staleness notices, the freshness figure, attachments, and the push API for units'
// own systems (第十八条第二款). Every write carries the lockVersion the client read (409 when stale).

const externalIdParams = z.object({
  externalId: safeString()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, '知识编号只能包含字母、数字和 . _ : -，最长 100 位')
    .describe("the unit's own id of the article"),
});

function sendFile(reply: FastifyReply, f: { mime: string; name: string; data: Buffer }, cache: string) {
  return reply
    .header('content-type', f.mime)
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', cache)
    .send(f.data);
}

export function knowledgeAuthoringRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  const k = s.knowledgeAuthoring;

  r.get(
    '/api/knowledge/articles',
    {
      schema: {
        tags,
        summary: '知识列表（本单位的全部知识；中心审核员和管理员看全部；其他人员只看已发布的）',
        description:
          'Filters: owner unit, status, working state, stale (超期未复核), expired, expiring within N days, category, keyword on the title (trigram index). Keyset pagination: pass nextCursor as cursor.',
        querystring: listArticlesQuery,
      },
    },
    async (req) => k.queries.list(actorOf(req), req.query),
  );
  r.post(
    '/api/knowledge/articles',
    {
      schema: {
        tags,
        summary: '新建知识（承办单位为本单位；中心审核员须指定所属单位）',
        description:
          'Creates the article and its first version: a draft for a unit (submit: true submits it at once), in the centre review for the knowledge reviewer.',
        body: createArticleBody,
      },
    },
    async (req, reply) => reply.status(201).send(await k.workflow.create(actorOf(req), req.body)),
  );
  r.get(
    '/api/knowledge/articles/:id',
    {
      schema: {
        tags,
        summary: '知识详情（已发布版本、待审核版本、版本列表、历史、附件、未处理的纠错）',
        params: idParams,
      },
    },
    async (req) => k.queries.detail(actorOf(req), req.params.id),
  );
  r.put(
    '/api/knowledge/articles/:id',
    {
      schema: {
        tags,
        summary: '修改知识（生成新版本，须说明修改原因）',
        description:
          'Every change is a new version with author, time and reason. A stale lockVersion answers 409 conflict.',
        params: idParams,
        body: updateArticleBody,
      },
    },
    async (req) => k.workflow.update(actorOf(req), req.params.id, req.body),
  );
  const step = (
    path: string,
    summary: string,
    body: typeof stepBody | typeof reasonBody,
    run: (req: { actor: Parameters<typeof actorOf>[0]; id: number; body: never }) => Promise<unknown>,
  ) =>
    r.post(path, { schema: { tags, summary, params: idParams, body } }, async (req) =>
      run({ actor: req, id: req.params.id, body: req.body as never }),
    );
  step(
    '/api/knowledge/articles/:id/submit',
    '提交审核（承办人提交本单位审核；单位负责人提交直接进入中心审核）',
    stepBody,
    (x) => k.workflow.submit(actorOf(x.actor), x.id, x.body),
  );
  step('/api/knowledge/articles/:id/approve', '单位审核通过（单位负责人），提交中心审核', stepBody, (x) =>
    k.workflow.approve(actorOf(x.actor), x.id, x.body),
  );
  step(
    '/api/knowledge/articles/:id/return',
    '退回（单位负责人退回待本单位审核的版本；中心审核员退回待中心审核的版本；须说明理由）',
    reasonBody,
    (x) => k.workflow.returnVersion(actorOf(x.actor), x.id, x.body),
  );
  step(
    '/api/knowledge/articles/:id/publish',
    '发布（中心知识库审核员；仅限已经审核、待中心审核的版本）',
    stepBody,
    (x) => k.workflow.publish(actorOf(x.actor), x.id, x.body),
  );
  step('/api/knowledge/articles/:id/discard', '放弃草稿或被退回的版本', stepBody, (x) =>
    k.workflow.discard(actorOf(x.actor), x.id, x.body),
  );
  step(
    '/api/knowledge/articles/:id/withdraw',
    '下架（中心审核员）或申请下架（所属单位）；知识永久保留',
    reasonBody,
    (x) => k.workflow.withdraw(actorOf(x.actor), x.id, x.body),
  );
  step(
    '/api/knowledge/articles/:id/confirm-valid',
    '复核确认内容仍然有效（单位负责人或中心审核员；不生成新版本）',
    stepBody,
    (x) => k.workflow.confirmValid(actorOf(x.actor), x.id, x.body),
  );
  r.get(
    '/api/knowledge/articles/:id/versions',
    { schema: { tags, summary: '版本列表', params: idParams } },
    async (req) => k.queries.versions(actorOf(req), req.params.id),
  );
  r.get('/api/knowledge/versions/:id', { schema: { tags, summary: '版本详情', params: idParams } }, async (req) =>
    k.queries.version(actorOf(req), req.params.id),
  );
  r.get(
    '/api/knowledge/articles/:id/compare',
    {
      schema: {
        tags,
        summary: '版本对比（任意两个版本，逐字段；文本按行和字比较）',
        params: idParams,
        querystring: compareQuery,
      },
    },
    async (req) => k.queries.compare(actorOf(req), req.params.id, req.query.from, req.query.to),
  );
  r.get(
    '/api/knowledge/review-queue',
    { schema: { tags, summary: '待审核（中心审核员：待中心审核和下架申请；单位负责人：待本单位审核）' } },
    async (req) => k.queries.reviewQueue(actorOf(req)),
  );
  r.get(
    '/api/knowledge/notices',
    {
      schema: {
        tags,
        summary: '本单位的知识库通知（即将过期、已过期、超期未复核、纠错、退回、发布）',
        querystring: z.object({
          unread: z.enum(['true', 'false']).optional(),
          before: dbIdParam().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => k.notices.list(actorOf(req), req.query),
  );
  r.post(
    '/api/knowledge/notices/:id/read',
    { schema: { tags, summary: '标记通知为已读', params: idParams } },
    async (req) => k.notices.markRead(actorOf(req), req.params.id),
  );
  r.get('/api/knowledge/settings', { schema: { tags, summary: '知识库设置（中心审核员、管理员）' } }, async (req) =>
    k.settings.get(actorOf(req)),
  );
  r.put(
    '/api/knowledge/settings',
    { schema: { tags, summary: '修改知识库设置：到期提醒天数、默认复核周期、超期宽限天数', body: settingsBody } },
    async (req) => k.settings.put(actorOf(req), req.body),
  );
  r.get(
    '/api/knowledge/freshness',
    {
      schema: {
        tags,
        summary: '各单位知识更新及时率（第二十二条(四)）',
        description:
          'Per unit: articles published, current, stale, expired, share current, median days from a policy change (policyChangedOn) to the publication of its update.',
      },
    },
    async (req) => k.queries.freshness(actorOf(req)),
  );
  r.post(
    '/api/knowledge/proposals/from-ticket/:ticketId',
    {
      schema: {
        tags,
        summary: '把工单答复提议为知识（主办单位人员；只使用本单位的答复，不含诉求人的原话和个人信息）',
        params: z.object({ ticketId: dbIdParam('工单编号不正确') }),
        body: proposalBody,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await k.proposals.fromTicket(actorOf(req), req.params.ticketId, req.body)),
  );
  r.get(
    '/api/knowledge/attachments/:id',
    { schema: { tags, summary: '下载知识附件（可查看该知识的人员）', params: idParams } },
    async (req, reply) =>
      sendFile(reply, await k.attachments.forStaff(actorOf(req), req.params.id), 'private, no-store'),
  );
  r.get(
    '/api/public/knowledge/attachments/:id',
    {
      schema: {
        tags: ['public'],
        summary: '公开知识的附件（仅限已发布、公开且在有效期内的知识）',
        params: idParams,
        security: [],
      },
    },
    async (req, reply) => sendFile(reply, await k.attachments.forPublic(req.params.id), 'public, max-age=300'),
  );

  // the upload's own scope: a larger body limit and Chinese 413/415 answers
  app.register(async (sub) => {
    sub.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      if (err instanceof KnowledgeFileError || err.statusCode === 413) {
        const message = err instanceof KnowledgeFileError ? err.message : '附件过大：政策文件不能超过 10 MB';
        const code = err.statusCode === 415 ? 'unsupported_media_type' : 'payload_too_large';
        return reply.status(err.statusCode!).send({ error: { code, message, requestId: req.id } });
      }
      throw err;
    });
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/knowledge/articles/:id/attachments',
      {
        bodyLimit: 15 * 1024 * 1024,
        schema: {
          tags,
          summary: '上传政策文件（PDF、Word 或图片，不超过 10 MB，按内容识别类型；base64）',
          params: idParams,
          body: attachmentBody,
        },
      },
      async (req, reply) => {
        const [file] = decodeInlineFiles([{ name: req.body.name, data: req.body.dataBase64 }]).files;
        return reply
          .status(201)
          .send(await k.attachments.upload(actorOf(req), req.params.id, req.body.name, file!.data));
      },
    );
  });

  // 第十八条第二款: the unit's own system
  r.put(
    '/api/knowledge/push/articles/:externalId',
    {
      schema: {
        tags: ['knowledge push'],
        summary: '承办单位系统推送知识（按单位自己的编号幂等；第十八条第二款）',
        description:
          "For a unit's own system, with a bearer token of a machine user of role partner belonging to the unit (a centre's partner system is refused: 403). " +
          'Idempotent on (unit, externalId): the same content again answers 200 with the same version and outcome "unchanged"; ' +
          'changed content creates a new version that waits in the centre review (the unit system speaks for the unit) — nothing is published without the centre; ' +
          'the first push answers 201 (outcome "created"). withdrawn: true asks the centre to withdraw the article (a never-published one is discarded). ' +
          'Errors: 422 with fields for an expiry before the effective date, a category or region that does not exist; 400 for the shape.',
        params: externalIdParams,
        body: pushArticleBody,
        security: [{ bearer: [] }],
      },
    },
    async (req, reply) => {
      const out = await k.push.push(actorOf(req), req.params.externalId, req.body);
      return reply.status(out.status).send(out.body);
    },
  );
  r.get(
    '/api/knowledge/push/articles/:externalId',
    {
      schema: {
        tags: ['knowledge push'],
        summary: '查询推送知识的审核状态（已发布版本、待审核版本、最近的退回理由、下架申请）',
        params: externalIdParams,
        security: [{ bearer: [] }],
      },
    },
    async (req) => k.push.state(actorOf(req), req.params.externalId),
  );
}
