import { Link } from 'react-router-dom';
import { Card, Descriptions, Flex, Space, Typography } from 'antd';
import type { TicketView } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { CHANNEL_LABELS, REQUEST_TYPE_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { StatusTag, UrgencyTag } from '../Tags';
import { RequesterInfo } from './RequesterInfo';
import { AttachmentList } from '../AttachmentList';
import { ProposeKnowledgeButton } from '../knowledge/ProposeKnowledgeButton';

/** Who asked what, where, and where the ticket stands. */
export function TicketInfo({ ticket }: { ticket: TicketView }) {
  const ref = useReference();
  const t = ticket;
  const lead = t.assignments.find((a) => a.role === 'lead' && a.status !== 'ended');
  const assists = t.assignments.filter((a) => a.role === 'assist' && a.status !== 'ended');
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <span data-testid="ticket-number">{t.number}</span>
          <StatusTag status={t.status} />
          <UrgencyTag urgency={t.urgency} />
        </Flex>
      }
    >
      <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="ticket-title">
        {t.title}
      </Typography.Title>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="诉求类型">{REQUEST_TYPE_LABELS[t.requestType]}</Descriptions.Item>
        <Descriptions.Item label="事项分类">{ref.categoryPath(t.categoryId)}</Descriptions.Item>
        <Descriptions.Item label="受理渠道">{CHANNEL_LABELS[t.channel] ?? t.channel}</Descriptions.Item>
        <Descriptions.Item label="行政区划">{ref.regionPath(t.regionCode)}</Descriptions.Item>
        <Descriptions.Item label="地址">{t.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="受理时间">{fmtDateTime(t.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="诉求人" span={2}>
          <RequesterInfo ticket={t} />
        </Descriptions.Item>
        <Descriptions.Item label="诉求内容" span={2}>
          <div className="pre-wrap">{t.content}</div>
          {t.textMasked && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="text-masked">
              内容中的电话、证件号、银行卡号、姓名和门牌号已隐藏（第六条）；需要时在“诉求人”处点击“显示”查看原文，查看将记入审计。
            </Typography.Text>
          )}
        </Descriptions.Item>
        {t.attachments.length > 0 && (
          <Descriptions.Item label={`附件（${t.attachments.length}）`} span={2}>
            <AttachmentList items={t.attachments} />
          </Descriptions.Item>
        )}
        {lead && <Descriptions.Item label="主办单位">{lead.unitName}</Descriptions.Item>}
        {lead && (
          <Descriptions.Item label="协办单位" span={1}>
            {assists.length ? assists.map((a) => a.unitName).join('、') : '—'}
          </Descriptions.Item>
        )}
        {(t.extensionDays > 0 || t.reworkCount > 0) && (
          <Descriptions.Item label="延期 / 重办" span={2}>
            <Space>
              {t.extensionDays > 0 && <span>已延期 {t.extensionDays} 个工作日</span>}
              {t.reworkCount > 0 && <span>已重办 {t.reworkCount} 次</span>}
            </Space>
          </Descriptions.Item>
        )}
        {t.mergedIntoId && (
          <Descriptions.Item label="并单" span={2}>
            <span data-testid="merged-into">
              已并入其他工单办理，<Link to={`/tickets/${t.mergedIntoId}`}>查看该工单</Link>
            </span>
          </Descriptions.Item>
        )}
        {t.reply && (
          <Descriptions.Item label="答复" span={2}>
            <div className="pre-wrap" data-testid="ticket-reply">
              {t.reply.result}
            </div>
            {t.reply.explanation && (
              <div className="pre-wrap">
                <Typography.Text type="secondary">解释说明：</Typography.Text>
                {t.reply.explanation}
              </div>
            )}
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtDateTime(t.repliedAt)}
              </Typography.Text>
              <ProposeKnowledgeButton ticket={t} />
            </Flex>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
