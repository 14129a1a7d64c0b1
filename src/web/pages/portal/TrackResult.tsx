import { useEffect, useRef } from 'react';
import { Alert, Card, Collapse, Descriptions, Tag, Timeline, Typography } from 'antd';
import type { MessageTracking, Tracking } from '../../api/contact-types';
import { StatusTag } from '../../components/Tags';
import { fmtDateTime } from '../../lib/format';
import { SATISFACTION_LABELS } from '../../lib/labels';
import { ComplaintForm, EvaluateForm } from './FeedbackForms';

/** What the public may know about a ticket: status, steps, the handling unit and the reply — never staff or personal data. */
export function TrackResult({
  data,
  trackingKey,
  onChanged,
}: {
  data: Tracking;
  trackingKey: { number: string; code: string };
  onChanged: () => void;
}) {
  const top = useRef<HTMLDivElement>(null);
  // On a phone the answer is below the form: bring it into view when a ticket is found.
  useEffect(() => top.current?.scrollIntoView({ block: 'start' }), [data.number]);
  return (
    <Card
      ref={top}
      data-testid="tracking-result"
      data-status={data.status}
      title={<span style={{ whiteSpace: 'normal' }}>{data.title}</span>}
    >
      {data.mergedFrom && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`您的工单 ${data.mergedFrom} 与相同诉求合并办理，以下为合并后工单的进度`}
        />
      )}
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        {data.reference && <Descriptions.Item label="留言编号">{data.reference}</Descriptions.Item>}
        <Descriptions.Item label="工单号">{data.number}</Descriptions.Item>
        <Descriptions.Item label="办理状态">
          <StatusTag status={data.status} />
        </Descriptions.Item>
        <Descriptions.Item label="受理时间">{fmtDateTime(data.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="承办单位">
          <span data-testid="tracking-unit">{data.handlingUnit ?? '待确定'}</span>
        </Descriptions.Item>
        {data.nextStep && (
          // issue 14: when the requester can expect the next step (the legal time limit of 第十四至十七条)
          <Descriptions.Item label="下一步">
            <span data-testid="tracking-next-step">
              {data.nextStep.label}，应于 {fmtDateTime(data.nextStep.dueAt)} 前完成
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5}>办理过程</Typography.Title>
      <Timeline
        items={data.timeline.map((t) => ({
          children: (
            <div>
              <div>{t.label}</div>
              <Typography.Text type="secondary" style={{ fontSize: '1em' }}>
                {fmtDateTime(t.at)}
              </Typography.Text>
            </div>
          ),
        }))}
      />
      {data.reply && (
        <div
          data-testid="portal-reply"
          style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 12, marginBottom: 16 }}
        >
          <Typography.Text strong>办理结果</Typography.Text>
          <Typography.Paragraph className="pre-wrap" style={{ margin: '4px 0' }}>
            {data.reply.result}
          </Typography.Paragraph>
          {data.reply.explanation && (
            <Typography.Paragraph className="pre-wrap" type="secondary" style={{ margin: 0 }}>
              说明：{data.reply.explanation}
            </Typography.Paragraph>
          )}
          {data.reply.at && (
            <Typography.Text type="secondary" style={{ fontSize: '1em' }}>
              答复时间 {fmtDateTime(data.reply.at)}
            </Typography.Text>
          )}
        </div>
      )}
      {data.evaluation ? (
        <Alert
          type="success"
          showIcon
          data-testid="portal-evaluation"
          style={{ marginBottom: 16 }}
          message={
            <span>
              您的评价：<Tag color="green">{SATISFACTION_LABELS[data.evaluation.satisfaction]}</Tag>
            </span>
          }
          description={
            <>
              {data.evaluation.comment && <div className="pre-wrap">{data.evaluation.comment}</div>}
              <Typography.Text type="secondary" style={{ fontSize: '1em' }}>
                评价时间 {fmtDateTime(data.evaluation.at)}
              </Typography.Text>
            </>
          }
        />
      ) : data.canEvaluate ? (
        <EvaluateForm trackingKey={trackingKey} onDone={onChanged} />
      ) : (
        <Typography.Paragraph type="secondary">承办单位答复后，您可以在这里评价办理结果。</Typography.Paragraph>
      )}
      <Collapse
        size="small"
        items={[{ key: 'complaint', label: '投诉工作人员', children: <ComplaintForm trackingKey={trackingKey} /> }]}
      />
    </Card>
  );
}

/** A portal message that is not a ticket (yet): where it stands, and the answer if an agent answered it directly. */
export function MessageTrackResult({ data }: { data: MessageTracking }) {
  return (
    <Card data-testid="tracking-result" data-status="message" title={`网上留言 ${data.reference}`}>
      {data.emergencyLine && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          message={`如情况紧急，请立即拨打 ${data.emergencyLine}`}
          description="网上留言由话务员按顺序处理，不能代替报警和急救。"
        />
      )}
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="留言编号">{data.reference}</Descriptions.Item>
        <Descriptions.Item label="提交时间">{fmtDateTime(data.stage.receivedAt)}</Descriptions.Item>
        <Descriptions.Item label="处理情况">
          <span data-testid="tracking-stage">{data.stage.label}</span>
        </Descriptions.Item>
        {data.stage.handledAt && (
          <Descriptions.Item label="处理时间">{fmtDateTime(data.stage.handledAt)}</Descriptions.Item>
        )}
      </Descriptions>
      {data.answer ? (
        <div
          data-testid="portal-reply"
          style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 12 }}
        >
          <Typography.Text strong>答复</Typography.Text>
          <Typography.Paragraph className="pre-wrap" style={{ margin: '4px 0 0' }}>
            {data.answer.text}
          </Typography.Paragraph>
        </div>
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          话务员受理后，能当场答复的直接在此答复；需要有关单位办理的将形成工单，届时仍可凭本留言编号和查询码查看办理进度。
        </Typography.Paragraph>
      )}
    </Card>
  );
}
