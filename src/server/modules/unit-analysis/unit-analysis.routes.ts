import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/forecast.js';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { PdfFontMissingError } from '../../pdf/index.js';
import { CONTENT_TYPES } from '../exports/table-writer.js';
import type { Actor } from '../auth/actor.js';
import { UnitAnalysisService, type UnitAnalysis } from './unit-analysis.service.js';
import { unitAnalysisPdf, unitAnalysisXlsx } from './unit-analysis-documents.js';

// 第二十八条(一) 月度分析: on screen, as PDF and as Excel. A unit reads its own (another unit's: 404); the centre's
// supervisors, analysts and admins any unit of their area. Each download is recorded in the data access log.
export function unitAnalysisRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const analysis = new UnitAnalysisService(s.deps);
  const tags = ['unit-analysis'];
  const record = (actor: Actor, a: UnitAnalysis, format: string) =>
    s.sharing.access.recordPerson(actor, {
      kind: 'export',
      filter: { screen: '月度分析', format, unitId: a.unit.id, month: a.month },
      rowCount: a.topCategories.length + 9,
    });
  const fileName = (a: UnitAnalysis, ext: string) =>
    `attachment; filename="unit-analysis-${a.month}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${a.unit.name}${a.month}月度分析.${ext}`)}`;
  r.get(
    '/api/unit-analysis',
    {
      schema: {
        tags,
        summary: '承办单位月度分析：受理、办结、按期、主要事项、重复诉求（仅计数）、重办、满意率，与上月、去年同月对比',
        querystring: c.unitAnalysisQuery,
      },
    },
    async (req) => analysis.analysis(actorOf(req), req.query),
  );
  r.get(
    '/api/unit-analysis/report.pdf',
    { schema: { tags, summary: '月度分析 PDF', querystring: c.unitAnalysisQuery } },
    async (req, reply) => {
      const actor = actorOf(req);
      const a = await analysis.analysis(actor, req.query);
      let pdf: Buffer;
      try {
        pdf = await unitAnalysisPdf(a, s.deps.clock.now());
      } catch (err) {
        if (err instanceof PdfFontMissingError)
          throw new AppError('unprocessable', '服务器未安装中文字体，暂不能生成 PDF，请下载 Excel');
        throw err;
      }
      await record(actor, a, 'pdf');
      return reply
        .type('application/pdf')
        .header('content-disposition', fileName(a, 'pdf'))
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
  r.get(
    '/api/unit-analysis/report.xlsx',
    { schema: { tags, summary: '月度分析 Excel', querystring: c.unitAnalysisQuery } },
    async (req, reply) => {
      const actor = actorOf(req);
      const a = await analysis.analysis(actor, req.query);
      const xlsx = await unitAnalysisXlsx(a);
      await record(actor, a, 'xlsx');
      return reply
        .type(CONTENT_TYPES.xlsx)
        .header('content-disposition', fileName(a, 'xlsx'))
        .header('cache-control', 'no-store')
        .send(xlsx);
    },
  );
}
