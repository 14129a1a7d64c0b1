import { Button, Card, Descriptions, Input, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { CloseOutlined, EyeOutlined } from '@ant-design/icons';
import { api } from '../../../api/endpoints';
import { RevealDialog } from '../../../components/RevealDialog';
import type { ContactPersonalData, ScreenPop } from '../../../api/contact-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { fmtDateTime } from '../../../lib/format';
import { CHANNEL_LABELS } from '../../../lib/labels';
import { AttachmentList } from '../../../components/AttachmentList';

/** A WeChat picture, voice or video is fetched from WeChat by the scheduler after the message arrives (第九条). */
const WECHAT_MEDIA: Record<string, string> = {
  not_fetched: '正在从微信获取图片/语音/视频，稍后刷新即可查看',
  fetching: '正在从微信获取图片/语音/视频，稍后刷新即可查看',
  unavailable: '未能从微信获取',
};

const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/**
 * The contact being handled. A call from the telephone system has no text yet: the agent writes what the caller
 * says into 通话记录, which is sent with the disposition and becomes the contact's text (and the ticket's, on 派单).
 */
export function CurrentContact({
  pop,
  error,
  onRetry,
  notes,
  setNotes,
  address,
  onClose,
}: {
  pop: ScreenPop | null;
  error: string | null;
  onRetry: () => void;
  notes: string;
  setNotes: (v: string) => void;
  address?: string;
  onClose: () => void;
}) {
  const c = pop?.contact;
  const meta = c?.meta ?? {};
  const [revealing, setRevealing] = useState(false);
  const [clear, setClear] = useState<ContactPersonalData | null>(null);
  // a revealed value belongs to the contact it was revealed for
  useEffect(() => setClear(null), [c?.id]);
  return (
    <Card
      size="small"
      data-testid="current-contact"
      title={
        c ? (
          <span>
            正在处理 · <Tag color="blue">{CHANNEL_LABELS[c.channel] ?? c.channel}</Tag>来电来信 #{c.id}
          </span>
        ) : (
          '正在处理'
        )
      }
      extra={
        <Button size="small" type="text" icon={<CloseOutlined />} onClick={onClose}>
          放回待处理
        </Button>
      }
      style={{ marginBottom: 12 }}
    >
      <ErrorAlert message={error} onRetry={onRetry} />
      {!c ? (
        !error && <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label="时间">{fmtDateTime(c.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label="诉求人" contentStyle={{ whiteSpace: 'nowrap' }}>
            <span data-testid="contact-requester">
              {clear && pop.requester
                ? [clear.name, clear.phone].filter(Boolean).join(' · ') || '已登记'
                : pop.requester
                  ? [pop.requester.name, pop.requester.phone].filter(Boolean).join(' · ') || '已登记'
                  : '匿名'}
            </span>
            {clear ? (
              <Typography.Text type="warning" style={{ fontSize: 12, marginLeft: 4 }}>
                （明文，已审计）
              </Typography.Text>
            ) : (
              (pop.requester || c.textMasked || str(meta.address)) && (
                <Button
                  size="small"
                  type="link"
                  icon={<EyeOutlined />}
                  onClick={() => setRevealing(true)}
                  data-testid="contact-reveal"
                >
                  显示
                </Button>
              )
            )}
          </Descriptions.Item>
          {(address || clear?.address || str(meta.address)) && (
            <Descriptions.Item label="地址" span={2}>
              {address || clear?.address || str(meta.address)}
            </Descriptions.Item>
          )}
          {str(meta.region) && (
            // issue 14: the county or town the citizen picked on the portal (the ticket form starts from it)
            <Descriptions.Item label="留言人所选区域" span={2}>
              <span data-testid="contact-picked-region">{str(meta.region)}</span>
            </Descriptions.Item>
          )}
          {str(meta.category) && (
            // issue 14: the staff category the citizen picked on the portal (a hint; the agent classifies)
            <Descriptions.Item label="留言人所选类别" span={2}>
              <span data-testid="contact-picked-category">{str(meta.category)}</span>
            </Descriptions.Item>
          )}
          {str(meta.callee) && (
            <Descriptions.Item label="呼入号码" span={2}>
              {str(meta.callee)}
              {/* a person's name, never a login id (older calls recorded only the login: nothing shown then) */}
              {str(meta.answeredByName) ? `，${str(meta.answeredByName)} 接听` : ''}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="诉求内容" span={2}>
            {c.content.trim() ? (
              <>
                <div className="pre-wrap" data-testid="contact-content">
                  {clear?.originalMessage ?? c.content}
                </div>
                {c.textMasked && !clear?.originalMessage && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    内容中的电话、证件号、银行卡号、姓名和门牌号已隐藏（第六条），点击诉求人旁的“显示”查看原文（记入审计）。
                  </Typography.Text>
                )}
              </>
            ) : (
              <Input.TextArea
                autoFocus
                rows={3}
                value={notes}
                onChange={(e) => setNotes(e.target.value)}
                aria-label="通话记录"
                placeholder="通话记录：来电人反映的情况（派单时作为诉求内容）"
              />
            )}
          </Descriptions.Item>
          {c.attachments.length > 0 && (
            <Descriptions.Item label={`附件（${c.attachments.length}）`} span={2}>
              <AttachmentList items={c.attachments} />
            </Descriptions.Item>
          )}
          {WECHAT_MEDIA[str(meta.media) ?? ''] && (
            <Descriptions.Item label="微信素材" span={2}>
              <Typography.Text type={meta.media === 'unavailable' ? 'warning' : 'secondary'} data-testid="wechat-media">
                {WECHAT_MEDIA[str(meta.media) ?? '']}
                {meta.media === 'unavailable' && str(meta.mediaError) ? `：${str(meta.mediaError)}` : ''}
              </Typography.Text>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {c && !c.content.trim() && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          电话来电由话务系统登记，通话内容请记在此处。
        </Typography.Text>
      )}
      {c && (
        <RevealDialog
          title="查看来电来信中的个人信息"
          open={revealing}
          onClose={() => setRevealing(false)}
          reveal={async (purpose) => setClear(await api.contacts.reveal(c.id, purpose))}
          note={c.textMasked && '内容中已隐藏的电话、证件号、银行卡号、姓名和门牌号将一并显示。'}
        />
      )}
    </Card>
  );
}
