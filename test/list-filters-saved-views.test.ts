import { beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// Issue 14 "Every list": filters (date range, category, region, unit, channel, status, deadline state) on the ticket
// lists, the same filters in their export, and saved views per person.
describeEachDb('issue 14 列表筛选与保存的视图', (env) => {
  let c: Clients;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    c = await loginAll(env());
    const e = env();
    const make = async (key: string, at: string, over: Record<string, unknown>) => {
      e.clock.set(at);
      ids[key] = (await createTicket(e, c.agent, over)).id;
    };
    await make('lamp', '2025-06-02T09:00:00+08:00', {});
    await make('water', '2025-06-03T09:00:00+08:00', {
      categoryId: e.ids.categories['HB-SW'],
      title: '小区污水外溢',
      regionCode: '371702003',
    });
    await make('caoxian', '2025-06-04T09:00:00+08:00', { regionCode: '371721001', title: '曹县路灯不亮' });
    await make('school', '2025-06-20T09:00:00+08:00', {
      categoryId: e.ids.categories['JY-ZS'],
      requestType: 'consult',
      title: '小学招生咨询',
    });
    await e.db.updateTable('tickets').set({ channel: 'web' }).where('id', '=', ids.water!).execute();
    e.clock.set('2025-06-23T09:00:00+08:00');
  });

  const listed = async (query: string) => {
    const r = expectStatus(await c.dispatcher.get(`/api/tickets?view=centre&status=pending_dispatch&${query}`), 200);
    return (r.items as { id: number }[]).map((t) => t.id).filter((id) => Object.values(ids).includes(id));
  };

  describe('filters', () => {
    it('created date range in China days, inclusive', async () => {
      expect((await listed('from=2025-06-03&to=2025-06-04')).sort()).toEqual([ids.water, ids.caoxian].sort());
      expect(await listed('from=2025-06-20&to=2025-06-20')).toEqual([ids.school]);
    });
    it('a category means its subtree; a region its subtree', async () => {
      expect(await listed(`categoryId=${env().ids.categories['HB']}`)).toEqual([ids.water]);
      expect((await listed('regionCode=371702')).sort()).toEqual([ids.lamp, ids.water, ids.school].sort());
      expect(await listed('regionCode=371721')).toEqual([ids.caoxian]);
    });
    it('channel, and several filters together', async () => {
      expect(await listed('channel=web')).toEqual([ids.water]);
      expect(await listed('channel=web&regionCode=371721')).toEqual([]);
    });
    it('deadline state: overdue once the due time has passed', async () => {
      const e = env();
      const due = async (key: string, at: string) =>
        e.db
          .updateTable('tickets')
          .set({ due_at: new Date(at) })
          .where('id', '=', ids[key]!)
          .execute();
      // now is 2025-06-23 09:00: one due time passed, the others still ahead
      await due('lamp', '2025-06-20T17:00:00+08:00');
      for (const k of ['water', 'caoxian', 'school']) await due(k, '2025-06-24T17:00:00+08:00');
      expect(await listed('deadline=overdue')).toEqual([ids.lamp]);
      expect(await listed('deadline=overdue&channel=web')).toEqual([]);
    });
    it('a unit filters its own queue the same way', async () => {
      const r = expectStatus(await c.handlerMd.get('/api/tickets?view=lead&channel=web'), 200);
      expect(r.items).toEqual([]);
    });
    it('bad filters answer 400 with a clear message, never 500', async () => {
      const bad = async (q: string, text: string) => {
        const r = await c.dispatcher.get(`/api/tickets?view=centre&${q}`);
        expect(r.status, q).toBe(400);
        expect(JSON.stringify(r.body), q).toContain(text);
      };
      await bad('from=2025-06-05&to=2025-06-01', '开始日期不能晚于结束日期');
      await bad('from=2024-01-01&to=2025-06-01', '日期范围不能超过');
      await bad('from=2025-02-30', '日期不存在');
      await bad('categoryId=999999', '事项分类不存在');
      await bad('categoryId=99999999999', '事项分类不正确');
      await bad('regionCode=999999', '区域不存在');
      await bad('regionCode=37%00', '');
      await bad('channel=fax', '未知渠道');
      await bad('deadline=soon', '未知时限状态');
    });
  });

  describe('export', () => {
    it('exports exactly what the filtered list shows', async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/exports/tickets',
        payload: {
          format: 'csv',
          status: ['pending_dispatch'],
          regionCode: '371721',
          from: '2025-06-01',
          to: '2025-06-30',
        },
        headers: { cookie: (c.dispatcher as unknown as { cookie: string }).cookie },
      });
      expect(res.statusCode).toBe(200);
      const text = res.rawPayload.toString('utf8');
      expect(text).toContain('曹县路灯不亮');
      expect(text).not.toContain('小区污水外溢');
      expect(text).not.toContain('和平路路灯连续一周不亮');
      const bad = await c.dispatcher.post('/api/exports/tickets', { format: 'csv', q: '路灯', channel: 'web' });
      expect(bad.status).toBe(400);
    });
  });

  describe('saved views', () => {
    it('a person saves, lists, replaces and deletes their own views, audited', async () => {
      const v = expectStatus(
        await c.dispatcher.post('/api/saved-views', {
          screen: 'ticket-search',
          name: '曹县 待派',
          params: { status: 'pending_dispatch', regionCode: '371721' },
        }),
        201,
      );
      const again = expectStatus(
        await c.dispatcher.post('/api/saved-views', {
          screen: 'ticket-search',
          name: '曹县 待派',
          params: { status: 'open', regionCode: '371721' },
        }),
        201,
      );
      expect(again.id).toBe(v.id);
      const mine = expectStatus(await c.dispatcher.get('/api/saved-views?screen=ticket-search'), 200);
      expect(mine.items).toEqual([
        expect.objectContaining({ id: v.id, name: '曹县 待派', params: { status: 'open', regionCode: '371721' } }),
      ]);
      // another person sees none of them and cannot delete them
      expect(expectStatus(await c.supervisor.get('/api/saved-views?screen=ticket-search'), 200).items).toEqual([]);
      expect((await c.supervisor.delete(`/api/saved-views/${v.id}`)).status).toBe(404);
      expect((await c.dispatcher.delete(`/api/saved-views/${v.id}`)).status).toBe(204);
      expect(expectStatus(await c.dispatcher.get('/api/saved-views?screen=ticket-search'), 200).items).toEqual([]);
      const audit = await env()
        .db.selectFrom('admin_audit')
        .select('action')
        .where('entity', '=', 'saved_view')
        .where('entity_id', '=', String(v.id))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    });

    it('at most 20 views per screen; bad input is a 400', async () => {
      for (let i = 0; i < 20; i++)
        expectStatus(
          await c.callback.post('/api/saved-views', { screen: 'callback-queue', name: `视图${i}`, params: {} }),
          201,
        );
      const over = await c.callback.post('/api/saved-views', { screen: 'callback-queue', name: '第21个', params: {} });
      expect(over.status).toBe(422);
      for (const body of [
        { screen: 'nowhere', name: 'x', params: {} },
        { screen: 'ticket-search', name: '', params: {} },
        { screen: 'ticket-search', name: 'a\u0000b', params: {} },
        { screen: 'ticket-search', name: 'x', params: { 'bad key': '1' } },
        { screen: 'ticket-search', name: 'x', params: { status: 3 } },
      ])
        expect((await c.callback.post('/api/saved-views', body)).status, JSON.stringify(body)).toBe(400);
      expect((await c.callback.get('/api/saved-views?screen=%00')).status).toBe(400);
      expect((await c.callback.delete('/api/saved-views/99999999999')).status).toBe(400);
    });
  });
});
