import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Form, Input, List, Radio, Tag, Typography } from 'antd';
import { SearchOutlined, WarningOutlined } from '@ant-design/icons';
import { api } from '../../../api/endpoints';
import type { FlagKind, ScreenPop } from '../../../api/contact-types';
import { FormModal } from '../../../components/FormModal';
import { DISPOSITION_LABELS, FLAG_KIND_LABELS } from '../../../lib/dispositions';
import { fmtDate, fmtDateTime } from '../../../lib/format';
import { CHANNEL_LABELS } from '../../../lib/labels';

/**
 * 第十条: the requester's earlier tickets (searchable) and contacts, and any flags — which are information only:
 * nothing here blocks a disposition or an emergency transfer (第十一条).
 */
export function HistoryPanel({ pop, onFlagged }: { pop: ScreenPop; onFlagged: () => void }) {
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [flagOpen, setFlagOpen] = useState(false);
  const r = pop.requester;
  if (!r)
    return (
      <Card size="small" title="诉求人历史">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="匿名来电，无历史记录" />
      </Card>
    );
  const tickets = pop.history.tickets.filter(
    (t) => !q.trim() || t.number.includes(q.trim().toUpperCase()) || t.title.includes(q.trim()),
  );
  return (
    <Card
      size="small"
      title={`诉求人历史 · ${[r.name, r.phone].filter(Boolean).join(' ') || '已登记'}`}
      data-testid="requester-history"
      extra={
        <Button size="small" type="text" icon={<WarningOutlined />} onClick={() => setFlagOpen(true)}>
          记录骚扰
        </Button>
      }
    >
      {pop.flags.length > 0 && (
        <Alert
          type="warning"
          style={{ marginBottom: 8, padding: '6px 10px' }}
          data-testid="requester-flags"
          message={
            <div style={{ fontSize: 13 }}>
              <div>标记 {pop.flags.length} 条（仅供参考，不影响受理和紧急转接）</div>
              {pop.flags.map((f) => (
                <div key={f.id} style={{ color: 'rgba(0,0,0,0.65)' }}>
                  · {FLAG_KIND_LABELS[f.kind]}：{f.detail}（{fmtDate(f.created_at)}）
                </div>
              ))}
            </div>
          }
        />
      )}
      <Typography.Text strong>历史工单（{pop.history.tickets.length}）</Typography.Text>
      {pop.history.tickets.length > 3 && (
        <Input
          size="small"
          allowClear
          prefix={<SearchOutlined />}
          placeholder="按工单号或标题查找"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ margin: '4px 0' }}
          aria-label="查找历史工单"
        />
      )}
      <List
        size="small"
        dataSource={tickets}
        locale={{ emptyText: '无' }}
        renderItem={(t) => (
          <List.Item style={{ padding: '4px 0', display: 'block' }} data-ticket-number={t.number}>
            <Link to={`/tickets/${t.id}`} target="_blank">
              {t.number}
            </Link>{' '}
            <Tag>{t.statusLabel}</Tag>
            <div style={{ fontSize: 13 }}>{t.title}</div>
          </List.Item>
        )}
      />
      <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>
        历史来电来信（{pop.history.contacts.length}）
      </Typography.Text>
      <List
        size="small"
        dataSource={pop.history.contacts}
        locale={{ emptyText: '无' }}
        renderItem={(c) => (
          <List.Item style={{ padding: '4px 0', display: 'block' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fmtDateTime(c.receivedAt)} · {CHANNEL_LABELS[c.channel] ?? c.channel} ·{' '}
              {c.surveyAnswer ? '回访评价' : c.disposition ? DISPOSITION_LABELS[c.disposition] : '待处理'}
            </Typography.Text>
            <Typography.Paragraph ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 13 }}>
              {c.content || '（电话来电）'}
            </Typography.Paragraph>
          </List.Item>
        )}
      />
      <FormModal<{ kind: FlagKind; detail: string }>
        title="记录诉求人不当行为（第十一条）"
        open={flagOpen}
        onClose={() => setFlagOpen(false)}
        initialValues={{ kind: 'harassment' }}
        onSubmit={async (v) => {
          await api.requesters.flag(r.id, { kind: v.kind, detail: v.detail.trim(), contactId: pop.contact.id });
          message.success('已记录，待管理员审核');
          onFlagged();
        }}
      >
        <Form.Item name="kind" label="类型">
          <Radio.Group options={Object.entries(FLAG_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item
          name="detail"
          label="具体情况"
          rules={[
            { required: true, whitespace: true, message: '请填写具体情况' },
            { max: 2000, message: '不能超过 2000 字' },
          ]}
        >
          <Input.TextArea rows={4} autoFocus placeholder="如：来电人辱骂话务员并威胁" />
        </Form.Item>
        <Typography.Text type="secondary">
          标记只供审核，不影响本次受理；经管理员审核确认后才会向诉求人发出警告（第三十四条）。
        </Typography.Text>
      </FormModal>
    </Card>
  );
}
