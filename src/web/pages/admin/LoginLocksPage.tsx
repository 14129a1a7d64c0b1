import { useState } from 'react';
import { App, Alert, Button, Popconfirm, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, type LoginLock } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

const STATUS: Record<LoginLock['status'], { label: string; color: string }> = {
  locked: { label: '已锁定', color: 'red' },
  throttled: { label: '限速中', color: 'orange' },
  failing: { label: '有失败', color: 'default' },
};

/** 登录锁定 (第六、三十条): accounts locked or slowed down by failed logins; the admin unlocks one at once. */
export default function LoginLocksPage() {
  const { message } = App.useApp();
  const locks = useAsync(() => api.admin.loginLocks(), []);
  const [unlocking, setUnlocking] = useState<number | null>(null);

  const unlock = async (l: LoginLock) => {
    setUnlocking(l.userId);
    try {
      await api.admin.unlockLogin(l.userId);
      message.success(`已解锁 ${l.displayName}（${l.username}），失败次数已清零`);
      await locks.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUnlocking(null);
    }
  };

  return (
    <>
      <PageHeader
        title="登录锁定"
        sub="连续登录失败被延时或临时锁定的账号"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void locks.reload()} loading={locks.loading}>
            刷新
          </Button>
        }
      />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="同一账号连续失败 5 次后每次登录须等待 1、2、4、8… 秒；连续失败 10 次锁定 15 分钟，到时自动解除。同一地址 15 分钟内失败 30 次后，该地址的登录最多延时 10 秒。登录成功或管理员解锁后失败次数清零。"
      />
      <ErrorAlert message={locks.errorText} onRetry={() => void locks.reload()} />
      <Table<LoginLock>
        rowKey="userId"
        size="middle"
        loading={locks.loading}
        dataSource={locks.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '没有被锁定或限速的账号' }}
        columns={[
          { title: '账号', dataIndex: 'username', width: 150 },
          { title: '姓名', dataIndex: 'displayName', width: 110 },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: LoginLock['status']) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>,
          },
          { title: '连续失败次数', dataIndex: 'failures', width: 120, align: 'right' },
          {
            title: '锁定至',
            dataIndex: 'lockedUntil',
            width: 150,
            render: (v: string | null) => (v ? fmtDateTime(v) : '—'),
          },
          { title: '最近失败时间', dataIndex: 'lastFailureAt', width: 150, render: fmtDateTime },
          { title: '最近失败地址(IP)', dataIndex: 'lastFailureIp', render: (v: string | null) => v ?? '—' },
          {
            title: '操作',
            key: 'actions',
            width: 90,
            render: (_: unknown, l: LoginLock) => (
              <Popconfirm
                title={`解锁 ${l.displayName}？`}
                description="立即解除锁定并清零失败次数，此操作记入审计。"
                okText="解锁"
                cancelText="取消"
                onConfirm={() => unlock(l)}
              >
                <Button type="link" size="small" loading={unlocking === l.userId}>
                  解锁
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}
