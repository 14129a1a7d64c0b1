import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { fanOut } from '../src/server/jobs/unit-feed.js';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { expectStatus } from './helpers/api.js';
import { createTicket, dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import type { ApiClient } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// Issue 14: the units' staff are told what they must act on — in the app (the bell: the unit's own feed, a read
// cursor per user) and, for a deadline about to breach, by SMS on the unit's notification phone.

interface Item {
  id: number;
  ticketId: number;
  ticketNumber: string;
  title: string;
  kind: string;
  text: string;
  read: boolean;
}

describeEachDb('通知提醒 (issue 14)', (env) => {
  let e: TestEnv;
  let c: Clients;
  const unit = (code: string) => e.ids.units[code]!;
  const list = async (who: ApiClient, q = '') =>
    expectStatus<{ items: Item[]; next: number | null }>(await who.get(`/api/notifications${q}`), 200);
  const unread = async (who: ApiClient) =>
    expectStatus<{ count: number; display: string }>(await who.get('/api/notifications/unread'), 200);
  const readAll = async (who: ApiClient) => expectStatus(await who.post('/api/notifications/read', { all: true }), 200);

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    e.clock.set('2025-03-10T09:00:00+08:00');
    // what the demo data did before these tests is not theirs
    await fanOut(e.db, e.clock);
    for (const who of [c.handlerMd, c.managerMd, c.handlerCg, c.handlerCx]) await readAll(who);
  });

  describe('第十四条 派单通知: a dispatch notifies the unit it is sent to', () => {
    it('appears in the lead unit’s notifications, and the assisting unit’s, not in another unit’s', async () => {
      const id = await dispatchedTicket(e, c, 'gov-md', {}, ['cgj']);
      await fanOut(e.db, e.clock);
      const md = await list(c.handlerMd);
      expect(md.items[0]).toMatchObject({ ticketId: id, kind: 'dispatched', text: '新派单（主办）', read: false });
      expect(md.items[0]!.title).toBe('和平路路灯连续一周不亮');
      expect(md.items[0]!.ticketNumber).toMatch(/^HZ/);
      // the manager of the same unit is told too
      expect((await list(c.managerMd)).items[0]).toMatchObject({ ticketId: id, kind: 'dispatched' });
      expect((await list(c.handlerCg)).items[0]).toMatchObject({ ticketId: id, text: '新派单（协办）' });
      expect((await list(c.handlerCx)).items.some((i) => i.ticketId === id)).toBe(false);
      expect(await unread(c.handlerMd)).toEqual({ count: 1, display: '1' });
      expect(await unread(c.handlerCx)).toEqual({ count: 0, display: '0' });
    });

    it('unread count and read cursor: per user, forward only, never past the unit’s newest row', async () => {
      await readAll(c.handlerMd);
      expect((await unread(c.handlerMd)).count).toBe(0);
      // the manager's cursor is their own
      expect((await unread(c.managerMd)).count).toBe(1);
      const a = await dispatchedTicket(e, c, 'gov-md');
      const b = await dispatchedTicket(e, c, 'gov-md');
      await fanOut(e.db, e.clock);
      expect((await unread(c.handlerMd)).count).toBe(2);
      const items = (await list(c.handlerMd)).items;
      expect(items.slice(0, 2).map((i) => i.ticketId)).toEqual([b, a]);
      // read up to the older one: the newer stays unread
      const older = items[1]!.id;
      expect(expectStatus(await c.handlerMd.post('/api/notifications/read', { upTo: older }), 200)).toEqual({
        readUpTo: older,
      });
      expect((await unread(c.handlerMd)).count).toBe(1);
      const again = (await list(c.handlerMd)).items;
      expect(again[0]!.read).toBe(false);
      expect(again[1]!.read).toBe(true);
      // a stale tab marking an older id read does not un-read anything
      await c.handlerMd.post('/api/notifications/read', { upTo: 1 });
      expect((await unread(c.handlerMd)).count).toBe(1);
      // an id beyond the unit's newest row is held at that row: a later dispatch still counts
      await c.handlerMd.post('/api/notifications/read', { upTo: 9_000_000_000 });
      expect((await unread(c.handlerMd)).count).toBe(0);
      await dispatchedTicket(e, c, 'gov-md');
      await fanOut(e.db, e.clock);
      expect((await unread(c.handlerMd)).count).toBe(1);
      await readAll(c.handlerMd);
    });

    it('pages newest first with a keyset cursor', async () => {
      const p1 = await list(c.handlerMd, '?limit=2');
      expect(p1.items).toHaveLength(2);
      expect(p1.next).toBe(p1.items[1]!.id);
      const p2 = await list(c.handlerMd, `?limit=2&before=${p1.next}`);
      expect(p2.items[0]!.id).toBeLessThan(p1.items[1]!.id);
    });

    it('the count is capped: "99+", never an unbounded count', async () => {
      // 100 rows of the unit's feed, written as the fan-out would (a dispatch each is slow on two databases)
      const t = await createTicket(e, c.agent);
      await sql`
        INSERT INTO ticket_events (ticket_id, kind, at, actor_unit_id, data)
        SELECT ${t.id}, 'requester_evaluated', ${e.clock.now()}, NULL, '{}'::jsonb FROM generate_series(1, 100)`.execute(
        e.db,
      );
      await sql`INSERT INTO ticket_assignments (ticket_id, unit_id, role, status, dispatched_at)
        VALUES (${t.id}, ${unit('gov-cx')}, 'lead', 'active', ${new Date(e.clock.now().getTime() - 60_000)})`.execute(
        e.db,
      );
      await fanOut(e.db, e.clock);
      expect(await unread(c.handlerCx)).toEqual({ count: 99, display: '99+' });
      await readAll(c.handlerCx);
      expect((await unread(c.handlerCx)).count).toBe(0);
    });

    it('第三十三条: a 举报’s centre-only events never show, and the reported unit reads the title written for it', async () => {
      const id = await dispatchedTicket(e, c, 'gov-md', {
        requestType: 'report',
        categoryId: e.ids.categories['QT-QT'],
        regionCode: '371702',
        title: '我叫欧阳明，举报区政府窗口吃拿卡要',
        content: '我叫欧阳明，电话15800000009，举报区政府某窗口工作人员吃拿卡要。',
        reportedUnitId: unit('gov-md'),
        unitText: '反映区政府某窗口工作人员办事时吃拿卡要',
        requester: { name: '欧阳明', phone: '15800000009' },
      });
      // the centre's own steps on it (问责移送, an unconfirmed 督办 proposal), as the referral and supervision code write them
      for (const kind of ['referral_transferred', 'supervision_proposed', 'supervision_dismissed'])
        await e.db
          .insertInto('ticket_events')
          .values({ ticket_id: id, kind, at: e.clock.now(), actor_user_id: null, actor_unit_id: null, data: '{}' })
          .execute();
      await fanOut(e.db, e.clock);
      const mine = (await list(c.handlerMd, '?limit=100')).items.filter((i) => i.ticketId === id);
      expect(mine.map((i) => i.kind)).toEqual(['dispatched']);
      expect(mine[0]!.title).toBe('反映区政府某窗口工作人员办事时吃拿卡要');
      expect(JSON.stringify(mine)).not.toContain('欧阳明');
      await readAll(c.handlerMd);
    });

    it('centre staff and machines are refused; bad input is a 400 with a structured error', async () => {
      expect((await c.dispatcher.get('/api/notifications')).status).toBe(403);
      expect((await c.agent.get('/api/notifications/unread')).status).toBe(403);
      for (const q of ['?limit=0', '?limit=101', '?before=abc', '?before=-1', '?before=1e400', '?before=%00'])
        expect((await c.handlerMd.get(`/api/notifications${q}`)).status, q).toBe(400);
      for (const body of [{}, { upTo: 0 }, { upTo: 'x' }, { all: false }, { upTo: 3, all: true }, { upTo: '\u0000' }]) {
        const res = await c.handlerMd.post('/api/notifications/read', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBeTruthy();
      }
    });
  });

  describe('第十五条 临期提醒: the lead unit’s phone is told once by SMS when a deadline is about to breach', () => {
    const PHONE = '13800005678';
    const smsOf = (ticketId: number) =>
      e.db
        .selectFrom('outbound_messages')
        .select(['to_enc', 'body', 'channel'])
        .where('purpose', '=', 'deadline_warning')
        .where('ticket_id', '=', ticketId)
        .orderBy('id')
        .execute();
    const deadline = (ticketId: number, kind: 'accept' | 'reply') =>
      e.db
        .selectFrom('deadlines')
        .select(['warn_at', 'due_at'])
        .where('ticket_id', '=', ticketId)
        .where('kind', '=', kind)
        .where('cancelled_at', 'is', null)
        .executeTakeFirstOrThrow();

    it('the admin sets the phone: stored encrypted, shown masked, the change audited (masked)', async () => {
      const set = expectStatus(await c.admin.put(`/api/units/${unit('gov-md')}/notify-phone`, { phone: PHONE }), 200);
      expect(set).toEqual({ unitId: unit('gov-md'), phone: '138****5678' });
      const stored = await e.db
        .selectFrom('unit_notify_phones')
        .select('phone_enc')
        .where('unit_id', '=', unit('gov-md'))
        .executeTakeFirstOrThrow();
      expect(stored.phone_enc).not.toContain(PHONE);
      expect(e.cipher.decrypt(stored.phone_enc)).toBe(PHONE);
      const all = expectStatus<{ items: Array<{ unitId: number; phone: string }> }>(
        await c.admin.get('/api/unit-notify-phones'),
        200,
      );
      expect(all.items).toContainEqual(expect.objectContaining({ unitId: unit('gov-md'), phone: '138****5678' }));
      const audit = await e.db
        .selectFrom('admin_audit')
        .select(['before', 'after'])
        .where('entity', '=', 'unit')
        .where('action', '=', 'notify_phone')
        .where('entity_id', '=', String(unit('gov-md')))
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(audit)).not.toContain(PHONE);
      expect(JSON.stringify(audit.after)).toContain('138****5678');
      // refused: a bad number, the centre, anyone but the admin
      expect((await c.admin.put(`/api/units/${unit('gov-md')}/notify-phone`, { phone: '12345' })).status).toBe(400);
      expect((await c.admin.put(`/api/units/${unit('gov-md')}/notify-phone`, {})).status).toBe(400);
      expect((await c.admin.put(`/api/units/99999999/notify-phone`, { phone: PHONE })).status).toBe(404);
      expect((await c.admin.put(`/api/units/${unit('centre')}/notify-phone`, { phone: PHONE })).status).toBe(400);
      expect((await c.managerMd.put(`/api/units/${unit('gov-md')}/notify-phone`, { phone: PHONE })).status).toBe(403);
    });

    it('the sweeper queues exactly one SMS per warned deadline, to the unit’s phone; none for a unit without one', async () => {
      e.clock.set('2025-03-11T09:00:00+08:00');
      const md = await dispatchedTicket(
        e,
        c,
        'gov-md',
        { title: '我叫李明13800001111，和平路路灯连续一周不亮，夜间危险' },
        ['cgj'],
      );
      const cx = await dispatchedTicket(e, c, 'gov-cx', { regionCode: '371721' });
      const accept = await deadline(md, 'accept');
      e.clock.set(new Date(accept.warn_at.getTime() + 60_000));
      expect(e.clock.now().getTime()).toBeLessThan(accept.due_at.getTime());
      await sweepDeadlines(e.db, e.clock);
      const sms = await smsOf(md);
      expect(sms).toHaveLength(1);
      expect(sms[0]!.channel).toBe('sms');
      expect(e.cipher.decrypt(sms[0]!.to_enc)).toBe(PHONE);
      const number = (await e.db.selectFrom('tickets').select('number').where('id', '=', md).executeTakeFirstOrThrow())
        .number;
      expect(sms[0]!.body).toMatch(
        new RegExp(`^【菏泽12345】工单${number}（.+）的签收时限将于\\d+月\\d+日\\d\\d:\\d\\d到期，请及时签收。$`),
      );
      // no requester data: neither the caller's number in the title nor their name
      expect(sms[0]!.body).not.toContain('13800001111');
      expect(sms[0]!.body).not.toContain('张秀英');
      // 曹县人民政府 has no phone: its deadline is warned, no SMS
      expect(
        (
          await e.db
            .selectFrom('deadlines')
            .select('warned_at')
            .where('ticket_id', '=', cx)
            .where('kind', '=', 'accept')
            .executeTakeFirstOrThrow()
        ).warned_at,
      ).not.toBeNull();
      expect(await smsOf(cx)).toHaveLength(0);
      // sweeping again sends nothing more
      await sweepDeadlines(e.db, e.clock);
      expect(await smsOf(md)).toHaveLength(1);
      expect(
        await e.db
          .selectFrom('deadline_sms_notices')
          .select('deadline_id')
          .where('unit_id', '=', unit('gov-md'))
          .execute(),
      ).not.toHaveLength(0);

      // the warning is in the lead unit's notifications, not in the assisting unit's
      await fanOut(e.db, e.clock);
      const warned = (await list(c.handlerMd, '?limit=100')).items.find(
        (i) => i.ticketId === md && i.kind === 'deadline_warned',
      );
      expect(warned?.text).toBe('签收时限即将超期');
      expect(
        (await list(c.handlerCg, '?limit=100')).items.some((i) => i.ticketId === md && i.kind === 'deadline_warned'),
      ).toBe(false);

      // the reply deadline is a deadline of its own: one more SMS when it comes close
      const reply = await deadline(md, 'reply');
      e.clock.set(new Date(reply.warn_at.getTime() + 60_000));
      await sweepDeadlines(e.db, e.clock);
      const both = await smsOf(md);
      expect(both).toHaveLength(2);
      expect(both[1]!.body).toContain('的办理时限将于');
    });

    it('clearing the phone stops the SMS', async () => {
      expectStatus(await c.admin.put(`/api/units/${unit('gov-md')}/notify-phone`, { phone: null }), 200);
      const md = await dispatchedTicket(e, c, 'gov-md');
      const accept = await deadline(md, 'accept');
      e.clock.set(new Date(accept.warn_at.getTime() + 60_000));
      await sweepDeadlines(e.db, e.clock);
      expect(await smsOf(md)).toHaveLength(0);
    });
  });
});
