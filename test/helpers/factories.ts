import { ApiClient, expectStatus } from './api.js';
import type { TestEnv } from './test-env.js';

export interface Clients {
  agent: ApiClient;
  dispatcher: ApiClient;
  callback: ApiClient;
  auditor: ApiClient;
  admin: ApiClient;
  supervisor: ApiClient;
  handlerMd: ApiClient;
  managerMd: ApiClient;
  handlerDc: ApiClient;
  handlerCg: ApiClient;
  handlerZj: ApiClient;
  handlerWater: ApiClient;
  handlerCx: ApiClient;
  agentCx: ApiClient;
}

export async function loginAll(env: TestEnv): Promise<Clients> {
  const l = (u: string) => ApiClient.login(env, u);
  return {
    agent: await l('agent'),
    dispatcher: await l('dispatcher'),
    callback: await l('callback'),
    auditor: await l('auditor'),
    admin: await l('admin'),
    supervisor: await l('supervisor'),
    handlerMd: await l('handler_md'),
    managerMd: await l('manager_md'),
    handlerDc: await l('handler_dc'),
    handlerCg: await l('handler_cg'),
    handlerZj: await l('handler_zj'),
    handlerWater: await l('handler_water'),
    handlerCx: await l('handler_cx'),
    agentCx: await l('agent_cx'),
  };
}

export const PHONE = '13905301234';

/** Creates a ticket through the API as the agent; defaults read like a real call about a broken street lamp. */
export async function createTicket(env: TestEnv, agent: ApiClient, over: Record<string, unknown> = {}) {
  return expectStatus<{ id: number; number: string; version: number; status: string }>(
    await agent.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: env.ids.categories['CX-SZ'],
      urgency: 'normal',
      regionCode: '371702001',
      address: '牡丹区东城街道和平路与中华路交叉口东50米',
      title: '和平路路灯连续一周不亮',
      content: '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，行人和电动车夜间通行很危险，希望尽快维修。',
      requester: { name: '张秀英', phone: PHONE },
      ...over,
    }),
    201,
  );
}

/** Creates and dispatches a ticket to the named unit (by hand), returning its id. */
export async function dispatchedTicket(
  env: TestEnv,
  c: Clients,
  unitCode: string,
  over: Record<string, unknown> = {},
  assistCodes: string[] = [],
) {
  const t = await createTicket(env, c.agent, over);
  expectStatus(
    await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, {
      leadUnitId: env.ids.units[unitCode],
      assistUnitIds: assistCodes.map((a) => env.ids.units[a]),
    }),
    200,
  );
  return t.id;
}

/**
 * 第十四条 退单: `handler`'s unit applies to return ticket `id` with its reason and one material, and the dispatcher
 * approves, giving the ticket to the unit `toUnit`.
 */
export async function approvedReturn(
  env: TestEnv,
  c: Clients,
  handler: ApiClient,
  id: number,
  toUnit: string,
  why: { reason: string; material: string },
) {
  const app = expectStatus<{ id: number }>(
    await handler.post(`/api/tickets/${id}/return-applications`, {
      reason: why.reason,
      materials: [{ name: why.material }],
    }),
    201,
  );
  expectStatus(
    await c.dispatcher.post(`/api/applications/${app.id}/review`, {
      decision: 'approve',
      newLeadUnitId: env.ids.units[toUnit],
    }),
    200,
  );
}

export async function eventKinds(c: ApiClient, id: number): Promise<string[]> {
  const v = expectStatus<{ events: Array<{ kind: string }> }>(await c.get(`/api/tickets/${id}`), 200);
  return v.events.map((e) => e.kind);
}

/** A bearer token for a machine user (gateway, CTI, partner), issued by the admin as in production. */
export async function tokenFor(env: TestEnv, admin: ApiClient, username: string): Promise<string> {
  return expectStatus(
    await admin.post('/api/auth/tokens', { userId: env.ids.users[username], name: `test ${username}` }),
    201,
  ).token;
}
