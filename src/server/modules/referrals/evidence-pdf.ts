import { renderPdf, type PdfBlock } from '../../pdf/index.js';
import type { EvidencePack } from './evidence-pack.js';

// 第二十三条: the evidence pack as a printable document for the discipline inspection body, as blocks of the shared
// PDF module (src/server/pdf: headings, paragraphs, key-value tables, tables).

type EvidenceBlock = PdfBlock;

const fmt = (d: Date | null | undefined): string => {
  if (!d) return '—';
  // China time, minutes: what the ticket screens show
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
};
const or = (s: string | null | undefined) => (s && s.trim() ? s : '—');

/** Empty sections say 无, so a reader knows the section was looked at. */
function table(blocks: EvidenceBlock[], title: string, columns: string[], rows: string[][], widths?: number[]) {
  blocks.push({ kind: 'heading', text: title, level: 3 });
  if (rows.length === 0) blocks.push({ kind: 'paragraph', text: '无' });
  else blocks.push({ kind: 'table', columns, rows, widths });
}

export function evidenceBlocks(p: EvidencePack): EvidenceBlock[] {
  const b: EvidenceBlock[] = [];
  const r = p.referral;
  b.push({ kind: 'heading', text: `问题线索移送证据材料（移送编号 ${r.id}）`, level: 1 });
  b.push({
    kind: 'keyValue',
    rows: [
      ['移送机构', r.centreName],
      ['接收机关', r.bodyName],
      ['移送对象', `${r.unitName} · ${r.subject}`],
      ['问题情形', r.conducts.join('；')],
      ['移交时间', fmt(r.transferredAt)],
      ['当前状态', r.status],
      ['材料生成时间', fmt(p.generatedAt)],
    ],
  });
  b.push({ kind: 'heading', text: '问题事实', level: 2 });
  b.push({ kind: 'paragraph', text: r.facts });
  b.push({
    kind: 'paragraph',
    text: '说明：诉求人的姓名、电话等个人信息已脱敏（《菏泽市12345政务服务便民热线条例》第六条）；如需核实，请通过热线工作机构的留痕查询办理。',
  });

  b.push({ kind: 'heading', text: '一、涉及工单', level: 2 });
  if (p.tickets.length === 0) b.push({ kind: 'paragraph', text: '无' });
  for (const t of p.tickets) {
    b.push({ kind: 'heading', text: `工单 ${t.number}：${t.title}`, level: 2 });
    b.push({
      kind: 'keyValue',
      rows: [
        ['受理时间', fmt(t.createdAt)],
        ['当前状态', t.status],
        ['主办单位', or(t.leadUnitName)],
        ['诉求人', t.requester ? `${or(t.requester.name)}  ${or(t.requester.phone)}` : '匿名'],
        ['诉求内容', or(t.content)],
      ],
    });
    table(
      b,
      '办理过程',
      ['时间', '环节', '单位', '人员', '说明'],
      t.timeline.map((e) => [fmt(e.at), e.label, or(e.unitName), or(e.actorName), or(e.reason)]),
      [16, 20, 20, 12, 32],
    );
    const apps = (rows: typeof t.returns) =>
      rows.map((a) => [fmt(a.at), or(a.unitName), a.reason, a.status, or(a.reviewNote)]);
    const appCols = ['申请时间', '单位', '理由', '结果', '审核意见'];
    table(b, '退单申请', appCols, apps(t.returns));
    table(b, '职责争议', appCols, apps(t.disputes));
    table(
      b,
      '延期申请',
      ['申请时间', '单位', '天数', '理由', '结果'],
      t.extensions.map((a) => [fmt(a.at), or(a.unitName), String(a.requestedDays ?? '—'), a.reason, a.status]),
    );
    table(
      b,
      '超期记录',
      ['时限', '单位', '应完成', '超期时间', '实际完成'],
      t.breaches.map((d) => [d.kind, or(d.unitName), fmt(d.dueAt), fmt(d.breachedAt), fmt(d.metAt)]),
    );
    table(
      b,
      '回访记录',
      ['时间', '满意度', '是否解决', '结果', '说明'],
      t.callbacks.map((c) => [fmt(c.at), c.satisfaction, c.resolved ? '已解决' : '未解决', c.outcome, or(c.note)]),
    );
    table(
      b,
      '诉求人评价',
      ['时间', '评价', '方式', '意见'],
      t.evaluations.map((v) => [fmt(v.at), v.satisfaction, v.via, or(v.comment)]),
    );
  }

  b.push({ kind: 'heading', text: '二、督办情况（第二十二条）', level: 2 });
  if (!p.supervisionCases || p.supervisionCases.length === 0) b.push({ kind: 'paragraph', text: '无' });
  else
    b.push({
      kind: 'table',
      columns: ['督办单号', '情形', '单位', '状态', '督办时间', '单位答复', '处理'],
      rows: p.supervisionCases.map((c) => [
        c.number,
        c.trigger,
        or(c.unitName),
        c.status,
        fmt(c.createdAt),
        or(c.answer),
        c.decision,
      ]),
    });

  b.push({ kind: 'heading', text: `三、${r.unitName}的其他记录`, level: 2 });
  table(
    b,
    '诉求人对工作人员的投诉（最近 20 件）',
    ['编号', '时间', '状态', '调查结论', '内容'],
    p.unitRecord.complaints.map((c) => [String(c.id), fmt(c.at), c.status, c.finding, c.content]),
  );
  table(
    b,
    '其他问责移送（最近 20 件）',
    ['编号', '移交时间', '状态', '情形'],
    p.unitRecord.referrals.map((x) => [String(x.id), fmt(x.at), x.status, x.conducts.join('；')]),
  );
  return b;
}

/** Renders the pack through the shared PDF module. */
export async function renderEvidencePdf(p: EvidencePack): Promise<Buffer> {
  return renderPdf({
    title: `问题线索移送证据材料（移送编号 ${p.referral.id}）`,
    subject: `${p.referral.unitName}：${p.referral.conducts.join('；')}`,
    author: p.referral.centreName,
    footer: `移送编号 ${p.referral.id} · 内部材料 · 注意保密`,
    createdAt: p.generatedAt,
    blocks: evidenceBlocks(p),
  });
}
