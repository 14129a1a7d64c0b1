import { Link } from 'react-router-dom';
import { Button, Card, Descriptions, Result, Typography } from 'antd';
import { SoundOutlined } from '@ant-design/icons';
import type { DispositionResult } from '../../../api/contact-types';
import { DISPOSITION_LABELS } from '../../../lib/dispositions';

/** How the requester gets the phrase, by the contact's channel (issue 14: a web message is not read out to anyone). */
const DELIVERY: Record<string, string> = {
  phone: '请向来电人宣读以下规范用语',
  sms: '以下答复已以短信发送给来信人',
  web: '以下答复显示在留言人凭留言编号查询的页面上，留有手机号的同时以短信发送',
  wechat: '以下答复已通过微信公众号回复留言人',
  weibo: '以下答复已通过微博私信回复留言人',
};

/** What to tell the caller now: the standard phrase (第十二条 规范用语), and for a ticket its number and tracking code. */
export function DispositionResultCard({ result, onNext }: { result: DispositionResult; onNext: () => void }) {
  return (
    <Card size="small" data-testid="disposition-result" data-disposition={result.disposition}>
      <Result
        status="success"
        style={{ padding: '12px 0' }}
        title={`已处置：${DISPOSITION_LABELS[result.disposition]}`}
        subTitle={DELIVERY[result.channel] ?? '以下为对诉求人的规范答复'}
        extra={
          <Button type="primary" autoFocus onClick={onNext}>
            受理下一个（Enter）
          </Button>
        }
      >
        <div style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 16 }}>
          <Typography.Paragraph style={{ fontSize: 18, lineHeight: 1.8, margin: 0 }} data-testid="reply-text">
            <SoundOutlined style={{ color: '#389e0d', marginRight: 8 }} />
            {result.replyText}
          </Typography.Paragraph>
        </div>
        {result.ticketNumber && (
          <Descriptions size="small" column={1} bordered style={{ marginTop: 16 }}>
            <Descriptions.Item label="工单号">
              <Typography.Text strong copyable data-testid="result-ticket-number">
                {result.ticketNumber}
              </Typography.Text>
              {result.ticketId && (
                <Link to={`/tickets/${result.ticketId}`} style={{ marginLeft: 12 }}>
                  查看工单
                </Link>
              )}
            </Descriptions.Item>
            {result.trackingCode && (
              <Descriptions.Item label="查询码">
                <Typography.Text strong copyable data-testid="result-tracking-code">
                  {result.trackingCode}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                  请告知来电人：凭工单号和查询码可在网上查询办理进度
                </Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Result>
    </Card>
  );
}
