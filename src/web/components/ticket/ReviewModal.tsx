import { Descriptions, Form, Input, Radio, Tabs, Typography } from 'antd';
import { api } from '../../api/endpoints';
import { consultationBody } from '../../../shared/contracts/tickets';
import type { PendingApplication, TicketApplication } from '../../api/types';
import { APPLICATION_KIND_LABELS, TERMINATION_CASE_LABELS } from '../../lib/labels';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { zodRule } from '../../lib/zodRule';
import { FormModal } from '../FormModal';
import { UnitSelect } from '../Pickers';
import { useState } from 'react';
import { WorkFileLinks } from '../WorkFileLinks';

/**
 * What the reviewer needs to see of an application, from the queue (a PendingApplication is one) or from the
 * ticket view (its application with the ticket's number and title).
 */
export type ReviewTarget = Pick<
  TicketApplication,
  'id' | 'kind' | 'unitId' | 'reason' | 'materials' | 'requestedDays' | 'progress' | 'terminationCase' | 'createdAt'
> &
  Pick<PendingApplication, 'ticketNumber' | 'ticketTitle'> & {
    /** a dispute's proposed handling units, when known */ proposedUnitIds?: number[] | null;
  };

function Summary({ a }: { a: ReviewTarget }) {
  const ref = useReference();
  return (
    <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
      <Descriptions.Item label="工单">
        {a.ticketNumber} {a.ticketTitle}
      </Descriptions.Item>
      <Descriptions.Item label="申请单位">
        {ref.unitName(a.unitId)}（{fmtDateTime(a.createdAt)}）
      </Descriptions.Item>
      <Descriptions.Item label="理由">
        <span className="pre-wrap">{a.reason}</span>
      </Descriptions.Item>
      {a.requestedDays ? <Descriptions.Item label="申请延期">{a.requestedDays} 个工作日</Descriptions.Item> : null}
      {a.progress ? (
        <Descriptions.Item label="阶段性情况">
          <span className="pre-wrap">{a.progress}</span>
        </Descriptions.Item>
      ) : null}
      {a.proposedUnitIds?.length ? (
        <Descriptions.Item label="建议承办单位">
          {a.proposedUnitIds.map((u) => ref.unitName(u)).join('、')}
        </Descriptions.Item>
      ) : null}
      {a.terminationCase ? (
        <Descriptions.Item label="终止情形">{TERMINATION_CASE_LABELS[a.terminationCase]}</Descriptions.Item>
      ) : null}
      <Descriptions.Item label="材料">
        {a.materials.length ? (
          <WorkFileLinks items={a.materials} />
        ) : (
          <Typography.Text type="secondary">无</Typography.Text>
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

interface ReviewValues {
  decision: 'approve' | 'reject';
  note?: string;
  newLeadUnitId?: number;
  assistUnitIds?: number[];
}
interface ConsultValues {
  participantUnitIds: number[];
  record: string;
  decidedUnitId: number;
  assistUnitIds?: number[];
}

/** Approve or reject an application; for a duty dispute, reject it or hold the consultation (会商). */
export function ReviewModal({
  target,
  onClose,
  onDone,
}: {
  target: ReviewTarget | null;
  onClose: () => void;
  onDone: (msg: string) => void;
}) {
  const [mode, setMode] = useState<'review' | 'consult'>('review');
  const a = target;
  const isDispute = a?.kind === 'dispute';
  const title = a ? `审核${APPLICATION_KIND_LABELS[a.kind]}` : '';

  if (a && isDispute) {
    return (
      <FormModal<ReviewValues & ConsultValues>
        title={title}
        open
        width={680}
        onClose={() => {
          setMode('review');
          onClose();
        }}
        okText={mode === 'consult' ? '保存会商结果并派单' : '驳回争议'}
        danger={mode === 'review'}
        // the applicant and the units it proposed are the natural participants of the consultation
        initialValues={{
          decision: 'reject',
          participantUnitIds: [...new Set([a.unitId, ...(a.proposedUnitIds ?? [])])],
          decidedUnitId: undefined,
        }}
        onSubmit={async (v) => {
          if (mode === 'consult') {
            const t = await api.applications.consultation(a.id, {
              participantUnitIds: v.participantUnitIds,
              record: v.record.trim(),
              decidedUnitId: v.decidedUnitId,
              assistUnitIds: v.assistUnitIds ?? [],
            });
            onDone(`会商已完成，工单 ${t.number} 已派至确定的承办单位`);
          } else {
            await api.applications.review(a.id, { decision: 'reject', note: v.note?.trim() || undefined });
            onDone('已驳回职责争议');
          }
          setMode('review');
        }}
      >
        <Summary a={a} />
        <Tabs
          activeKey={mode}
          onChange={(k) => setMode(k as 'review' | 'consult')}
          items={[
            {
              key: 'review',
              label: '驳回争议',
              children: mode === 'review' && (
                <Form.Item name="note" label="驳回理由" rules={[{ max: 2000, message: '不能超过 2000 字' }]}>
                  <Input.TextArea rows={3} />
                </Form.Item>
              ),
            },
            {
              key: 'consult',
              label: '组织会商',
              children: mode === 'consult' && (
                <>
                  <Form.Item
                    name="participantUnitIds"
                    label="参会单位"
                    rules={[
                      { required: true, message: '请选择参会单位' },
                      zodRule(consultationBody.shape.participantUnitIds),
                    ]}
                  >
                    <UnitSelect multiple placeholder="至少两个单位" />
                  </Form.Item>
                  <Form.Item
                    name="record"
                    label="会商纪要"
                    rules={[
                      { required: true, whitespace: true, message: '请填写会商纪要' },
                      zodRule(consultationBody.shape.record),
                    ]}
                  >
                    <Input.TextArea rows={4} />
                  </Form.Item>
                  <Form.Item noStyle dependencies={['participantUnitIds']}>
                    {({ getFieldValue }) => (
                      <Form.Item
                        name="decidedUnitId"
                        label="确定的承办单位"
                        rules={[{ required: true, message: '请选择会商确定的承办单位' }]}
                      >
                        <UnitSelect
                          only={(getFieldValue('participantUnitIds') as number[] | undefined) ?? []}
                          placeholder="从参会单位中选择"
                        />
                      </Form.Item>
                    )}
                  </Form.Item>
                  <Form.Item name="assistUnitIds" label="协办单位">
                    <UnitSelect multiple placeholder="可选" />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
      </FormModal>
    );
  }

  return (
    <FormModal<ReviewValues>
      title={title}
      open={!!a}
      width={640}
      onClose={onClose}
      okText="提交审核意见"
      initialValues={{ decision: 'approve' }}
      onSubmit={async (v) => {
        if (!a) return;
        const body = {
          decision: v.decision,
          note: v.note?.trim() || undefined,
          ...(a.kind === 'return' && v.decision === 'approve' && v.newLeadUnitId
            ? { newLeadUnitId: v.newLeadUnitId, assistUnitIds: v.assistUnitIds ?? [] }
            : {}),
        };
        const t = await api.applications.review(a.id, body);
        onDone(
          v.decision === 'reject'
            ? '已驳回申请'
            : a.kind === 'return'
              ? body.newLeadUnitId
                ? `已同意退单，工单 ${t.number} 已改派`
                : `已同意退单，工单 ${t.number} 回到待派单队列`
              : '已同意申请',
        );
      }}
    >
      {a && <Summary a={a} />}
      <Form.Item name="decision" label="审核结果">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: 'approve', label: '同意' },
            { value: 'reject', label: '驳回' },
          ]}
        />
      </Form.Item>
      {a?.kind === 'return' && (
        <Form.Item noStyle dependencies={['decision']}>
          {({ getFieldValue }) =>
            getFieldValue('decision') === 'approve' && (
              <>
                <Form.Item name="newLeadUnitId" label="改派主办单位" extra="不选则工单回到待派单队列，由派单员重新派单">
                  <UnitSelect exclude={[a.unitId]} placeholder="可选：直接改派的单位" />
                </Form.Item>
                <Form.Item noStyle dependencies={['newLeadUnitId']}>
                  {({ getFieldValue: g }) =>
                    (g('newLeadUnitId') as number | undefined) && (
                      <Form.Item name="assistUnitIds" label="协办单位">
                        <UnitSelect multiple exclude={[g('newLeadUnitId') as number]} placeholder="可选" />
                      </Form.Item>
                    )
                  }
                </Form.Item>
              </>
            )
          }
        </Form.Item>
      )}
      <Form.Item name="note" label="审核意见" rules={[{ max: 2000, message: '审核意见不能超过 2000 字' }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormModal>
  );
}
