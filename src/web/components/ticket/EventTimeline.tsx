import type { ReactNode } from 'react';
import { Empty, Timeline, Typography } from 'antd';
import type { Material, TicketEvent } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import {
  CHANNEL_LABELS,
  CONTACT_METHOD_LABELS,
  DEADLINE_KIND_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  TERMINATION_CASE_LABELS,
  EVALUATION_VIA_LABELS,
  eventLabel,
} from '../../lib/labels';
import { useReference, type Reference } from '../../lib/reference';
import { WorkFileLinks } from '../WorkFileLinks';

const COLORS: Record<string, string> = {
  created: 'blue',
  dispatched: 'blue',
  accepted: 'green',
  replied: 'green',
  closed: 'gray',
  rework: 'orange',
  deadline_warned: 'orange',
  deadline_breached: 'red',
  merged_into: 'gray',
  merged_from: 'purple',
  unmerged: 'orange',
  unmerged_from: 'orange',
  staff_complaint: 'red',
  return_approved: 'orange',
  termination_approved: 'gray',
  consultation_held: 'purple',
  dispatch_recalled: 'orange',
  reassigned: 'orange',
};

type D = Record<string, unknown>;
const str = (v: unknown) =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
const ids = (v: unknown) => (Array.isArray(v) ? (v as number[]) : []);
const units = (ref: Reference, v: unknown) =>
  ids(v)
    .map((id) => ref.unitName(id))
    .join('、');

function Line({ label, children }: { label: string; children: ReactNode }) {
  if (children === '' || children === null || children === undefined) return null;
  return (
    <div className="pre-wrap">
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {children}
    </div>
  );
}

/** The facts each event kind carries, in words. */
function details(e: TicketEvent, ref: Reference): ReactNode {
  const d = e.data as D;
  // 第十四、十五条: uploaded materials and photos of the result as download links (text-only entries as names)
  const fileList = (v: unknown) => (Array.isArray(v) && v.length ? <WorkFileLinks items={v as Material[]} /> : '');
  const materials = fileList(d.materials);
  const files = fileList(d.files);
  switch (e.kind) {
    case 'created':
      return <Line label="渠道">{CHANNEL_LABELS[str(d.channel)] ?? str(d.channel)}</Line>;
    case 'dispatched':
      return (
        <>
          <Line label="主办单位">{ref.unitName(Number(d.leadUnitId))}</Line>
          <Line label="协办单位">{units(ref, d.assistUnitIds)}</Line>
          <Line label="派单依据">{str(d.explanation)}</Line>
          <Line label="签收时限">{d.acceptDue ? fmtDateTime(str(d.acceptDue)) : ''}</Line>
          <Line label="答复时限">{d.replyDue ? fmtDateTime(str(d.replyDue)) : ''}</Line>
        </>
      );
    case 'accepted':
      return <Line label="联系诉求人时限">{d.firstContactDue ? fmtDateTime(str(d.firstContactDue)) : ''}</Line>;
    case 'requester_contacted':
      return (
        <>
          <Line label="方式">{`${CONTACT_METHOD_LABELS[str(d.method) as keyof typeof CONTACT_METHOD_LABELS] ?? str(d.method)}，${d.reached ? '已联系上' : '未联系上'}`}</Line>
          <Line label="情况">{str(d.note)}</Line>
        </>
      );
    case 'progress_reported':
      return <Line label="阶段性情况">{str(d.content)}</Line>;
    case 'assist_submitted':
      return (
        <>
          <Line label="协办单位">{ref.unitName(Number(d.unitId))}</Line>
          <Line label="协办结果">{str(d.result)}</Line>
        </>
      );
    case 'replied':
      return (
        <>
          <Line label="办理结果">{str(d.result)}</Line>
          <Line label="是否解决">{d.solved ? '已解决' : '未解决'}</Line>
          <Line label="解释说明">{str(d.explanation)}</Line>
          <Line label="现场照片">{files}</Line>
          {/* 第十五条: replied without reaching the requester */}
          <Line label="联系情况">
            {d.unreachable && typeof d.unreachable === 'object'
              ? `${str((d.unreachable as Record<string, unknown>).summary)}；${str((d.unreachable as Record<string, unknown>).note)}`
              : ''}
          </Line>
          <Line label="回访时限">{d.callbackDue ? fmtDateTime(str(d.callbackDue)) : ''}</Line>
        </>
      );
    // 第十五条 审核 and 单位内部分办
    case 'handler_assigned':
      return <Line label="承办人">{str(d.handlerName)}</Line>;
    case 'reply_submitted':
      return (
        <>
          <Line label="办理结果">{str(d.result)}</Line>
          <Line label="解释说明">{str(d.explanation)}</Line>
          <Line label="现场照片">{files}</Line>
        </>
      );
    // 第十四条 撤回、改派 before the unit accepted
    case 'dispatch_recalled':
      return <Line label="原主办单位">{ref.unitName(Number(d.oldLeadUnitId))}</Line>;
    case 'reassigned':
      return (
        <>
          <Line label="原主办单位">{ref.unitName(Number(d.oldLeadUnitId))}</Line>
          <Line label="改派至">{ref.unitName(Number(d.leadUnitId))}</Line>
          <Line label="协办单位">{units(ref, d.assistUnitIds)}</Line>
          <Line label="签收时限">{d.acceptDue ? fmtDateTime(str(d.acceptDue)) : ''}</Line>
        </>
      );
    case 'closed':
    case 'rework':
      return (
        <>
          <Line label="满意度">
            {SATISFACTION_LABELS[str(d.satisfaction) as keyof typeof SATISFACTION_LABELS] ?? ''}
          </Line>
          <Line label="诉求是否解决">{d.resolved === true ? '已解决' : d.resolved === false ? '未解决' : ''}</Line>
          <Line label="诉求是否合理">{d.reasonable === true ? '合理' : d.reasonable === false ? '不合理' : ''}</Line>
          <Line label="回访记录">{str(d.note)}</Line>
          {e.kind === 'rework' && (
            <Line label="重办">{`第 ${str(d.round)} 次，时限 ${fmtDateTime(str(d.reworkDue))}`}</Line>
          )}
        </>
      );
    case 'return_applied':
    case 'extension_applied':
    case 'termination_applied':
    case 'dispute_applied':
      return (
        <>
          <Line label="申请理由">{e.reason ?? ''}</Line>
          <Line label="延期天数">{d.requested_days ? `${str(d.requested_days)} 个工作日` : ''}</Line>
          <Line label="阶段性工作情况">{str(d.progress)}</Line>
          <Line label="终止情形">
            {TERMINATION_CASE_LABELS[str(d.termination_case) as keyof typeof TERMINATION_CASE_LABELS] ?? ''}
          </Line>
          <Line label="建议承办单位">{units(ref, d.proposedUnitIds)}</Line>
          <Line label="材料">{materials}</Line>
        </>
      );
    case 'return_approved':
      return (
        <>
          <Line label="处理">{d.redispatched ? `改派至 ${ref.unitName(Number(d.leadUnitId))}` : '退回待派单'}</Line>
          <Line label="协办单位">{units(ref, d.assistUnitIds)}</Line>
          <Line label="审核意见">{e.reason ?? ''}</Line>
        </>
      );
    case 'extension_approved':
      return (
        <>
          <Line label="延期">{`${str(d.days)} 个工作日，答复时限由 ${fmtDateTime(str(d.previousDue))} 延至 ${fmtDateTime(str(d.newDue))}`}</Line>
          <Line label="审核意见">{e.reason ?? ''}</Line>
        </>
      );
    case 'consultation_held':
      return (
        <>
          <Line label="参会单位">{units(ref, d.participantUnitIds)}</Line>
          <Line label="确定承办单位">{ref.unitName(Number(d.decidedUnitId))}</Line>
          <Line label="协办单位">{units(ref, d.assistUnitIds)}</Line>
          <Line label="会商纪要">{str(d.record)}</Line>
        </>
      );
    case 'merged_into':
      return (
        <>
          <Line label="并入工单">{str(d.intoNumber)}</Line>
          <Line label="并单说明">{e.reason ?? ''}</Line>
        </>
      );
    case 'merged_from':
      return (
        <Line label="合并工单">{`${str(d.fromNumber)}${d.requestersAdded ? `，新增诉求人 ${str(d.requestersAdded)} 位` : ''}`}</Line>
      );
    case 'unmerged':
      return (
        <>
          <Line label="原并入工单">{str(d.fromNumber)}</Line>
          <Line label="恢复方式">{d.restored === 'exact' ? '恢复至并单前的状态与时限' : '回到待派单，重新派单'}</Line>
          <Line label="说明">{e.reason ?? ''}</Line>
        </>
      );
    case 'unmerged_from':
      return (
        <Line label="移出工单">{`${str(d.number)}${d.requestersRemoved ? `，移出诉求人 ${str(d.requestersRemoved)} 位` : ''}`}</Line>
      );
    case 'repeat_contact':
      return <Line label="渠道">{CHANNEL_LABELS[str(d.channel)] ?? str(d.channel)}</Line>;
    case 'requester_evaluated':
      return (
        <Line label="评价">
          {`${SATISFACTION_LABELS[str(d.satisfaction) as keyof typeof SATISFACTION_LABELS] ?? ''}（${EVALUATION_VIA_LABELS[str(d.via)] ?? '网上评价'}）`}
        </Line>
      );
    case 'deadline_warned':
    case 'deadline_breached':
      return (
        <Line label={DEADLINE_KIND_LABELS[str(d.deadlineKind)] ?? '时限'}>{`${fmtDateTime(str(d.dueAt))} 到期`}</Line>
      );
    // 二级派单 (第十四至十六条)
    case 'sub_dispatched':
      return (
        <>
          <Line label="下级单位">{ref.unitName(Number(d.unitId))}</Line>
          <Line label="转派要求">{e.reason ?? ''}</Line>
          <Line label="下级办理时限">{fmtDateTime(str(d.dueAt))}</Line>
        </>
      );
    case 'sub_replied':
      return (
        <>
          <Line label="下级答复">{str(d.result)}</Line>
          <Line label="解释说明">{str(d.explanation)}</Line>
          {d.late === true && <Line label="时限">逾期答复</Line>}
        </>
      );
    case 'sub_extension_applied':
      return (
        <>
          <Line label="延期天数">{`${str(d.days)} 个工作日`}</Line>
          <Line label="延期理由">{e.reason ?? ''}</Line>
          <Line label="阶段性办理情况">{str(d.progress)}</Line>
        </>
      );
    case 'sub_extension_approved':
      return (
        <>
          <Line label="新的下级办理时限">{fmtDateTime(str(d.newDue))}</Line>
          <Line label="审核意见">{e.reason ?? ''}</Line>
        </>
      );
    default:
      return <Line label="说明">{e.reason ?? ''}</Line>;
  }
}

export function EventTimeline({ events }: { events: TicketEvent[] }) {
  const ref = useReference();
  if (!events.length) return <Empty description="暂无处理记录" />;
  return (
    <Timeline
      style={{ paddingTop: 8 }}
      items={events.map((e) => ({
        color: COLORS[e.kind] ?? (e.kind.endsWith('_rejected') ? 'red' : 'blue'),
        children: (
          <div data-event-kind={e.kind}>
            <div>
              <Typography.Text strong>{eventLabel(e.kind)}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {fmtDateTime(e.at)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {e.actorName
                  ? `${e.actorName}${e.actorUnitName ? `（${e.actorUnitName}）` : ''}`
                  : e.actorUnitName
                    ? `系统 · ${e.actorUnitName}`
                    : '系统'}
              </Typography.Text>
              {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus && (
                <Typography.Text
                  type="secondary"
                  style={{ marginLeft: 8 }}
                >{`${STATUS_LABELS[e.fromStatus]} → ${STATUS_LABELS[e.toStatus]}`}</Typography.Text>
              )}
            </div>
            {details(e, ref)}
            {['dispatch_recalled', 'reassigned'].includes(e.kind) && e.reason && (
              <Line label={e.kind === 'reassigned' ? '改派理由' : '撤回理由'}>{e.reason}</Line>
            )}
            {['reply_signed_off', 'reply_returned'].includes(e.kind) && e.reason && (
              <Line label={e.kind === 'reply_returned' ? '退回理由' : '审核意见'}>{e.reason}</Line>
            )}
            {[
              'dispatched',
              'return_rejected',
              'extension_rejected',
              'termination_rejected',
              'dispute_rejected',
            ].includes(e.kind) &&
              e.reason && <Line label={e.kind === 'dispatched' ? '派单说明' : '审核意见'}>{e.reason}</Line>}
          </div>
        ),
      }))}
    />
  );
}
