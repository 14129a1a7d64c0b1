import { expect, it } from 'vitest';
import { resolveRequester } from '../src/server/modules/intake/requesters.repository.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十条 requesters identified by phone, WeChat or Weibo', (env) => {
  it('finds one requester across identities and learns new ones', async () => {
    const e = env();
    const now = e.clock.now();
    const a = await resolveRequester(e.db, e.cipher, { phone: '18600000001', name: '周女士' }, now);
    const b = await resolveRequester(e.db, e.cipher, { phone: '186-0000-0001', wechatOpenId: 'oWX_abc' }, now);
    expect(b).toBe(a);
    expect(await resolveRequester(e.db, e.cipher, { wechatOpenId: 'oWX_abc' }, now)).toBe(a);
    expect(await resolveRequester(e.db, e.cipher, null, now)).toBeNull();
    expect(await resolveRequester(e.db, e.cipher, { phone: '' }, now)).toBeNull();
  });

  it('does not steal an identity another requester owns', async () => {
    const e = env();
    const now = e.clock.now();
    const x = await resolveRequester(e.db, e.cipher, { phone: '18600000002' }, now);
    const y = await resolveRequester(e.db, e.cipher, { weiboUid: 'wb-777' }, now);
    // a message claiming both: it resolves to the phone's owner and leaves the Weibo id with its owner
    expect(await resolveRequester(e.db, e.cipher, { phone: '18600000002', weiboUid: 'wb-777' }, now)).toBe(x);
    expect(await resolveRequester(e.db, e.cipher, { weiboUid: 'wb-777' }, now)).toBe(y);
  });

  it('concurrent first contacts from a new number end on one requester', async () => {
    const e = env();
    const now = e.clock.now();
    const ids = await Promise.all(
      Array.from({ length: 6 }, () =>
        e.db.transaction().execute((trx) => resolveRequester(trx, e.cipher, { phone: '18600000003' }, now)),
      ),
    );
    expect(new Set(ids).size).toBe(1);
  });
});
