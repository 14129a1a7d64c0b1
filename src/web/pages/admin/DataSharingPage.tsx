import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { EVENT_GROUPS, EVENT_GROUP_LABELS, type EventGroup } from '../../../shared/contracts/sharing';
import { sharingApi, type Delivery, type Subscription } from '../../api/sharing';
import { errorMessage } from '../../api/client';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { UnitSelect } from '../../components/Pickers';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { eventLabel } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

const DELIVERY_STATUS: Record<Delivery['status'], { label: string; color: string }> = {
  pending: { label: '待推送', color: 'blue' },
  sending: { label: '推送中', color: 'processing' },
  delivered: { label: '已送达', color: 'green' },
  dead: { label: '死信', color: 'red' },
};

interface NewSubscription {
  unitId: number;
  name: string;
  url: string;
  eventGroups: EventGroup[];
}

/**
 * 数据推送订阅 (第三十条): the units' receiving systems — status, last delivery, failures, dead letters with
 * replay, secret rotation and a test delivery. The admin sees every unit; a unit's manager only their own.
 */
export default function DataSharingPage() {
  const me = useMe();
  const ref = useReference();
  const { message } = App.useApp();
  const isAdmin = hasRole(me, 'admin');
  const list = useAsync(() => sharingApi.subscriptions(), []);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null);
  const [open, setOpen] = useState<Subscription | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (key: string, f: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await f();
      await list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const rows = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="数据推送订阅"
        sub="承办单位的接收系统：工单事件签名推送、失败重试、死信重推（第三十条）"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()} loading={list.loading}>
              刷新
            </Button>
            <ExportMenu
              onExport={(format) =>
                downloadTable(
                  format,
                  '数据推送订阅.csv',
                  [
                    '单位',
                    '名称',
                    '推送地址',
                    '事件类型',
                    '状态',
                    '最近送达',
                    '连续失败',
                    '待推送',
                    '死信',
                    '最近错误',
                  ],
                  rows.map((s) => [
                    s.unitName ?? ref.unitName(s.unitId),
                    s.name,
                    s.url,
                    s.eventGroupLabels.join('、'),
                    s.status === 'active' ? '推送中' : '已暂停',
                    fmtDateTime(s.lastSuccessAt),
                    s.consecutiveFailures,
                    s.pending ?? 0,
                    s.dead ?? 0,
                    s.lastError ?? '',
                  ]),
                )
              }
              disabled={rows.length === 0}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建订阅
            </Button>
          </>
        }
      />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="每条推送以 HMAC-SHA256 签名（X-Hz-Signature），带幂等键（X-Hz-Event-Id），同一工单按顺序送达；失败按指数退避重试，超过次数进入死信，可重新推送。接收方式与报文格式见《数据共享对接说明》。"
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<Subscription>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '尚未登记接收系统' }}
        columns={[
          {
            title: '单位',
            dataIndex: 'unitId',
            width: 150,
            render: (_: number, s) => s.unitName ?? ref.unitName(s.unitId),
          },
          {
            title: '接收系统',
            dataIndex: 'name',
            render: (_: string, s) => (
              <Space direction="vertical" size={2}>
                <Typography.Text strong>{s.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }} copyable>
                  {s.url}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  推送：{s.eventGroupLabels.join('、')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 120,
            render: (_: string, s) =>
              s.status === 'paused' ? (
                <Tag>已暂停</Tag>
              ) : s.consecutiveFailures > 0 ? (
                <Tooltip title={s.lastError}>
                  <Tag color="orange">失败重试中（{s.consecutiveFailures}）</Tag>
                </Tooltip>
              ) : (
                <Tag color="green">正常</Tag>
              ),
          },
          { title: '最近送达', dataIndex: 'lastSuccessAt', width: 140, render: fmtDateTime },
          {
            title: '待推送 / 死信',
            width: 100,
            render: (_: unknown, s) => (
              <span>
                {s.pending ?? 0} / <Typography.Text type={s.dead ? 'danger' : undefined}>{s.dead ?? 0}</Typography.Text>
              </span>
            ),
          },
          {
            title: '操作',
            width: 200,
            render: (_: unknown, s) => (
              <Flex gap={4} wrap>
                <Button size="small" onClick={() => setOpen(s)}>
                  推送记录
                </Button>
                <Button
                  size="small"
                  loading={busy === `test-${s.id}`}
                  onClick={() =>
                    void act(`test-${s.id}`, async () => {
                      const r = await sharingApi.testDelivery(s.id);
                      if (r.ok) message.success(`测试推送成功（接收方返回 ${r.httpStatus}）`);
                      else message.warning(`测试推送失败：${r.error ?? '未知原因'}`);
                    })
                  }
                >
                  测试推送
                </Button>
                <Button
                  size="small"
                  loading={busy === `pause-${s.id}`}
                  onClick={() =>
                    void act(`pause-${s.id}`, () =>
                      sharingApi.updateSubscription(s.id, {
                        status: s.status === 'active' ? 'paused' : 'active',
                        version: s.version,
                      }),
                    )
                  }
                >
                  {s.status === 'active' ? '暂停' : '恢复'}
                </Button>
                <Button
                  size="small"
                  loading={busy === `rotate-${s.id}`}
                  onClick={() =>
                    Modal.confirm({
                      title: '更换签名密钥',
                      content: '新密钥只显示一次。旧密钥在 24 小时内仍同时签名，请在此期间把新密钥配置到接收系统。',
                      okText: '更换',
                      cancelText: '取消',
                      onOk: () =>
                        act(`rotate-${s.id}`, async () => {
                          const r = await sharingApi.rotateSecret(s.id);
                          setSecret({ title: `「${s.name}」的新签名密钥`, secret: r.secret });
                        }),
                    })
                  }
                >
                  更换密钥
                </Button>
              </Flex>
            ),
          },
        ]}
      />
      <FormModal<NewSubscription>
        title="新建数据推送订阅"
        open={creating}
        onClose={() => setCreating(false)}
        okText="登记"
        initialValues={{
          unitId: isAdmin ? undefined : me.unitId,
          eventGroups: ['dispatch', 'accept', 'reply', 'callback'],
        }}
        onSubmit={async (v) => {
          const s = await sharingApi.createSubscription(v);
          setSecret({ title: `「${s.name}」的签名密钥`, secret: s.secret });
          await list.reload();
        }}
      >
        <Form.Item name="unitId" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
          <UnitSelect disabled={!isAdmin} />
        </Form.Item>
        <Form.Item name="name" label="接收系统名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={100} placeholder="如：区政府业务协同平台" />
        </Form.Item>
        <Form.Item
          name="url"
          label="推送地址"
          extra="必须使用 https；开发环境可使用本机地址"
          rules={[{ required: true, message: '请填写推送地址' }]}
        >
          <Input maxLength={2000} placeholder="https://" />
        </Form.Item>
        <Form.Item name="eventGroups" label="推送的事件" rules={[{ required: true, message: '至少选择一类事件' }]}>
          <Checkbox.Group options={EVENT_GROUPS.map((g) => ({ value: g, label: EVENT_GROUP_LABELS[g] }))} />
        </Form.Item>
      </FormModal>
      <Modal
        title={secret?.title}
        open={!!secret}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="我已保存"
      >
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="密钥只显示这一次，关闭后无法再次查看。" />
        <Typography.Paragraph copyable={{ text: secret?.secret }} code data-testid="subscription-secret">
          {secret?.secret}
        </Typography.Paragraph>
      </Modal>
      {open && <DeliveriesDrawer sub={open} onClose={() => setOpen(null)} onChanged={() => void list.reload()} />}
    </>
  );
}

function DeliveriesDrawer({
  sub,
  onClose,
  onChanged,
}: {
  sub: Subscription;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const [status, setStatus] = useState<Delivery['status'] | 'all'>('all');
  // a new status (or another subscription) is a new list: the key's identity changes with either
  const key = `${sub.id}:${status}`;
  const list = useKeysetList(key, (before: number | null) =>
    sharingApi.deliveries(sub.id, {
      status: status === 'all' ? undefined : status,
      ...(before ? { before } : {}),
      limit: 50,
    }),
  );
  const replay = async (f: () => Promise<{ replayed: number }>) => {
    try {
      const r = await f();
      message.success(`已重新排队 ${r.replayed} 条推送`);
      list.reload();
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Drawer title={`推送记录 · ${sub.name}`} open onClose={onClose} width={980}>
      <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="最近尝试">{fmtDateTime(sub.lastAttemptAt)}</Descriptions.Item>
        <Descriptions.Item label="最近送达">{fmtDateTime(sub.lastSuccessAt)}</Descriptions.Item>
        <Descriptions.Item label="退避至">{fmtDateTime(sub.backoffUntil)}</Descriptions.Item>
        <Descriptions.Item label="最近错误" span={3}>
          {sub.lastError ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <Flex justify="space-between" style={{ marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'all', label: '全部' },
            { value: 'pending', label: '待推送' },
            { value: 'delivered', label: '已送达' },
            { value: 'dead', label: '死信' },
          ]}
        />
        <Button danger disabled={!sub.dead} onClick={() => void replay(() => sharingApi.replayDead(sub.id))}>
          死信全部重新推送
        </Button>
      </Flex>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={list.loadingFirst}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: '暂无推送记录' }}
        columns={[
          { title: '事件编号', dataIndex: 'eventId', width: 110 },
          {
            title: '事件',
            dataIndex: 'kind',
            width: 130,
            render: (k: string) => (k === 'ping' ? '测试推送' : eventLabel(k)),
          },
          {
            title: '工单',
            dataIndex: 'ticketNumber',
            width: 170,
            render: (n: string | null, d) => (n ? <Link to={`/tickets/${d.ticketId}`}>{n}</Link> : '—'),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: Delivery['status']) => <Tag color={DELIVERY_STATUS[s].color}>{DELIVERY_STATUS[s].label}</Tag>,
          },
          { title: '尝试', dataIndex: 'attempts', width: 60 },
          {
            title: '时间',
            width: 140,
            render: (_: unknown, d) => fmtDateTime(d.deliveredAt ?? d.deadAt ?? d.nextAttemptAt ?? d.createdAt),
          },
          { title: '最近错误', dataIndex: 'lastError', ellipsis: true, render: (e: string | null) => e ?? '—' },
          {
            title: '',
            width: 90,
            render: (_: unknown, d) =>
              d.status === 'dead' ? (
                <Button size="small" onClick={() => void replay(() => sharingApi.replay(d.id))}>
                  重新推送
                </Button>
              ) : null,
          },
        ]}
      />
      <LoadMore list={list} />
    </Drawer>
  );
}
