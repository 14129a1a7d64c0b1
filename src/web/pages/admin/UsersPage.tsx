import { Table, Tag } from 'antd';
import { api } from '../../api/endpoints';
import type { User } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { ROLE_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';

/** 用户: who may sign in, their unit, roles and data scope (read only). */
export default function UsersPage() {
  const ref = useReference();
  const users = useAsync(() => api.admin.users(), []);
  return (
    <>
      <PageHeader title="用户" sub="账号、所属单位、角色与数据范围" />
      <ErrorAlert message={users.errorText} onRetry={() => void users.reload()} />
      <Table<User>
        rowKey="id" size="middle" loading={users.loading} dataSource={users.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 150 },
          { title: '姓名', dataIndex: 'display_name', width: 100 },
          { title: '所属单位', dataIndex: 'unit_id', render: (v: number) => ref.unitName(v), filters: ref.units.map((u) => ({ text: u.name, value: u.id })), onFilter: (v, u) => u.unit_id === v, filterSearch: true },
          { title: '角色', dataIndex: 'roles', render: (r: User['roles']) => r.map((x) => <Tag key={x} color="blue">{ROLE_LABELS[x] ?? x}</Tag>) },
          { title: '数据范围', dataIndex: 'scope', width: 130, render: (s: User['scope']) => (s === 'region' ? '中心负责区域' : '本单位') },
          { title: '状态', dataIndex: 'active', width: 80, render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '创建时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
        ]}
      />
    </>
  );
}
