import type { PdfBlock, PdfDocumentSpec } from '../../pdf/document.js';
import { STATUS_LABELS as TICKET_STATUS_LABELS } from '../../../shared/domain/transitions.js';
import {
  METHOD_LABELS,
  STATUS_LABELS,
  TRIGGER_LABELS,
  type SupervisionMethod,
  type SupervisionStatus,
  type SupervisionTrigger,
} from '../../../shared/domain/supervision.js';
import type { TicketStatus } from '../../db/schema.js';
import { chinaTime as localTime } from '../../domain/supervision-triggers.js';

// 第二十二条 督办通知单: what the notice says, as a generic PDF document. It carries the case, the unit, the reason,
// the deadline and the tickets by number and title — the unit's own screen shows the same; no requester's name,
// phone or address is ever on it.

export interface NoticeInput {
  case: {
    number: string;
    trigger: SupervisionTrigger;
    status: SupervisionStatus;
    method: SupervisionMethod | null;
    level: 'county' | 'city';
    round: number;
    unit_name: string;
    reason: string;
    due_at: Date | null;
    created_at: Date;
    answer: string | null;
    answered_at: Date | null;
  };
  tickets: Array<{ number: string; title: string; status: TicketStatus }>;
  issuedAt: Date;
  /** the centre that supervises (signs the notice) */
  centreName: string;
}

/** A local (UTC+08:00) time as 2025年3月3日 09:00; '—' when absent. */
export function chinaTime(d: Date | null): string {
  return d ? localTime(new Date(d)) : '—';
}

export function noticeDocument(n: NoticeInput): PdfDocumentSpec {
  const c = n.case;
  const centre = n.centreName;
  return {
    title: `督办通知单 ${c.number}`,
    subject: `第二十二条 热线督办 ${c.number}`,
    author: centre,
    footer: `督办编号 ${c.number}`,
    createdAt: n.issuedAt,
    blocks: [
      { kind: 'heading', level: 1, text: '菏泽市12345政务服务便民热线督办通知单' },
      { kind: 'paragraph', text: `督办编号：${c.number}`, align: 'right' },
      { kind: 'paragraph', text: `${c.unit_name}：` },
      {
        kind: 'paragraph',
        text:
          `根据《菏泽市12345政务服务便民热线条例》第二十二条，你单位存在下列需要督办的情形，现予${c.method ? METHOD_LABELS[c.method] : '督办'}。` +
          `请于 ${chinaTime(c.due_at)} 前通过热线平台反馈办理情况。`,
      },
      {
        kind: 'keyValue',
        rows: [
          ['督办情形', TRIGGER_LABELS[c.trigger]],
          ['督办方式', c.method ? METHOD_LABELS[c.method] : '待确认'],
          ['督办层级', c.level === 'city' ? '市级督办' : '县（区）级督办'],
          ['督办轮次', `第 ${c.round} 次`],
          ['当前状态', STATUS_LABELS[c.status]],
          ['立案时间', chinaTime(c.created_at)],
          ['反馈期限', chinaTime(c.due_at)],
        ],
      },
      { kind: 'heading', text: '督办事由' },
      { kind: 'paragraph', text: c.reason },
      ...ticketBlocks(n.tickets),
      ...(c.answer
        ? [
            { kind: 'heading', text: `单位反馈（${chinaTime(c.answered_at)}）` } satisfies PdfBlock,
            { kind: 'paragraph', text: c.answer } satisfies PdfBlock,
          ]
        : []),
      { kind: 'spacer', height: 24 },
      { kind: 'paragraph', text: centre, align: 'right' },
      { kind: 'paragraph', text: chinaTime(n.issuedAt).split(' ')[0]!, align: 'right' },
    ],
  };
}

function ticketBlocks(tickets: NoticeInput['tickets']): PdfBlock[] {
  if (!tickets.length) return [];
  return [
    { kind: 'heading', text: '涉及工单' },
    {
      kind: 'table',
      columns: ['工单编号', '诉求标题', '工单状态'],
      widths: [2, 5, 1.5],
      rows: tickets.map((t) => [t.number, t.title, TICKET_STATUS_LABELS[t.status] ?? t.status]),
    },
  ];
}
