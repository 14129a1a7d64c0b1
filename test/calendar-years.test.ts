import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

const EXAMPLE_2027 = readFileSync(new URL('../docs/calendar-2027-example.txt', import.meta.url), 'utf8');
const SPRING_FESTIVAL_2027 = {
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-06', to: '2027-02-13' },
  ],
  workdays: [{ date: '2027-02-14', name: '春节' }],
};
const cst = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function replyDeadline(c: Clients, id: number) {
  const t = expectStatus<{ deadlines: Array<{ kind: string; dueAt: string; calendarUnconfirmed: boolean }> }>(
    await c.admin.get(`/api/tickets/${id}`),
    200,
  );
  return t.deadlines.find((d) => d.kind === 'reply')!;
}

describeEachDb('第八条 工作日历 节假日安排的确认与覆盖提醒', (env) => {
  let c: Clients;
  beforeAll(async () => {
    // signed in late in 2026 so that the sessions last through the February 2027 of the deadline test
    env().clock.set('2026-09-01T09:00:00+08:00');
    c = await loginAll(env());
  });
  const at = (e: TestEnv, iso: string) => e.clock.set(iso);

  it('refuses non-admins (403) and anonymous callers (401); any signed-in user may read the warning', async () => {
    const e = env();
    for (const client of [c.agent, c.dispatcher, c.supervisor, c.auditor, c.handlerMd]) {
      expect((await client.get('/api/admin/calendar/coverage')).status).toBe(403);
      expect((await client.get('/api/admin/calendar/years/2027')).status).toBe(403);
      expect((await client.put('/api/admin/calendar/years/2027', SPRING_FESTIVAL_2027)).status).toBe(403);
      expect((await client.post('/api/admin/calendar/years/2026/confirm-builtin')).status).toBe(403);
      expect((await client.post('/api/admin/calendar/years/2027/import', { content: EXAMPLE_2027 })).status).toBe(403);
      expectStatus(await client.get('/api/calendar/coverage'), 200);
    }
    expect((await e.app.inject({ method: 'GET', url: '/api/calendar/coverage' })).statusCode).toBe(401);
    expect((await e.app.inject({ method: 'GET', url: '/api/admin/calendar/coverage' })).statusCode).toBe(401);
    expect(await e.db.selectFrom('calendar_years').selectAll().execute()).toEqual([]);
  });

  it('warns 90 days ahead: 2026 built-in data confirmed with one click, then 2027 from October on', async () => {
    const e = env();
    at(e, '2026-09-01T09:00:00+08:00');
    const before = expectStatus(await c.admin.get('/api/admin/calendar/coverage'), 200);
    expect(before.unconfirmedYears).toEqual([2026]);
    expect(before.warnings[0]).toMatch(/^2026 年节假日安排尚未确认：时限按系统中现有的 2026 年数据计算/);
    expect(before.years.find((y: { year: number }) => y.year === 2026)).toMatchObject({
      confirmed: false,
      builtinAvailable: true,
    });
    expect(before.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
      confirmed: false,
      builtinAvailable: false,
      days: 0,
    });
    const y2026 = expectStatus(await c.admin.get('/api/admin/calendar/years/2026'), 200);
    expect(y2026).toMatchObject({
      confirmed: false,
      prefill: 'database',
      matchesBuiltin: true,
      builtinAvailable: true,
    });
    expect(y2026.arrangement.holidays).toContainEqual({ name: '春节', from: '2026-02-15', to: '2026-02-23' });

    const confirmed = expectStatus(await c.admin.post('/api/admin/calendar/years/2026/confirm-builtin'), 200);
    expect(confirmed).toMatchObject({
      year: 2026,
      confirmed: true,
      source: 'builtin',
      confirmedBy: expect.any(String),
      matchesBuiltin: true,
    });
    expect(expectStatus(await c.agent.get('/api/calendar/coverage'), 200)).toMatchObject({
      unconfirmedYears: [],
      warnings: [],
    });

    // 2027 has no built-in data: one click is refused, it must be entered
    const refused = await c.admin.post('/api/admin/calendar/years/2027/confirm-builtin');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('内置数据中没有 2027 年的节假日安排，请录入或导入国务院办公厅通知');

    at(e, '2026-10-02T12:00:00+08:00');
    expect(expectStatus(await c.agent.get('/api/calendar/coverage'), 200).warnings).toEqual([]);
    at(e, '2026-12-02T09:00:00+08:00');
    const now = expectStatus(await c.handlerMd.get('/api/calendar/coverage'), 200);
    expect(now).toMatchObject({ today: '2026-12-02', horizonEnd: '2027-03-02', unconfirmedYears: [2027] });
    expect(now.warnings).toEqual([
      '2027 年节假日安排尚未确认：截止日期跨入 2027 年的工单按普通工作日计算，春节等节假日和调休不会计入。请管理员在“工作日历”中录入并确认 2027 年的安排。',
    ]);
    const form = expectStatus(await c.admin.get('/api/admin/calendar/years/2027'), 200);
    expect(form).toMatchObject({
      confirmed: false,
      prefill: 'empty',
      builtinAvailable: false,
      arrangement: { holidays: [], workdays: [] },
    });

    const audit = await e.db.selectFrom('admin_audit').selectAll().where('entity', '=', 'calendar_year').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: '2026', action: 'confirm' });
  });

  it('marks a deadline that runs into unconfirmed 2027; entered by hand, the Spring Festival is skipped and the mark goes', async () => {
    const e = env();
    // Thursday 2027-02-04, 2027 unconfirmed: 5 working days count straight through the Spring Festival week
    at(e, '2027-02-04T09:00:00+08:00');
    const before = await dispatchedTicket(e, c, 'gov-md');
    const r1 = await replyDeadline(c, before);
    expect(cst(r1.dueAt)).toBe('2027-02-11');
    expect(r1.calendarUnconfirmed).toBe(true);
    // a deadline wholly inside confirmed 2026 is not marked
    at(e, '2026-12-07T09:00:00+08:00');
    const inside = await dispatchedTicket(e, c, 'gov-md');
    expect((await replyDeadline(c, inside)).calendarUnconfirmed).toBe(false);
    // an extension that moves the reply deadline into 2027 marks the new deadline, not the one it replaces
    at(e, '2026-12-21T09:00:00+08:00');
    const late = await dispatchedTicket(e, c, 'gov-md');
    expect(await replyDeadline(c, late)).toMatchObject({ calendarUnconfirmed: false });
    expectStatus(await c.handlerMd.post(`/api/tickets/${late}/accept`, {}), 200);
    const ext = expectStatus(
      await c.handlerMd.post(`/api/tickets/${late}/extension-applications`, {
        days: 10,
        reason: '需多部门协调',
        progress: '已召开现场协调会',
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${ext.id}/review`, { decision: 'approve' }), 200);
    const rows = await e.db
      .selectFrom('deadlines')
      .select(['due_at', 'calendar_unconfirmed'])
      .where('ticket_id', '=', late)
      .where('kind', '=', 'reply')
      .orderBy('id')
      .execute();
    // 12-28 + 10 working days, 2027-01-01 counted as a working day for want of a calendar
    expect(rows.map((r) => [cst(r.due_at.toISOString()), r.calendar_unconfirmed])).toEqual([
      ['2026-12-28', false],
      ['2027-01-11', true],
    ]);

    // wrong entries answer 400 in Chinese and change nothing
    const bad = await c.admin.put('/api/admin/calendar/years/2027', {
      holidays: [...SPRING_FESTIVAL_2027.holidays, { name: '元宵', from: '2027-02-13', to: '2027-02-14' }],
      workdays: [{ date: '2027-02-14' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      '2027 年节假日安排有误：春节（2027-02-06 至 2027-02-13）与元宵（2027-02-13 至 2027-02-14）日期重叠（共 2 处）',
    );
    expect(bad.body.error.details.issues.map((i: { message: string }) => i.message)).toEqual([
      '春节（2027-02-06 至 2027-02-13）与元宵（2027-02-13 至 2027-02-14）日期重叠',
      '调休上班日 2027-02-14 落在元宵假期（2027-02-13 至 2027-02-14）内',
    ]);
    const outside = await c.admin.put('/api/admin/calendar/years/2027', {
      holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-01' }],
      workdays: [],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toBe('元旦的开始日期 2026-12-31 不在 2027 年内');
    expect(
      (
        await c.admin.put('/api/admin/calendar/years/2027', {
          holidays: [{ name: '春节', from: '2027-2-6', to: '2027-02-13' }],
        })
      ).status,
    ).toBe(400);
    expect(
      (await c.admin.put('/api/admin/calendar/years/2027', { ...SPRING_FESTIVAL_2027, source: 'builtin' })).status,
    ).toBe(400); // only chinese-days data is 内置数据
    expect(await e.db.selectFrom('calendar_days').select('date').where('date', '>=', '2027-01-01').execute()).toEqual(
      [],
    );

    const saved = expectStatus(await c.admin.put('/api/admin/calendar/years/2027', SPRING_FESTIVAL_2027), 200);
    expect(saved).toMatchObject({
      year: 2027,
      confirmed: true,
      source: 'manual',
      prefill: 'database',
      arrangement: SPRING_FESTIVAL_2027,
    });
    at(e, '2026-12-02T09:00:00+08:00');
    expect(expectStatus(await c.admin.get('/api/admin/calendar/coverage'), 200)).toMatchObject({
      unconfirmedYears: [],
      warnings: [],
    });

    at(e, '2027-02-04T09:00:00+08:00');
    const after = await dispatchedTicket(e, c, 'gov-md');
    const r2 = await replyDeadline(c, after);
    // 02-05, 02-14 (调休上班, Sunday), 02-15, 02-16, 02-17
    expect(cst(r2.dueAt)).toBe('2027-02-17');
    expect(r2.calendarUnconfirmed).toBe(false);
    // the deadline planned before keeps its due date and its mark
    expect(await replyDeadline(c, before)).toMatchObject({ dueAt: r1.dueAt, calendarUnconfirmed: true });

    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'calendar_year')
      .where('entity_id', '=', '2027')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.user_id).toBe(e.ids.users['admin']);
    expect(audit[0]!.after).toMatchObject({ confirmed: { source: 'manual' }, arrangement: SPRING_FESTIVAL_2027 });
    expect(audit[0]!.before).toMatchObject({ confirmed: null, arrangement: { holidays: [], workdays: [] } });
  });

  it('imports the example file: preview, then confirm; bad files answer 400 with Chinese messages', async () => {
    const e = env();
    const preview = expectStatus(
      await c.admin.post('/api/admin/calendar/years/2027/import', { content: EXAMPLE_2027 }),
      200,
    );
    expect(preview.confirmed).toBe(false);
    expect(preview.arrangement.holidays).toHaveLength(7);
    expect(preview.arrangement.workdays).toContainEqual({ date: '2027-02-20', name: '春节' });
    expect(await e.db.selectFrom('calendar_days').select('date').where('date', '=', '2027-10-01').execute()).toEqual(
      [],
    ); // preview stores nothing

    for (const [content, message] of [
      ['春节 2027-02-06 2027-02-13\n调休上班 2027-02-15', '调休上班日 2027-02-15 是星期一，本来就是工作日'],
      ['2026\n元旦 2026-01-01', '第 1 行：文件是 2026 年的安排，正在录入的是 2027 年'],
      ['春节 2027-02-06 2027-02-13\n劳动节 五月一日', '第 2 行：“五月一日”不是有效日期（格式 2027-02-06）'],
      ['{"holidays": [', 'JSON 文件格式不正确，无法解析'],
      ['', '文件是空的'],
    ] as const) {
      const res = await c.admin.post('/api/admin/calendar/years/2027/import', { content, confirm: true });
      expect(res.status, content).toBe(400);
      expect(res.body.error.message).toBe(message);
    }
    const two = await c.admin.post('/api/admin/calendar/years/2027/import', {
      content: '春节 2027-02-06\n国庆节 2027-13-01\n清明节',
    });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toBe(
      '导入文件有误：第 2 行：“2027-13-01”不是有效日期（格式 2027-02-06）（共 2 处）',
    );
    expect(two.body.error.details.issues).toEqual([
      { line: 2, message: '第 2 行：“2027-13-01”不是有效日期（格式 2027-02-06）' },
      { line: 3, message: '第 3 行：“清明节”后缺少日期' },
    ]);
    expect((await c.admin.post('/api/admin/calendar/years/2027/import', { content: 'x'.repeat(20_001) })).status).toBe(
      400,
    );

    const done = expectStatus(
      await c.admin.post('/api/admin/calendar/years/2027/import', { content: EXAMPLE_2027, confirm: true }),
      200,
    );
    expect(done).toMatchObject({ confirmed: true, year: { year: 2027, confirmed: true, source: 'import' } });
    const days = await e.db
      .selectFrom('calendar_days')
      .selectAll()
      .where('date', '>=', '2027-01-01')
      .where('date', '<=', '2027-12-31')
      .execute();
    expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(3 + 8 + 3 + 5 + 1 + 1 + 7);
    expect(
      days
        .filter((d) => d.kind === 'workday')
        .map((d) => d.date)
        .sort(),
    ).toEqual(['2027-02-14', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09']);
    // the per-year view used by the calendar grid sees the imported days
    expect(expectStatus(await c.agent.get('/api/calendar/2027'), 200).overrides).toHaveLength(days.length);
    const audit = await e.db
      .selectFrom('admin_audit')
      .select(['action', 'after'])
      .where('entity', '=', 'calendar_year')
      .where('entity_id', '=', '2027')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['confirm', 'confirm']);
    expect(audit[1]!.after).toMatchObject({ confirmed: { source: 'import' } });
  });
});
