import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DB_ID_MAX, idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { ROLES } from '../auth/actor.js';
import { passwordViolations } from '../../../shared/domain/password-policy.js';

// 用户、单位、事项分类的新建与修改（管理员）. Field messages are Chinese: they reach the admin screens as they are.

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const refId = (label: string) =>
  z
    .number({ error: `请选择${label}` })
    .int(`${label}不正确`)
    .positive(`${label}不正确`)
    .max(DB_ID_MAX, `${label}不正确`);
const bool = (label: string) => z.boolean({ error: `${label}须为是或否` });
const atLeastOne = (o: object) => Object.values(o).some((v) => v !== undefined);
const NOTHING = '请至少修改一项';

export const usernameSchema = z
  .string({ error: '请填写用户名' })
  .min(3, '用户名至少 3 个字符')
  .max(50, '用户名不能超过 50 个字符')
  .regex(/^[a-z0-9_]+$/, '用户名只能包含小写字母、数字和下划线');
// 第六条, 等保 2.0 身份鉴别: the rules judged from the text alone, at the least length an admin may set; the service
// checks the admin's length setting, the username and the user's last passwords (modules/auth/passwords.ts).
export const passwordSchema = z
  .string({ error: '请填写密码' })
  .min(1, '请填写密码')
  .superRefine((v, ctx) => {
    for (const p of passwordViolations(v)) ctx.addIssue({ code: 'custom', message: p.message });
  });
const rolesSchema = z
  .array(z.enum(ROLES, { error: '角色不正确' }), { error: '请选择角色' })
  .min(1, '请至少选择一个角色')
  .max(ROLES.length, '角色过多');
const scopeSchema = z.enum(['unit', 'region'], { error: '数据范围须为本单位或中心负责区域' });
const regionCodesSchema = z
  .array(z.string({ error: '行政区划代码不正确' }).regex(/^\d{6,12}$/, '行政区划代码不正确'), {
    error: '负责区域须为行政区划代码列表',
  })
  .max(200, '负责区域过多');
const codeSchema = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `${label}至少 2 个字符`)
    .max(30, `${label}不能超过 30 个字符`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label}只能包含字母、数字、短横线和下划线`);

export function adminRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/users',
    {
      schema: {
        tags: ['admin'],
        summary: '新建用户（管理员）',
        body: z.object({
          username: usernameSchema,
          displayName: text('姓名', 50),
          password: passwordSchema,
          unitId: refId('所属单位'),
          roles: rolesSchema,
          scope: scopeSchema,
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.admin.createUser(actorOf(req), req.body)),
  );
  r.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '修改用户、停用或启用（管理员）',
        params: idParams,
        body: z
          .object({
            displayName: text('姓名', 50).optional(),
            unitId: refId('所属单位').optional(),
            roles: rolesSchema.optional(),
            scope: scopeSchema.optional(),
            active: bool('启用状态').optional(),
          })
          .refine(atLeastOne, NOTHING),
      },
    },
    async (req) => s.admin.updateUser(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/users/:id/password',
    {
      schema: {
        tags: ['admin'],
        summary: '重置用户密码（管理员）',
        params: idParams,
        body: z.object({ password: passwordSchema }),
      },
    },
    async (req) => s.admin.setPassword(actorOf(req), req.params.id, req.body.password),
  );

  r.post(
    '/api/units',
    {
      schema: {
        tags: ['admin'],
        summary: '新建单位（管理员）',
        body: z.object({
          code: codeSchema('单位代码'),
          name: text('单位名称', 100),
          kind: z.enum(['centre', 'department', 'town', 'utility', 'other'], { error: '请选择单位类型' }),
          tier: z.enum(['city', 'county', 'town'], { error: '请选择层级' }),
          parentId: refId('上级单位').nullish(),
          is24x7: bool('全天候').default(false),
          regionCodes: regionCodesSchema.default([]),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.admin.createUnit(actorOf(req), req.body)),
  );
  r.patch(
    '/api/units/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '修改单位、停用或启用（管理员）',
        params: idParams,
        body: z
          .object({
            name: text('单位名称', 100).optional(),
            parentId: refId('上级单位').nullable().optional(),
            is24x7: bool('全天候').optional(),
            active: bool('启用状态').optional(),
            regionCodes: regionCodesSchema.optional(),
          })
          .refine(atLeastOne, NOTHING),
      },
    },
    async (req) => s.admin.updateUnit(actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/categories',
    {
      schema: {
        tags: ['admin'],
        summary: '新增事项分类（管理员）',
        body: z.object({
          code: codeSchema('分类代码'),
          name: text('分类名称', 50),
          parentId: refId('上级分类').nullish(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.admin.createCategory(actorOf(req), req.body)),
  );
  r.patch(
    '/api/categories/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '重命名、停用或启用事项分类（管理员）',
        params: idParams,
        body: z
          .object({
            name: text('分类名称', 50).optional(),
            active: bool('启用状态').optional(),
            // 第四条 智能分类: the words the category is known by (the classifier's prior for a new centre)
            keywords: z.array(text('关键词', 20)).max(30, '关键词最多 30 个').optional(),
          })
          .refine(atLeastOne, NOTHING),
      },
    },
    async (req) => s.admin.updateCategory(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/admin/categories',
    { schema: { tags: ['admin'], summary: '全部事项分类，含已停用与已合并的（管理员）' } },
    async (req) => s.admin.allCategories(actorOf(req)),
  );
  r.post(
    '/api/categories/:id/merge',
    {
      schema: {
        tags: ['admin'],
        summary: '合并事项分类：停用本分类，智能分类将其历史工单计入目标分类（管理员）',
        params: idParams,
        body: z.object({ intoId: refId('目标分类') }),
      },
    },
    async (req) => s.admin.mergeCategory(actorOf(req), req.params.id, req.body.intoId),
  );
}
