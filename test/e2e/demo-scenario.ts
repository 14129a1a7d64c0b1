import { sweepDeadlines } from '../../src/server/jobs/deadline-sweeper.js';
import type { TestServer } from './harness.js';

// A working week of the Heze hotline, made through the real API with the server clock stepped back in time,
// so every screen has something realistic to show: today's intake over several channels, tickets in every
// state, deadlines that are fine, close and overdue, applications waiting for review, and a ticket that went
// through rework. Used by scripts/screenshots.ts.

export const SCENARIO_NOW = '2025-03-12T15:30:00+08:00'; // a Wednesday afternoon

interface Made {
  id: number;
  number: string;
  trackingCode: string;
}

export async function buildDemoScenario(s: TestServer) {
  const at = (iso: string) => s.clock.set(iso);
  const [agent, dispatcher, callback] = await Promise.all([s.as('agent'), s.as('dispatcher'), s.as('callback')]);
  const handler = (u: string) => s.as(u);
  const cat = (code: string) => s.ids.categories[code]!;
  const unit = (code: string) => s.ids.units[code]!;
  const create = (o: {
    cat: string;
    region: string;
    title: string;
    content: string;
    channel?: string;
    type?: string;
    urgency?: string;
    name?: string;
    phone?: string;
    address?: string;
  }) =>
    agent.call<Made>('POST', '/api/tickets', {
      requestType: o.type ?? 'complaint',
      categoryId: cat(o.cat),
      urgency: o.urgency ?? 'normal',
      regionCode: o.region,
      address: o.address ?? null,
      title: o.title,
      content: o.content,
      channel: o.channel ?? 'phone',
      // 第三十三条: a 举报 carries the agent's text for the units
      ...(o.type === 'report' ? { unitText: `举报事项：${o.title}` } : {}),
      requester: { name: o.name ?? '张秀英', phone: o.phone ?? '13905301234' },
    });
  const dispatch = (t: Made, body: Record<string, unknown> = {}) =>
    dispatcher.call('POST', `/api/tickets/${t.id}/dispatch`, body);

  // ── Last week: a ticket that went through rework and was closed satisfied.
  at('2025-03-05T09:12:00+08:00');
  const closed = await create({
    cat: 'CX-WY',
    region: '371702001',
    title: '小区电梯频繁停运，物业不予维修',
    content:
      '和平社区3号楼电梯近一个月频繁停运，老人上下楼困难，物业以维修基金未到位为由拖延，物业经理电话0530-5556677一直打不通。',
    address: '东城街道和平社区3号楼',
    name: '李建国',
    phone: '13853001122',
  });
  at('2025-03-05T09:40:00+08:00');
  await dispatch(closed);
  const dc = await handler('handler_dc');
  at('2025-03-05T10:30:00+08:00');
  await dc.call('POST', `/api/tickets/${closed.id}/accept`, {});
  at('2025-03-05T14:00:00+08:00');
  await dc.call('POST', `/api/tickets/${closed.id}/contacts`, {
    method: 'phone',
    reached: true,
    note: '已电话联系诉求人，说明将约谈物业公司',
  });
  at('2025-03-06T16:00:00+08:00');
  await dc.call('POST', `/api/tickets/${closed.id}/reply`, {
    result: '已约谈物业公司，物业承诺一周内完成电梯检修。',
    solved: true,
  });
  at('2025-03-07T10:00:00+08:00');
  await callback.call('POST', `/api/tickets/${closed.id}/callback`, {
    satisfaction: 'unsatisfied',
    resolved: false,
    reasonable: true,
    outcome: 'rework',
    note: '诉求人反映电梯仍未修好',
  });
  at('2025-03-10T11:00:00+08:00');
  await dc.call('POST', `/api/tickets/${closed.id}/reply`, {
    result: '街道督促物业更换电梯主板，3月10日已恢复运行，并经特检院检验合格。',
    solved: true,
  });
  at('2025-03-11T09:30:00+08:00');
  await callback.call('POST', `/api/tickets/${closed.id}/callback`, {
    satisfaction: 'satisfied',
    resolved: true,
    outcome: 'close',
    note: '诉求人表示电梯已正常运行',
  });

  // ── Overdue: accepted on Friday, the requester never contacted (first-contact limit breached).
  at('2025-03-07T10:05:00+08:00');
  const overdue = await create({
    cat: 'LD-QX',
    region: '371702',
    title: '建筑工地拖欠农民工工资',
    content: '在牡丹区某小区工地干了三个月，包工头拖欠工资4.2万元，多次讨要无果。',
    type: 'help',
    name: '王大海',
    phone: '15166001234',
  });
  await dispatch(overdue, { leadUnitId: unit('gov-md'), assistUnitIds: [unit('rsj')] });
  const md = await handler('handler_md');
  at('2025-03-07T11:00:00+08:00');
  await md.call('POST', `/api/tickets/${overdue.id}/accept`, {});

  // ── In progress at the district government with an extension application waiting.
  at('2025-03-06T08:50:00+08:00');
  const extension = await create({
    cat: 'CX-WJ',
    region: '371702002',
    title: '西城街道某小区楼顶违建',
    content: '小区8号楼顶层住户在楼顶加盖彩钢房，存在安全隐患，影响楼下住户。',
    name: '赵敏',
    phone: '13562001234',
  });
  await dispatch(extension, { leadUnitId: unit('gov-md') });
  at('2025-03-06T09:30:00+08:00');
  await md.call('POST', `/api/tickets/${extension.id}/accept`, {});
  await md.call('POST', `/api/tickets/${extension.id}/contacts`, {
    method: 'visit',
    reached: true,
    note: '已上门查看，违建面积约40平方米',
  });
  at('2025-03-11T15:00:00+08:00');
  await md.call('POST', `/api/tickets/${extension.id}/progress-reports`, {
    content: '已下达限期拆除通知书，当事人申请自行拆除，需协调施工队。',
  });
  await md.call('POST', `/api/tickets/${extension.id}/extension-applications`, {
    days: 5,
    reason: '当事人自行拆除需协调施工队和安全防护，预计需5个工作日',
    progress: '已下达限期拆除通知书，当事人已签字确认',
    materials: [{ name: '限期拆除通知书.pdf' }, { name: '现场照片.jpg' }],
  });

  // ── Dispatched to the street office, which asks to return it (pending review).
  at('2025-03-11T09:20:00+08:00');
  const returned = await create({
    cat: 'CX-SZ',
    region: '371702001',
    title: '和平路路灯连续一周不亮',
    content: '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，行人和电动车夜间通行很危险。',
    address: '和平路与中华路交叉口东50米',
  });
  await dispatch(returned);
  at('2025-03-11T14:10:00+08:00');
  await dc.call('POST', `/api/tickets/${returned.id}/return-applications`, {
    reason: '该路段为城市主干道，照明设施由市城市管理局统一管护，不属街道职责',
    materials: [{ name: '城市道路照明设施管护职责清单.pdf' }],
  });

  // ── A duty dispute waiting for a consultation.
  at('2025-03-11T10:00:00+08:00');
  const dispute = await create({
    cat: 'HB-LJ',
    region: '371702',
    title: '城乡结合部垃圾堆放无人清运',
    content: '牡丹区与定陶区交界处道路两侧堆放大量建筑和生活垃圾，气味难闻。',
    type: 'report',
  });
  await dispatch(dispute, { leadUnitId: unit('gov-md') });
  at('2025-03-11T16:00:00+08:00');
  await md.call('POST', `/api/tickets/${dispute.id}/dispute-applications`, {
    reason: '垃圾堆放点位于定陶区辖区内，应由定陶区负责清运',
    proposedUnitIds: [unit('gov-dt')],
    materials: [{ name: '位置示意图.png' }],
  });

  // ── Replied, waiting for the callback.
  at('2025-03-10T09:00:00+08:00');
  const replied = await create({
    cat: 'CX-GS',
    region: '371702003',
    title: '南城街道片区停水未提前通知',
    content: '南城街道幸福小区3月9日全天停水，事先没有任何通知，影响居民生活。',
    channel: 'wechat',
    name: '孙丽',
    phone: '18653001234',
  });
  await dispatch(replied);
  const water = await handler('handler_water');
  at('2025-03-10T09:20:00+08:00');
  await water.call('POST', `/api/tickets/${replied.id}/accept`, {});
  await water.call('POST', `/api/tickets/${replied.id}/contacts`, {
    method: 'phone',
    reached: true,
    note: '已向诉求人解释停水原因并致歉',
  });
  at('2025-03-11T10:00:00+08:00');
  await water.call('POST', `/api/tickets/${replied.id}/reply`, {
    result: '因主管道爆裂紧急抢修停水，未能提前通知。已完成抢修，今后将通过短信和社区公告提前告知计划停水。',
    solved: true,
  });

  // ── Assisting: the street office leads, the district government assists.
  at('2025-03-11T11:00:00+08:00');
  const assisted = await create({
    cat: 'CX-SZ',
    region: '371702001',
    title: '丹阳社区道路井盖破损',
    content: '丹阳社区门口道路井盖破损下陷，已有电动车摔倒。',
    urgency: 'urgent',
    address: '东城街道丹阳社区南门',
  });
  await dispatch(assisted, { leadUnitId: unit('jd-dc'), assistUnitIds: [unit('gov-md')] });

  // ── Dispatched yesterday to the district government, not yet accepted (accept limit close).
  at('2025-03-11T16:30:00+08:00');
  const toAccept = await create({
    cat: 'JT-DL',
    region: '371702004',
    title: '北城街道长江路路面坑洼',
    content: '长江路北城段路面多处坑洼，雨天积水，车辆通行困难。',
    channel: 'web',
  });
  await dispatch(toAccept, { leadUnitId: unit('gov-md') });

  // ── Today: intake over several channels, some still waiting for dispatch.
  const today: Array<Parameters<typeof create>[0] & { at: string; dispatchTo?: string }> = [
    {
      at: '2025-03-12T08:35:00+08:00',
      cat: 'HB-ZS',
      region: '371702001',
      title: '夜间工地施工噪音扰民',
      content: '东城街道某工地连续多日夜间施工至凌晨，噪音严重影响休息。',
      channel: 'phone',
      dispatchTo: 'auto',
    },
    {
      at: '2025-03-12T09:02:00+08:00',
      cat: 'CX-GN',
      region: '371702002',
      title: '供暖温度不达标',
      content: '小区室内温度只有14度左右，远低于标准。',
      channel: 'wechat',
      dispatchTo: 'auto',
    },
    {
      at: '2025-03-12T09:40:00+08:00',
      cat: 'SC-SP',
      region: '371703001',
      title: '超市销售过期食品',
      content: '在天中街道某超市购买的牛奶已过期两天。',
      channel: 'phone',
      type: 'report',
    },
    {
      at: '2025-03-12T10:15:00+08:00',
      cat: 'JY-ZS',
      region: '371702',
      title: '咨询小学入学报名时间',
      content: '孩子今年秋季上小学，想咨询报名时间和所需材料。',
      channel: 'web',
      type: 'consult',
    },
    {
      at: '2025-03-12T10:48:00+08:00',
      cat: 'CX-WY',
      region: '371702002',
      title: '物业私自提高停车费',
      content: '物业未经业主大会同意，将停车费由每月100元提高到150元。',
      channel: 'phone',
    },
    {
      at: '2025-03-12T11:20:00+08:00',
      cat: 'TX-KD',
      region: '371721001',
      title: '宽带故障报修三天未处理',
      content: '家中宽带断网三天，报修后一直无人上门。',
      channel: 'sms',
    },
    {
      at: '2025-03-12T13:30:00+08:00',
      cat: 'LD-SB',
      region: '371722001',
      title: '社保缴费记录缺失',
      content: '查询发现2023年有三个月社保缴费记录缺失。',
      channel: 'phone',
      type: 'help',
    },
    {
      at: '2025-03-12T14:05:00+08:00',
      cat: 'GA-HJ',
      region: '371725001',
      title: '咨询身份证异地办理',
      content: '户籍在郓城县，人在外地工作，咨询能否异地换领身份证。',
      channel: 'wechat',
      type: 'consult',
    },
    {
      at: '2025-03-12T14:50:00+08:00',
      cat: 'JT-GJ',
      region: '371702',
      title: '建议增开夜班公交',
      content: '建议在晚高峰后增开15路公交夜班车。',
      channel: 'web',
      type: 'suggestion',
    },
    {
      at: '2025-03-12T15:10:00+08:00',
      cat: 'CX-GD',
      region: '371702003',
      title: '小区频繁停电',
      content: '南城街道某小区本周已停电三次。',
      channel: 'phone',
      urgency: 'urgent',
    },
  ];
  const todayMade: Made[] = [];
  for (const t of today) {
    at(t.at);
    const m = await create(t);
    todayMade.push(m);
    if (t.dispatchTo) await dispatch(m);
  }

  at(SCENARIO_NOW);
  await sweepDeadlines(s.handle.db, s.clock);
  return {
    closed,
    overdue,
    extension,
    returned,
    dispute,
    replied,
    assisted,
    toAccept,
    pending: todayMade[2]!,
    today: todayMade,
  };
}
