import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Progress,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { piiKeysApi, type KeyVersionAdvice, type Rotation, type RotationTableView } from '../../api/pii-keys';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

const STATUS_COLOR: Record<Rotation['status'], string> = { running: 'processing', completed: 'green', failed: 'red' };
/** While a rotation runs the screen follows it. */
const POLL_MS = 3_000;

const num = (n: number) => n.toLocaleString('zh-CN');

/**
 * 个人信息密钥 (第六条): the key versions this installation runs with, which old ones may be removed, the running or
 * last rotation with a progress bar per table, and its history. Starting a rotation is confirmed and audited.
 */
export default function PiiKeysPage() {
  const { message } = App.useApp();
  const status = useAsync(() => piiKeysApi.status(), []);
  const [starting, setStarting] = useState(false);
  const s = status.data;
  const running = !!s?.running;
  const { reload } = status;

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(t);
  }, [running, reload]);

  const start = async () => {
    setStarting(true);
    try {
      const r = await piiKeysApi.startRotation();
      message.success(`已开始轮换：以密钥版本 ${r.targetVersion} 重新加密全部个人信息，后台分批进行`);
      await reload();
    } catch (e) {
      message.error(errorMessage(e));
      await reload();
    } finally {
      setStarting(false);
    }
  };

  const shown = s?.running ?? s?.history[0] ?? null;
  return (
    <>
      <PageHeader
        title="个人信息密钥"
        sub="姓名、电话、地址等个人信息加密存储（第六条）；更换密钥后以新密钥重新加密全部数据"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={status.loading}>
              刷新
            </Button>
            <Popconfirm
              title={`以当前密钥（版本 ${s?.currentVersion ?? '…'}）重新加密全部个人信息？`}
              description={
                <div style={{ maxWidth: 360 }}>
                  轮换在后台分批进行，每批为一个短事务，不影响受理和办理；中断后自动从断点继续。此操作记入审计。
                </div>
              }
              okText="开始轮换"
              cancelText="取消"
              onConfirm={start}
              disabled={!s?.canStart}
            >
              <Button type="primary" icon={<SyncOutlined />} loading={starting} disabled={!s?.canStart}>
                开始轮换
              </Button>
            </Popconfirm>
          </>
        }
      />
      <ErrorAlert message={status.errorText} onRetry={() => void reload()} />
      {s && s.missingVersions.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`数据仍依赖未配置的密钥版本：${s.missingVersions.join('、')}`}
          description="下表所列数据（如工单查询码）在重新配置该版本（PII_KEYS_PREVIOUS）之前无法验证或读取。"
        />
      )}
      {s?.runningOtherVersion && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`正在进行的轮换目标为版本 ${s.running?.targetVersion}，与本服务的当前密钥版本 ${s.currentVersion} 不一致`}
          description="请确认所有服务进程已按同一组密钥配置（PII_KEY、PII_KEY_VERSION、PII_KEYS_PREVIOUS）重启。"
        />
      )}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="更换密钥的步骤"
        description={
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            <li>生成新密钥（32 字节，Base64），妥善保存；</li>
            <li>
              设置 PII_KEY=新密钥、PII_KEY_VERSION=当前版本+1、PII_KEYS_PREVIOUS=旧版本:旧密钥，重启所有服务进程；
            </li>
            <li>在本页开始轮换，等待完成；</li>
            <li>按「密钥版本」表的提示，从 PII_KEYS_PREVIOUS 中移除可移除的旧版本并重启。</li>
          </ol>
        }
      />
      <Card title="密钥版本" size="small" style={{ marginBottom: 16 }} loading={!s && status.loading}>
        <Table<KeyVersionAdvice>
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={s?.keys ?? []}
          columns={[
            { title: '版本', dataIndex: 'version', width: 70 },
            {
              title: '用途',
              dataIndex: 'role',
              width: 110,
              render: (r: KeyVersionAdvice['role']) =>
                r === 'current' ? <Tag color="blue">当前密钥</Tag> : <Tag>旧密钥（仅读取）</Tag>,
            },
            {
              title: '可否移除',
              key: 'removable',
              width: 100,
              render: (_: unknown, k: KeyVersionAdvice) =>
                k.role === 'current' ? (
                  '—'
                ) : k.removable ? (
                  <Tag color="green">可移除</Tag>
                ) : (
                  <Tag color="orange">须保留</Tag>
                ),
            },
            { title: '说明', dataIndex: 'reason' },
          ]}
        />
      </Card>
      <Card
        title={shown ? `密钥轮换 #${shown.id}（目标版本 ${shown.targetVersion}）` : '密钥轮换'}
        size="small"
        style={{ marginBottom: 16 }}
        extra={shown && <Tag color={STATUS_COLOR[shown.status]}>{shown.statusLabel}</Tag>}
      >
        {shown ? <RotationDetail r={shown} /> : <Empty description="尚未进行过密钥轮换" />}
      </Card>
      <Card title="轮换历史" size="small">
        <Table<Rotation>
          rowKey="id"
          size="small"
          dataSource={s?.history ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: '尚无记录' }}
          columns={[
            { title: '编号', dataIndex: 'id', width: 70 },
            { title: '目标版本', dataIndex: 'targetVersion', width: 90 },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (_: unknown, r: Rotation) => <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>,
            },
            { title: '开始时间', dataIndex: 'startedAt', width: 150, render: fmtDateTime },
            { title: '结束时间', dataIndex: 'finishedAt', width: 150, render: fmtDateTime },
            { title: '开始人', key: 'by', width: 110, render: (_: unknown, r: Rotation) => r.startedBy?.name ?? '—' },
            {
              title: '重新加密行数',
              dataIndex: 'rowsReencrypted',
              width: 120,
              align: 'right',
              render: (n: number) => num(n),
            },
            { title: '说明', dataIndex: 'error', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
    </>
  );
}

function RotationDetail({ r }: { r: Rotation }) {
  return (
    <>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="开始时间">{fmtDateTime(r.startedAt)}</Descriptions.Item>
        <Descriptions.Item label="开始人">{r.startedBy?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={r.finishedAt ? '结束时间' : '最近一批'}>
          {fmtDateTime(r.finishedAt ?? r.lastBatchAt)}
        </Descriptions.Item>
        <Descriptions.Item label="已重新加密">{num(r.rowsReencrypted)} 行</Descriptions.Item>
        <Descriptions.Item label="批次">{num(r.batches)}</Descriptions.Item>
      </Descriptions>
      {r.error && (
        <Alert
          type={r.status === 'failed' ? 'error' : 'warning'}
          showIcon
          message={r.error}
          style={{ marginBottom: 12 }}
        />
      )}
      <Flex align="center" gap={12} style={{ marginBottom: 12 }}>
        <Typography.Text strong>总进度</Typography.Text>
        <Progress
          percent={r.percent}
          status={r.status === 'failed' ? 'exception' : r.status === 'running' ? 'active' : 'success'}
          style={{ flex: 1, margin: 0 }}
        />
      </Flex>
      <Table<RotationTableView>
        rowKey="table"
        size="small"
        pagination={false}
        dataSource={r.tables}
        columns={[
          { title: '数据', dataIndex: 'label', width: 260 },
          {
            title: '进度',
            key: 'percent',
            render: (_: unknown, t: RotationTableView) => (
              <Progress
                percent={t.percent}
                size="small"
                status={
                  t.done
                    ? 'success'
                    : r.status === 'failed'
                      ? 'exception'
                      : r.status === 'running'
                        ? 'active'
                        : 'normal'
                }
              />
            ),
          },
          {
            title: '已处理 / 估计行数',
            key: 'rows',
            width: 150,
            align: 'right',
            render: (_: unknown, t: RotationTableView) => `${num(t.scanned)} / ${num(Math.max(t.estimate, t.scanned))}`,
          },
          { title: '重新加密', dataIndex: 'reencrypted', width: 90, align: 'right', render: num },
          { title: '重算检索哈希', dataIndex: 'rehashed', width: 110, align: 'right', render: num },
          {
            title: '无法解密',
            dataIndex: 'unreadable',
            width: 90,
            align: 'right',
            render: (n: number, t: RotationTableView) =>
              n ? (
                <Typography.Text type="danger" title={`行：${t.unreadableKeys.join('、')}`}>
                  {num(n)}
                </Typography.Text>
              ) : (
                0
              ),
          },
        ]}
      />
      {r.status !== 'running' && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>轮换后仍依赖旧密钥的数据</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
            查询码、微信/微博用户标识只以检索哈希保存，原文不在系统中，无法用新密钥重算：查询码在诉求人下次使用时改用新密钥；微信/微博用户再次来信后，下一次轮换即可重算其标识。这些数据依赖的旧版本须保留。
          </Typography.Paragraph>
          {r.dependencies.length ? (
            <Table
              rowKey={(d) => `${d.kind}:${d.version}`}
              size="small"
              pagination={false}
              dataSource={r.dependencies}
              columns={[
                { title: '数据', dataIndex: 'label' },
                { title: '密钥版本', dataIndex: 'version', width: 100 },
                { title: '行数（轮换时）', dataIndex: 'rows', width: 140, align: 'right', render: num },
              ]}
            />
          ) : (
            <Typography.Text type="success">无：全部数据已使用目标版本的密钥</Typography.Text>
          )}
        </div>
      )}
    </>
  );
}
