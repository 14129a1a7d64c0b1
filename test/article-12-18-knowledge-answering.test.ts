import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { insertPublishedArticle } from './helpers/knowledge.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第十二条 (能够即时答复的即时答复; 直接答复率) and 第十八条 (the knowledge base answers requesters; true, valid,
// accurate): search in Chinese with synonyms and filters, answering a contact online with an article, flags to
// the owner, the portal's public-only self-service, the figures from the rollups.
const INTERNAL = '【内部口径】仅供话务员参考';

describeEachDb('第十二条 第十八条 知识库查询与在线答复', (env) => {
  let e: TestEnv;
  let c: Clients;
  let knowledge: ApiClient;
  let analyst: ApiClient;
  const a = {} as Record<
    'fund' | 'social' | 'medical' | 'expired' | 'withdrawn' | 'draft' | 'future' | 'county' | 'hotline' | 'hukou',
    { id: number; versionId: number }
  >;
  const FUND_SHORT = '购房、退休、离职等情形可提取住房公积金，携带身份证到公积金中心窗口或登录网上大厅办理。';
  const anon = (url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown, ip = '203.0.113.7') =>
    e.app.inject({ method, url, payload: payload as never, remoteAddress: ip });

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    knowledge = await ApiClient.login(e, 'knowledge');
    analyst = await ApiClient.login(e, 'analyst');
    const unit = (code: string) => e.ids.units[code]!;
    const cat = (code: string) => e.ids.categories[code]!;
    const put = (spec: Parameters<typeof insertPublishedArticle>[2]) => insertPublishedArticle(e.db, e.clock, spec);
    a.fund = await put({
      ownerUnitId: unit('zjj'),
      title: '住房公积金怎么提取',
      aliases: ['公积金提取条件', '取公积金需要什么材料'],
      answer: `${INTERNAL}：提取须核验购房合同、不动产权证书；离职提取须封存满六个月。`,
      shortAnswer: FUND_SHORT,
      visibility: 'public',
      policyBasis: [{ document: '菏泽市住房公积金提取管理办法', number: '菏公积金发〔2023〕5号', clause: '第六条' }],
      categoryIds: [cat('CX-FC')],
    });
    a.social = await put({
      ownerUnitId: unit('rsj'),
      title: '社会保险断缴后如何补缴',
      answer: `${INTERNAL}：补缴须核实劳动关系。`,
      shortAnswer: '可携带身份证到社保经办窗口申请补缴。',
      publicAnswer:
        '社会保险中断后，可持身份证到所在县区社会保险经办窗口申请补缴，也可登录山东省社会保险网上服务平台办理。',
      visibility: 'public',
      categoryIds: [cat('LD-SB')],
    });
    a.medical = await put({
      ownerUnitId: unit('wjw'),
      title: '职工医疗保险门诊报销比例',
      answer: `${INTERNAL}：门诊统筹报销比例 60%。`,
      shortAnswer: '职工门诊统筹报销比例为 60%，年度限额 2000 元。',
      visibility: 'internal',
      categoryIds: [cat('WS-YB')],
    });
    a.expired = await put({ ownerUnitId: unit('zjj'), title: '二〇二四年供暖补贴申请', expiresOn: '2025-01-01' });
    a.withdrawn = await put({ ownerUnitId: unit('zjj'), title: '燃气报修电话', status: 'withdrawn' });
    a.draft = await put({ ownerUnitId: unit('zrzyj'), title: '不动产登记办理地点', status: 'draft' });
    a.future = await put({ ownerUnitId: unit('gaj'), title: '新生儿落户办理流程', effectiveFrom: '2025-06-01' });
    a.county = await put({
      ownerUnitId: unit('gov-cx'),
      title: '曹县低保申请条件',
      shortAnswer: '户籍在曹县且家庭人均收入低于当地低保标准，可向户籍所在地乡镇申请。',
      regionCodes: ['371721'],
    });
    a.hotline = await put({ ownerUnitId: unit('centre'), title: '12345热线受理范围' });
    a.hukou = await put({
      ownerUnitId: unit('gov-md'),
      title: '牡丹区户籍业务办理地点',
      shortAnswer: '牡丹区各派出所户籍窗口均可办理。',
    });
  });

  const search = async (q: string, extra = '') =>
    expectStatus<{
      items: Array<{ id: number; title: string; answer: string; shortAnswer: string; categoryIds: number[] }>;
    }>(await c.agent.get(`/api/knowledge/search?q=${encodeURIComponent(q)}${extra}`), 200).items;

  describe('第十八条 search', () => {
    it('segments Chinese: the caller’s own question finds the article by its words', async () => {
      const items = await search('我想问一下公积金怎么提取');
      expect(items[0]?.id).toBe(a.fund.id);
      expect(items[0]!.shortAnswer).toBe(FUND_SHORT);
      expect(items[0]!.answer).toContain(INTERNAL); // staff see the internal answer
    });
    it('synonyms (seeded): 社保 finds the article that says 社会保险; 医保 the one that says 医疗保险', async () => {
      expect((await search('社保断缴了怎么办')).map((i) => i.id)).toContain(a.social.id);
      expect((await search('医保')).map((i) => i.id)).toContain(a.medical.id);
    });
    it('a synonym group added by the centre applies to the next search', async () => {
      expect((await search('迁户去哪里办')).map((i) => i.id)).not.toContain(a.hukou.id);
      const g = expectStatus<{ id: number }>(
        await knowledge.post('/api/knowledge/synonyms', { terms: ['迁户', '户籍业务'] }),
        201,
      );
      expect((await search('迁户去哪里办')).map((i) => i.id)).toContain(a.hukou.id);
      expectStatus(await knowledge.request('PATCH', `/api/knowledge/synonyms/${g.id}`, { active: false }), 200);
      expect((await search('迁户去哪里办')).map((i) => i.id)).not.toContain(a.hukou.id);
    });
    it('category filter includes the category’s descendants', async () => {
      const ws = e.ids.categories['WS']!;
      const inWs = await search('报销比例', `&categoryId=${ws}`);
      expect(inWs.map((i) => i.id)).toContain(a.medical.id);
      // every hit is in 卫生 or below it (the seed's articles too)
      const wsIds = [
        ws,
        ...Object.entries(e.ids.categories)
          .filter(([k]) => k.startsWith('WS-'))
          .map(([, v]) => v),
      ];
      for (const hit of inWs) expect(hit.categoryIds.some((c) => wsIds.includes(c))).toBe(true);
      expect((await search('报销比例', `&categoryId=${e.ids.categories['LD']!}`)).map((i) => i.id)).not.toContain(
        a.medical.id,
      );
    });
    it('region filter: an article for 曹县 applies in its towns, not in 牡丹区; a city-wide one everywhere', async () => {
      expect((await search('低保申请', '&regionCode=371721001')).map((i) => i.id)).toContain(a.county.id);
      expect((await search('低保申请', '&regionCode=371702001')).map((i) => i.id)).not.toContain(a.county.id);
      expect((await search('公积金提取', '&regionCode=371702001')).map((i) => i.id)).toContain(a.fund.id);
    });
    it('expired, withdrawn, draft and not-yet-effective articles are never offered', async () => {
      for (const [q, id] of [
        ['供暖补贴申请', a.expired.id],
        ['燃气报修电话', a.withdrawn.id],
        ['不动产登记办理地点', a.draft.id],
        ['新生儿落户办理流程', a.future.id],
      ] as const) {
        expect((await search(q)).map((i) => i.id)).not.toContain(id);
        expect((await search(q.slice(0, 2))).map((i) => i.id)).not.toContain(id);
      }
    });
    it('a query of stop words only is found by title similarity (12345)', async () => {
      expect((await search('12345')).map((i) => i.id)).toContain(a.hotline.id);
      expect(await search('税')).toBeInstanceOf(Array);
    });
    it('the word-frequency job counts words in titles; a query still finds its article when those are left out', async () => {
      const many = Array.from({ length: 35 }, (_, i) =>
        insertPublishedArticle(e.db, e.clock, {
          ownerUnitId: e.ids.units['centre']!,
          title: `菏泽市便民服务点${'一二三四五六七八九十'[i % 10]}号站${i}`,
        }),
      );
      await Promise.all(many);
      const r = await e.services.knowledgeSearch.refreshTermStats();
      expect(r.terms).toBeGreaterThan(0);
      const row = await e.db
        .selectFrom('knowledge_term_stats')
        .selectAll()
        .where('lexeme', '=', '菏泽市')
        .executeTakeFirst();
      expect(row?.ndoc).toBeGreaterThanOrEqual(35);
      expect((await search('菏泽市住房公积金怎么提取'))[0]?.id).toBe(a.fund.id);
    });
    it('bad input: an empty query or one over 100 characters is a Chinese 400, never a 500', async () => {
      expect((await c.agent.get('/api/knowledge/search?q=')).status).toBe(400);
      const long = await c.agent.get(`/api/knowledge/search?q=${encodeURIComponent('查'.repeat(101))}`);
      expect(long.status).toBe(400);
      expect(JSON.stringify(long.body)).toMatch(/100/);
      expect((await c.agent.get('/api/knowledge/search?q=%27%7C%26!%3A*()%5C')).status).toBe(200);
    });
  });

  describe('第十二条 answering online with an article', () => {
    const smsContact = async (text: string, phone = '13905308888') =>
      expectStatus<{ id: number }>(
        await c.agent.post('/api/contacts', {
          channel: 'sms',
          externalId: `k-${Math.random()}`,
          requester: { phone },
          content: text,
        }),
        201,
      );
    it('the panel suggests from the contact’s words; 在线答复 records article and version; the SMS carries the short answer', async () => {
      const k = await smsContact('我想问一下公积金怎么提取');
      const sug = expectStatus<{ items: Array<{ id: number; versionId: number; shortAnswer: string }> }>(
        await c.agent.post('/api/knowledge/suggestions', { text: '我想问一下公积金怎么提取' }),
        200,
      );
      expect(sug.items[0]!.id).toBe(a.fund.id);
      const r = expectStatus<{ replyText: string }>(
        await c.agent.post(`/api/contacts/${k.id}/disposition`, {
          disposition: 'answered',
          answer: sug.items[0]!.shortAnswer,
          knowledgeArticleId: a.fund.id,
        }),
        200,
      );
      expect(r.replyText).toContain(FUND_SHORT);
      const row = await e.db
        .selectFrom('contacts')
        .select(['knowledge_article_id', 'knowledge_version_id', 'disposition_data'])
        .where('id', '=', k.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ knowledge_article_id: a.fund.id, knowledge_version_id: a.fund.versionId });
      const art = await e.db
        .selectFrom('knowledge_articles')
        .select('use_count')
        .where('id', '=', a.fund.id)
        .executeTakeFirstOrThrow();
      expect(Number(art.use_count)).toBe(1);
      const sms = await e.db
        .selectFrom('outbound_messages')
        .select('body')
        .where('contact_id', '=', k.id)
        .executeTakeFirstOrThrow();
      expect(sms.body).toContain(FUND_SHORT);
    });
    it('an expired or withdrawn article is refused 422 and nothing is written', async () => {
      for (const id of [a.expired.id, a.withdrawn.id, a.draft.id, a.future.id]) {
        const k = await smsContact('供暖补贴怎么申请');
        const res = await c.agent.post(`/api/contacts/${k.id}/disposition`, {
          disposition: 'answered',
          answer: '可申请',
          knowledgeArticleId: id,
        });
        expect(res.status).toBe(422);
        expect(res.body.error.message).toBe('该知识已下架或已过期');
        const row = await e.db.selectFrom('contacts').select('status').where('id', '=', k.id).executeTakeFirstOrThrow();
        expect(row.status).toBe('new');
      }
    });
    it('an article that does not exist is 422 too; a huge id is a 400', async () => {
      const k = await smsContact('咨询');
      expect(
        (
          await c.agent.post(`/api/contacts/${k.id}/disposition`, {
            disposition: 'answered',
            answer: 'x',
            knowledgeArticleId: 999999,
          })
        ).status,
      ).toBe(422);
      expect(
        (
          await c.agent.post(`/api/contacts/${k.id}/disposition`, {
            disposition: 'answered',
            answer: 'x',
            knowledgeArticleId: 2 ** 40,
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('第十八条 flags go to the owner unit', () => {
    it('an agent flags; the owner unit gets a notice; the count rises; the owner resolves; another unit cannot', async () => {
      const f = expectStatus<{ id: number }>(
        await c.agent.post(`/api/knowledge/articles/${a.hukou.id}/flags`, {
          reason: 'outdated',
          note: '派出所地址已变更',
        }),
        201,
      );
      const notice = await e.db
        .selectFrom('knowledge_notices')
        .selectAll()
        .where('article_id', '=', a.hukou.id)
        .where('kind', '=', 'flagged')
        .executeTakeFirstOrThrow();
      expect(notice).toMatchObject({ unit_id: e.ids.units['gov-md'], cause_key: String(f.id) });
      expect(notice.message).toContain('派出所地址已变更');
      const count = async () =>
        (
          await e.db
            .selectFrom('knowledge_articles')
            .select('open_flag_count')
            .where('id', '=', a.hukou.id)
            .executeTakeFirstOrThrow()
        ).open_flag_count;
      expect(await count()).toBe(1);
      // the owner unit sees its own; another unit sees none of it; the reviewer sees all
      const mine = expectStatus<{ items: Array<{ id: number }> }>(await c.handlerMd.get('/api/knowledge/flags'), 200);
      expect(mine.items.map((i) => i.id)).toContain(f.id);
      const other = expectStatus<{ items: Array<{ id: number }> }>(await c.handlerCg.get('/api/knowledge/flags'), 200);
      expect(other.items.map((i) => i.id)).not.toContain(f.id);
      expect((await c.agent.get('/api/knowledge/flags')).status).toBe(403);
      expect((await c.handlerCg.post(`/api/knowledge/flags/${f.id}/resolve`, { resolution: '已改' })).status).toBe(404);
      expect((await c.handlerMd.post(`/api/knowledge/flags/${f.id}/resolve`, { resolution: '' })).status).toBe(400);
      expectStatus(
        await c.handlerMd.post(`/api/knowledge/flags/${f.id}/resolve`, { resolution: '已更新地址并提交审核' }),
        200,
      );
      expect(await count()).toBe(0);
      expect((await c.handlerMd.post(`/api/knowledge/flags/${f.id}/resolve`, { resolution: '再次' })).status).toBe(409);
      const resolved = expectStatus<{ items: Array<{ id: number; resolution: string }> }>(
        await knowledge.get('/api/knowledge/flags?status=resolved'),
        200,
      );
      expect(resolved.items.find((i) => i.id === f.id)?.resolution).toBe('已更新地址并提交审核');
    });
    it('“other” needs a note; a withdrawn article cannot be flagged', async () => {
      expect((await c.agent.post(`/api/knowledge/articles/${a.fund.id}/flags`, { reason: 'other' })).status).toBe(400);
      expect((await c.agent.post(`/api/knowledge/articles/${a.withdrawn.id}/flags`, { reason: 'wrong' })).status).toBe(
        404,
      );
    });
  });

  describe('第十八条 portal: public articles only, public fields only', () => {
    it('search finds only public articles in force, and no internal text is in the answer', async () => {
      const res = await anon(`/api/public/knowledge/search?q=${encodeURIComponent('医保报销比例')}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((i: { id: number }) => i.id)).not.toContain(a.medical.id);
      const fund = await anon(`/api/public/knowledge/search?q=${encodeURIComponent('公积金提取')}`);
      expect(fund.json().items[0].id).toBe(a.fund.id);
      for (const body of [res.body, fund.body]) {
        expect(body).not.toContain(INTERNAL);
        expect(body).not.toMatch(/"(answer|shortAnswer|aliases|useCount|openFlagCount|versionId)"\s*:\s*"?[^"]*内部/);
      }
    });
    it('an article: the public answer, policy basis, owner and date; internal, expired, draft ones are 404', async () => {
      const res = await anon(`/api/public/knowledge/articles/${a.social.id}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual([
        'answer',
        'attachments',
        'id',
        'ownerUnit',
        'policyBasis',
        'title',
        'updatedOn',
      ]);
      expect(body.answer).toMatch(/^社会保险中断后/);
      expect(res.body).not.toContain(INTERNAL);
      const fund = (await anon(`/api/public/knowledge/articles/${a.fund.id}`)).json();
      expect(fund.answer).toBe(FUND_SHORT); // no public version written: the short answer
      expect(fund.policyBasis[0]).toEqual({
        document: '菏泽市住房公积金提取管理办法',
        number: '菏公积金发〔2023〕5号',
        clause: '第六条',
      });
      for (const id of [a.medical.id, a.expired.id, a.draft.id, a.withdrawn.id, a.future.id, 999999])
        expect((await anon(`/api/public/knowledge/articles/${id}`)).statusCode).toBe(404);
    });
    it('有用 / 没用 are counted per article and day; an internal article takes no feedback', async () => {
      expect(
        (await anon(`/api/public/knowledge/articles/${a.social.id}/feedback`, 'POST', { helpful: true })).statusCode,
      ).toBe(200);
      expect(
        (await anon(`/api/public/knowledge/articles/${a.social.id}/feedback`, 'POST', { helpful: false })).statusCode,
      ).toBe(200);
      expect(
        (await anon(`/api/public/knowledge/articles/${a.medical.id}/feedback`, 'POST', { helpful: true })).statusCode,
      ).toBe(404);
      expect(
        (await anon(`/api/public/knowledge/articles/${a.social.id}/feedback`, 'POST', { helpful: 'yes' })).statusCode,
      ).toBe(400);
      const row = await e.db
        .selectFrom('knowledge_article_daily')
        .selectAll()
        .where('article_id', '=', a.social.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ helpful_yes: 1, helpful_no: 1, portal_views: 1 });
    });
    it('feedback is rate-limited per client address', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++)
        codes.push(
          (
            await anon(
              `/api/public/knowledge/articles/${a.fund.id}/feedback`,
              'POST',
              { helpful: true },
              '198.51.100.9',
            )
          ).statusCode,
        );
      expect(codes.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(codes.at(-1)).toBe(429);
    });
    it('unanswered searches are kept for the centre, with personal numbers masked', async () => {
      const q = '我的电话13905301234怎么办理火星移民';
      expect((await anon(`/api/public/knowledge/search?q=${encodeURIComponent(q)}`)).json().items).toEqual([]);
      const rows = await e.db.selectFrom('knowledge_search_misses').selectAll().execute();
      const miss = rows.find((r) => r.query_norm.includes('火星移民'));
      expect(miss).toBeDefined();
      expect(JSON.stringify(rows)).not.toContain('13905301234');
      expect(miss!.source).toBe('portal');
      // suggestions from a contact's own words are never kept as text
      await c.agent.post('/api/knowledge/suggestions', { text: '我叫张三住在火星路十八号想问移民' });
      const again = await e.db.selectFrom('knowledge_search_misses').select('query_norm').execute();
      expect(JSON.stringify(again)).not.toContain('张三');
    });
  });

  describe('第十二条 figures from the rollups', () => {
    it('直接答复率 per day and agent equals what the contacts say; most used; unanswered', async () => {
      // one more contact dispatched as a ticket and one not accepted, so the rate is not trivially 1
      const k = expectStatus<{ id: number }>(
        await c.agent.post('/api/contacts', {
          channel: 'phone',
          content: '噪音扰民',
          externalId: `k-${Math.random()}`,
        }),
        201,
      );
      expectStatus(
        await c.agent.post(`/api/contacts/${k.id}/disposition`, { disposition: 'not_accepted', reason: '非受理范围' }),
        200,
      );
      const day = '2025-03-03';
      const f = expectStatus<any>(await analyst.get(`/api/knowledge/figures?from=${day}&to=${day}`), 200);
      const counted = await e.db
        .selectFrom('contacts')
        .select(['disposition', 'knowledge_article_id', 'disposed_by'])
        .where('status', '=', 'disposed')
        .where('disposed_by', 'is not', null)
        .execute();
      const answered = counted.filter((r) => r.disposition === 'answered');
      expect(f.total.disposed).toBe(counted.length);
      expect(f.total.answered).toBe(answered.length);
      expect(f.total.withArticle).toBe(answered.filter((r) => r.knowledge_article_id !== null).length);
      expect(f.daily).toHaveLength(1);
      expect(f.daily[0].directAnswerRate).toBeCloseTo(answered.length / counted.length, 3);
      expect(f.agents[0]).toMatchObject({ name: '王话务', disposed: counted.length });
      expect(f.mostUsed[0]).toMatchObject({ articleId: a.fund.id, uses: 1 });
      expect(f.unanswered.some((u: { query: string }) => u.query.includes('火星移民'))).toBe(true);
      expect(JSON.stringify(f)).not.toContain('13905301234');
    });
    it('only analysts, supervisors, the knowledge reviewer and the admin read them; bad periods are 400', async () => {
      expect((await c.agent.get('/api/knowledge/figures?from=2025-03-01&to=2025-03-03')).status).toBe(403);
      expect((await knowledge.get('/api/knowledge/figures?from=2025-03-01&to=2025-03-03')).status).toBe(200);
      expect((await analyst.get('/api/knowledge/figures?from=2025-03-05&to=2025-03-01')).status).toBe(400);
      expect((await analyst.get('/api/knowledge/figures?from=2024-01-01&to=2025-03-01')).status).toBe(400);
      expect((await analyst.get('/api/knowledge/figures?from=2025-02-30&to=2025-03-01')).status).toBe(400);
    });
  });

  describe('第十八条 synonyms', () => {
    it('signed-in staff read; the reviewer and admin edit; a term already in another group is refused', async () => {
      const list = expectStatus<{ items: Array<{ terms: string[] }> }>(
        await c.agent.get('/api/knowledge/synonyms'),
        200,
      );
      expect(list.items.some((g) => g.terms.includes('社保') && g.terms.includes('社会保险'))).toBe(true);
      expect((await c.agent.post('/api/knowledge/synonyms', { terms: ['充电桩', '充电站'] })).status).toBe(403);
      const dup = await knowledge.post('/api/knowledge/synonyms', { terms: ['社保', '五险'] });
      expect(dup.status).toBe(409);
      expect(dup.body.error.message).toContain('社保');
      expect((await knowledge.post('/api/knowledge/synonyms', { terms: ['充电桩'] })).status).toBe(400);
      expect((await knowledge.post('/api/knowledge/synonyms', { terms: ['充电桩', '充电桩'] })).status).toBe(400);
      expect((await knowledge.post('/api/knowledge/synonyms', { terms: ['充电 桩', '充电站'] })).status).toBe(400);
      expectStatus(await c.admin.post('/api/knowledge/synonyms', { terms: ['充电桩', '充电站'] }), 201);
      expect((await knowledge.request('PATCH', '/api/knowledge/synonyms/999999', { active: false })).status).toBe(404);
    });
  });
});
