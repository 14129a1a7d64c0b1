import { beforeAll, describe, expect, it } from 'vitest';
import { rollupAssessment } from '../src/server/jobs/assessment-rollup.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第十四条 (退单材料), 第十五条 (终止办理材料、答复的办理结果照片), 第二十四条 (申诉佐证): units upload real files first, then
// name them in the application, reply or appeal; the files are downloaded with the visibility of what they belong to.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Part {
  field?: string;
  name: string;
  data: Buffer;
  type?: string;
}

/** A multipart/form-data body as a browser's file input sends it. */
function multipart(parts: Part[]) {
  const boundary = '----workFilesBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${p.name}"\r\n` +
          `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

const sessions = new Map<string, ApiClient>();
async function upload(e: TestEnv, username: string, parts: Part[]) {
  const key = `${e.kind}:${username}`;
  if (!sessions.has(key)) sessions.set(key, await ApiClient.login(e, username));
  const c = sessions.get(key)!;
  const cookie = (c as unknown as { cookie: string }).cookie;
  const body = multipart(parts);
  const res = await e.app.inject({
    method: 'POST',
    url: '/api/work-files',
    payload: body.payload,
    headers: { cookie, 'content-type': body.type },
  });
  return { status: res.statusCode, body: res.json() };
}

describeEachDb('第十四、十五、二十四条 上传材料', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });
  const up = async (username: string, name: string, data: Buffer) =>
    expectStatus(await upload(env(), username, [{ name, data }]), 201) as {
      fileId: number;
      name: string;
      mime: string;
      size: number;
    };

  describe('第十四条 退单申请的材料', () => {
    it('a unit uploads a PDF, names it in the return application; the dispatcher downloads it, others get 404', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const id = await dispatchedTicket(e, c, 'gov-md');
      const f = await up('handler_md', '三定方案.pdf', PDF);
      expect(f).toMatchObject({ name: '三定方案.pdf', mime: 'application/pdf', size: PDF.length });
      // not used yet: only the uploading unit
      expect((await c.handlerMd.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
      expect((await c.dispatcher.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.handlerCg.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);

      const app = expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
          reason: '该事项属供电企业职责',
          materials: [{ name: '三定方案', fileId: f.fileId }, { name: '职责清单（纸质已报送）' }],
        }),
        201,
      );
      expect(app.materials).toEqual([
        { name: '三定方案', fileId: f.fileId, mime: 'application/pdf', size: PDF.length },
        { name: '职责清单（纸质已报送）' },
      ]);
      // the dispatcher's review queue and the ticket's timeline carry the file
      const queue = expectStatus(await c.dispatcher.get('/api/applications?kind=return&limit=200'), 200);
      expect(queue.items.find((a: any) => a.id === app.id).materials[0].fileId).toBe(f.fileId);
      const view = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
      const applied = view.events.find((ev: any) => ev.kind === 'return_applied');
      expect(applied.data.materials[0].fileId).toBe(f.fileId);

      const res = await e.app.inject({
        method: 'GET',
        url: `/api/work-files/${f.fileId}`,
        headers: { cookie: (c.dispatcher as unknown as { cookie: string }).cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(PDF)).toBe(true);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="____\.pdf"; filename\*=UTF-8''/);
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe('三定方案.pdf');
      // the ticket's units and the centre that sees it; not another unit, not another county's centre
      expect((await c.handlerMd.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
      expect((await c.supervisor.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
      expect((await c.handlerCg.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.agentCx.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.handlerCx.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      // 第三十条第二款: each download is in the access log
      const logged = await e.db
        .selectFrom('access_log')
        .select(['user_id', 'ticket_ids', 'row_count'])
        .where('kind', '=', 'file_download')
        .where('user_id', '=', e.ids.users['dispatcher']!)
        .execute();
      expect(logged.some((r) => r.ticket_ids.map(Number).includes(id) && Number(r.row_count) === 1)).toBe(true);

      // once approved the returning unit no longer sees the ticket, nor its file
      expectStatus(await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' }), 200);
      expect((await c.handlerMd.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.dispatcher.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
    });

    it('a file is used once, only by its own unit; a return needs materials', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const first = await dispatchedTicket(e, c, 'gov-md');
      const second = await dispatchedTicket(e, c, 'gov-md');
      const f = await up('handler_md', '说明.pdf', PDF);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${first}/return-applications`, {
          reason: '不属本单位职责',
          materials: [{ name: '说明', fileId: f.fileId }],
        }),
        201,
      );
      const reused = await c.handlerMd.post(`/api/tickets/${second}/return-applications`, {
        reason: '不属本单位职责',
        materials: [{ name: '说明', fileId: f.fileId }],
      });
      expect(reused.status).toBe(400);
      expect(reused.body.error.message).toContain('已用于其他');
      // another unit's upload is answered like a missing file
      const other = await up('handler_cg', '城管说明.pdf', PDF);
      const foreign = await c.handlerMd.post(`/api/tickets/${second}/return-applications`, {
        reason: '不属本单位职责',
        materials: [{ name: '说明', fileId: other.fileId }],
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.message).toContain('不是本单位上传的');
      const missing = await c.handlerMd.post(`/api/tickets/${second}/return-applications`, {
        reason: '不属本单位职责',
        materials: [{ name: '说明', fileId: 2_000_000_000 }],
      });
      expect(missing.status).toBe(400);
      // the refused applications changed nothing: the other unit's file is still unused
      const row = await e.db
        .selectFrom('work_files')
        .select('owner_kind')
        .where('id', '=', other.fileId)
        .executeTakeFirstOrThrow();
      expect(row.owner_kind).toBeNull();
      const none = await c.handlerMd.post(`/api/tickets/${second}/return-applications`, {
        reason: '不属本单位职责',
        materials: [],
      });
      expect(none.status).toBe(400);
      expect(none.body.error.message).toContain('材料');
      const badId = await c.handlerMd.post(`/api/tickets/${second}/return-applications`, {
        reason: '不属本单位职责',
        materials: [{ name: '说明', fileId: 99_999_999_999 }],
      });
      expect(badId.status).toBe(400);
    });

    it('wrong type, too large, two files, a NUL in the name, no file → 400 in Chinese; only unit staff upload', async () => {
      const e = env();
      const text = await upload(e, 'handler_md', [{ name: '说明.pdf', data: Buffer.from('只是一段文字，并不是 PDF') }]);
      expect(text.status).toBe(400);
      expect(text.body.error.message).toContain('不支持的附件类型');
      // an executable named like a picture: sniffed, refused
      const exe = await upload(e, 'handler_md', [
        { name: '照片.jpg', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]) },
      ]);
      expect(exe.status).toBe(400);
      // audio is an intake attachment, not a material
      const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(64)]);
      expect((await upload(e, 'handler_md', [{ name: '录音.wav', data: wav }])).status).toBe(400);
      const bigPicture = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
      const big = await upload(e, 'handler_md', [{ name: '现场.png', data: bigPicture }]);
      expect(big.status).toBe(400);
      expect(big.body.error.message).toContain('10 MB');
      const huge = await upload(e, 'handler_md', [
        { name: '汇编.pdf', data: Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]) },
      ]);
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toContain('文件过大');
      const two = await upload(e, 'handler_md', [
        { name: 'a.pdf', data: PDF },
        { name: 'b.pdf', data: PDF },
      ]);
      expect(two.status).toBe(400);
      expect(two.body.error.message).toContain('一次只能上传一个文件');
      const nul = await upload(e, 'handler_md', [{ name: 'a\u0000.pdf', data: PDF }]);
      expect(nul.status).toBe(400);
      expect(nul.body.error.message).toContain('空字符');
      const empty = await upload(e, 'handler_md', [{ name: 'a.pdf', data: Buffer.alloc(0) }]);
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toContain('请选择');
      const json = await c.handlerMd.post('/api/work-files', { name: 'a.pdf' });
      expect(json.status).toBe(400);
      expect((await upload(e, 'agent', [{ name: 'a.pdf', data: PDF }])).status).toBe(403);
      // a bad id in the path: 400, not 500
      expect((await c.handlerMd.get('/api/work-files/abc')).status).toBe(400);
      expect((await c.handlerMd.get('/api/work-files/99999999999')).status).toBe(400);
      expect((await c.handlerMd.get('/api/work-files/2000000000')).status).toBe(404);
      const unnamed = await up('handler_md', '../../etc/现场|照片<1>.png', PNG);
      expect(unnamed.name).toBe('现场_照片_1_.png');
    });
  });

  describe('第十五条 终止办理的材料和答复的办理结果照片', () => {
    it('a termination needs materials and takes an uploaded file', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const id = await dispatchedTicket(e, c, 'gov-md');
      expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
      const none = await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
        case: 'refused_information',
        reason: '诉求人拒绝提供必要信息',
      });
      expect(none.status).toBe(400);
      const f = await up('manager_md', '联系记录.png', PNG);
      const app = expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
          case: 'refused_information',
          reason: '诉求人拒绝提供必要信息',
          materials: [{ name: '联系记录截图', fileId: f.fileId }],
        }),
        201,
      );
      expect(app.materials[0]).toMatchObject({ fileId: f.fileId, mime: 'image/png' });
      expect((await c.dispatcher.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
    });

    it('the reply carries photos of the result; the ticket’s readers download them', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const id = await dispatchedTicket(e, c, 'gov-md', {}, ['cgj']);
      expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
        200,
      );
      const before = await up('handler_md', '维修前.png', PNG);
      const after = await up('handler_md', '维修后.png', PNG);
      const dup = await c.handlerMd.post(`/api/tickets/${id}/reply`, {
        result: '已更换灯具',
        solved: true,
        fileIds: [before.fileId, before.fileId],
      });
      expect(dup.status).toBe(400);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/reply`, {
          result: '已更换灯具，恢复照明',
          solved: true,
          fileIds: [before.fileId, after.fileId],
        }),
        200,
      );
      const view = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
      const replied = view.events.find((ev: any) => ev.kind === 'replied');
      expect(replied.data.files.map((x: any) => x.fileId)).toEqual([before.fileId, after.fileId]);
      expect(replied.data.files[0]).toMatchObject({ name: '维修前.png', mime: 'image/png' });
      expect((await c.callback.bytes(`/api/work-files/${after.fileId}`)).status).toBe(200);
      // the assisting unit is one of the ticket's units
      expect((await c.handlerCg.bytes(`/api/work-files/${after.fileId}`)).status).toBe(200);
      expect((await c.handlerZj.bytes(`/api/work-files/${after.fileId}`)).status).toBe(404);
    });
  });

  describe('第十五条 审核: photos go with the submission and with the reply once approved', () => {
    it('the manager approves a submitted reply; the reply carries the photos', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const id = await dispatchedTicket(e, c, 'gov-md');
      expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
        200,
      );
      const photo = await up('handler_md', '整改后.png', PNG);
      expectStatus(await c.admin.put(`/api/units/${e.ids.units['gov-md']}/reply-signoff`, { replySignoff: true }), 200);
      try {
        expectStatus(
          await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, {
            result: '已整改到位',
            solved: true,
            fileIds: [photo.fileId],
          }),
          201,
        );
        const queue = expectStatus(await c.managerMd.get('/api/reply-signoffs'), 200);
        const s = queue.items.find((i: any) => i.ticketId === id);
        expectStatus(await c.managerMd.post(`/api/reply-signoffs/${s.id}/approve`, {}), 200);
      } finally {
        expectStatus(
          await c.admin.put(`/api/units/${e.ids.units['gov-md']}/reply-signoff`, { replySignoff: false }),
          200,
        );
      }
      const view = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
      const submitted = view.events.find((ev: any) => ev.kind === 'reply_submitted');
      const replied = view.events.find((ev: any) => ev.kind === 'replied');
      expect(submitted.data.files[0].fileId).toBe(photo.fileId);
      expect(replied.data.files).toEqual([
        { fileId: photo.fileId, name: '整改后.png', mime: 'image/png', size: PNG.length },
      ]);
      expect((await c.dispatcher.bytes(`/api/work-files/${photo.fileId}`)).status).toBe(200);
    });
  });

  describe('第二十四条 申诉佐证材料', () => {
    it('a unit appeals a 不满意 with an uploaded picture; the centre sees it, other units do not', async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const id = await dispatchedTicket(e, c, 'gov-md');
      e.clock.set('2025-03-03T10:00:00+08:00');
      expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
        200,
      );
      expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已依法答复', solved: true }), 200);
      e.clock.set('2025-03-04T10:00:00+08:00');
      expectStatus(
        await c.callback.post(`/api/tickets/${id}/callback`, {
          satisfaction: 'unsatisfied',
          resolved: false,
          reasonable: false,
          outcome: 'close',
        }),
        200,
      );
      await rollupAssessment(e.db, e.clock.now(), { lagMs: 0 });
      const f = await up('handler_md', '答复现场.png', PNG);
      const appeal = expectStatus(
        await c.handlerMd.post('/api/assessment/appeals', {
          ticketId: id,
          indicator: 'satisfaction',
          reason: '诉求人要求超出政策规定，不满意评价不合理',
          materials: [{ name: '答复现场照片', description: '现场答复', fileId: f.fileId }],
        }),
        201,
      );
      expect(appeal.materials).toEqual([
        { name: '答复现场照片', description: '现场答复', fileId: f.fileId, mime: 'image/png', size: PNG.length },
      ]);
      const list = expectStatus(await c.supervisor.get('/api/assessment/appeals?status=pending'), 200);
      expect(list.items.find((a: any) => a.id === appeal.id).materials[0].fileId).toBe(f.fileId);
      expect((await c.supervisor.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
      expect((await c.managerMd.bytes(`/api/work-files/${f.fileId}`)).status).toBe(200);
      expect((await c.handlerCx.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.handlerCg.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      expect((await c.agent.bytes(`/api/work-files/${f.fileId}`)).status).toBe(404);
      // the same file cannot back a second appeal
      const again = await c.handlerMd.post('/api/assessment/appeals', {
        ticketId: id,
        indicator: 'resolution',
        reason: '诉求人要求超出政策规定，未解决评价不合理',
        materials: [{ name: '答复现场照片', fileId: f.fileId }],
      });
      expect(again.status).toBe(400);
    });
  });
});
