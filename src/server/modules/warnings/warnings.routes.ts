import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam, idParams } from '../../../shared/contracts/common.js';
import {
  warningAckBody,
  warningAssignBody,
  warningCloseBody,
  warningLinkBody,
  warningSettingsBody,
  warningsExportQuery,
  warningsQuery,
  warningWordBody,
  warningWordPatch,
} from '../../../shared/contracts/warnings.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { contentDisposition, CONTENT_TYPES } from '../exports/table-writer.js';
import { WarningService } from './warnings.service.js';
import { WarningRuleService } from './warning-rules.service.js';

// 第二十七条 风险预警 (docs/warnings.md): the feed (city centre all, a county centre its county, units none), its steps
// and export; the sensitive words and thresholds (admins edit, supervisors and analysts read).
export function warningRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const w = new WarningService(s.deps);
  const rules = new WarningRuleService(s.deps);
  const tags = ['warnings'];
  r.get(
    '/api/warnings',
    {
      schema: {
        tags,
        summary: '风险预警列表（本机构范围；类型、级别、状态、区域、分类、日期筛选，before 翻页）',
        querystring: warningsQuery,
      },
    },
    async (req) => w.list(actorOf(req), req.query),
  );
  r.get(
    '/api/warnings/export',
    {
      schema: {
        tags,
        summary: '导出风险预警列表（CSV 或 Excel；筛选同页面；记入数据访问日志）',
        querystring: warningsExportQuery,
      },
    },
    async (req, reply) => {
      const e = await w.export(actorOf(req), req.query);
      return reply
        .type(CONTENT_TYPES[req.query.format])
        .header('content-disposition', contentDisposition(e.name, req.query.format))
        .header('cache-control', 'no-store')
        .send(e.stream);
    },
  );
  r.get('/api/warnings/assignees', { schema: { tags, summary: '可指派处理预警的本机构人员' } }, async (req) =>
    w.assignees(actorOf(req)),
  );
  r.get(
    '/api/warnings/:id',
    { schema: { tags, summary: '预警详情（依据、相关工单、处理记录）', params: idParams } },
    async (req) => w.get(actorOf(req), req.params.id),
  );
  r.post(
    '/api/warnings/:id/acknowledge',
    { schema: { tags, summary: '确认预警', params: idParams, body: warningAckBody } },
    async (req) => w.acknowledge(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/warnings/:id/assign',
    { schema: { tags, summary: '指派预警给本机构人员', params: idParams, body: warningAssignBody } },
    async (req) => w.assign(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/warnings/:id/link',
    { schema: { tags, summary: '预警关联专题', params: idParams, body: warningLinkBody } },
    async (req) => w.link(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/warnings/:id/close',
    { schema: { tags, summary: '关闭预警（填写处理说明）', params: idParams, body: warningCloseBody } },
    async (req) => w.close(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/warning-rules',
    { schema: { tags, summary: '预警规则：敏感风险词与阈值（管理员修改，督办、分析人员查看）' } },
    async (req) => rules.get(actorOf(req)),
  );
  r.post(
    '/api/warning-rules/words',
    { schema: { tags, summary: '新增敏感风险词（管理员）', body: warningWordBody } },
    async (req, reply) => reply.status(201).send(await rules.addWord(actorOf(req), req.body)),
  );
  r.put(
    '/api/warning-rules/words/:id',
    {
      schema: {
        tags,
        summary: '修改、停用或启用敏感风险词（管理员）',
        params: z.object({ id: dbIdParam() }),
        body: warningWordPatch,
      },
    },
    async (req) => rules.updateWord(actorOf(req), req.params.id, req.body),
  );
  r.put(
    '/api/warning-rules/settings',
    { schema: { tags, summary: '修改预警阈值（管理员）', body: warningSettingsBody } },
    async (req) => rules.updateSettings(actorOf(req), req.body),
  );
}
