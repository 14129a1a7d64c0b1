import { useMemo, useState } from 'react';
import { App, Button, Form, Input, Popconfirm, Radio, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { account } from '../../api/account';
import { passwordViolations } from '../../../shared/domain/password-policy';
import { errorMessage } from '../../api/client';
import type { AnyRole, User } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useColumnFilter } from '../../lib/useColumnFilter';
import { fmtDateTime } from '../../lib/format';
import { ROLE_LABELS } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { showFieldErrors } from './serverErrors';

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const SCOPE_OPTIONS = [
  { value: 'region', label: '中心负责区域' },
  { value: 'unit', label: '本单位' },
];
// 第六条, 等保 2.0 身份鉴别: the server's password policy (shared rules; the server adds the admin's length setting,
// the user's name when it is known and the user's last passwords)
const passwordRules = (username?: string) => [
  { required: true, message: '请填写密码' },
  ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_r: unknown, v?: string) => {
      const name = username ?? (getFieldValue('username') as string | undefined);
      const broken = v ? passwordViolations(v, { username: name }) : [];
      if (broken.length) throw new Error(broken[0]!.message);
    },
  }),
];
const PASSWORD_EXTRA = '至少 10 位，须包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名';

interface UserForm {
  username: string;
  displayName: string;
  password?: string;
  confirm?: string;
  unitId: number;
  roles: AnyRole[];
  scope: 'unit' | 'region';
}

/** 用户: who may sign in, their unit, roles and data scope. Admins create, edit, deactivate and reset passwords; auditors read. */
export default function UsersPage() {
  const ref = useReference();
  const me = useMe();
  const { message } = App.useApp();
  const users = useAsync(() => api.admin.users(), []);
  const byUnit = useColumnFilter(users.data ?? [], 'unit_id', (u) => u.unit_id);
  const canEdit = hasRole(me, 'admin');
  // 第六条: accounts locked by failed logins (admins only; unlocked at 登录锁定)
  const locked = useAsync(
    async () =>
      canEdit
        ? new Set((await api.admin.loginLocks()).filter((l) => l.status === 'locked').map((l) => l.userId))
        : new Set<number>(),
    [canEdit],
  );
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [toggling, setToggling] = useState<number | null>(null);

  const replace = (u: User) => {
    const list = users.data ?? [];
    users.setData(list.some((x) => x.id === u.id) ? list.map((x) => (x.id === u.id ? u : x)) : [...list, u]);
  };
  const setActive = async (u: User, active: boolean) => {
    setToggling(u.id);
    try {
      replace(await api.admin.updateUser(u.id, { active }));
      message.success(active ? `已启用 ${u.display_name}` : `已停用 ${u.display_name}，其登录会话已全部失效`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setToggling(null);
    }
  };

  const resetTotp = async (u: User) => {
    try {
      await account.resetTotp(u.id);
      replace({ ...u, totp_enabled: false });
      message.success(`已重置 ${u.display_name} 的二次验证`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeader
        title="用户"
        sub="账号、所属单位、角色与数据范围"
        extra={
          <>
            <ExportMenu
              testId="users-export"
              disabled={!byUnit.shown.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  '用户',
                  ['用户名', '姓名', '所属单位', '角色', '数据范围', '状态', '已锁定', '二次验证', '创建时间'],
                  byUnit.shown.map((u) => [
                    u.username,
                    u.display_name,
                    ref.unitName(u.unit_id),
                    u.roles.map((x) => ROLE_LABELS[x] ?? x).join('、'),
                    u.scope === 'region' ? '中心负责区域' : '本单位',
                    u.active ? '启用' : '停用',
                    locked.data?.has(u.id) ? '是' : '否',
                    u.totp_enabled ? '是' : '否',
                    fmtDateTime(u.created_at),
                  ]),
                )
              }
            />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                新建用户
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert message={users.errorText} onRetry={() => void users.reload()} />
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.loading}
        dataSource={byUnit.shown}
        onChange={byUnit.onChange}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 150 },
          { title: '姓名', dataIndex: 'display_name', width: 100 },
          {
            title: '所属单位',
            dataIndex: 'unit_id',
            render: (v: number) => ref.unitName(v),
            filters: ref.units.map((u) => ({ text: u.name, value: u.id })),
            filteredValue: byUnit.filteredValue,
            filterSearch: true,
          },
          {
            title: '角色',
            dataIndex: 'roles',
            render: (r: AnyRole[]) =>
              r.map((x) => (
                <Tag key={x} color="blue">
                  {ROLE_LABELS[x] ?? x}
                </Tag>
              )),
          },
          {
            title: '数据范围',
            dataIndex: 'scope',
            width: 130,
            render: (s: User['scope']) => (s === 'region' ? '中心负责区域' : '本单位'),
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 110,
            render: (a: boolean, u: User) => (
              <>
                {a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>}
                {locked.data?.has(u.id) && <Tag color="red">已锁定</Tag>}
                {u.must_change_password && <Tag color="orange">待改密</Tag>}
                {u.totp_enabled && <Tag color="cyan">二次验证</Tag>}
              </>
            ),
          },
          { title: '创建时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 210,
                  render: (_: unknown, u: User) => {
                    const self = u.id === me.userId;
                    return (
                      <Space size={0} wrap>
                        <Button type="link" size="small" onClick={() => setEditing(u)}>
                          编辑
                        </Button>
                        <Button type="link" size="small" onClick={() => setResetting(u)}>
                          重置密码
                        </Button>
                        {u.totp_enabled && (
                          <Popconfirm
                            title={`重置 ${u.display_name} 的二次验证？`}
                            description="用于验证器丢失：该用户的登录立即退出，下次登录只需密码（角色要求时须重新绑定）。"
                            okText="重置"
                            okButtonProps={{ danger: true }}
                            cancelText="取消"
                            onConfirm={() => resetTotp(u)}
                          >
                            <Button type="link" size="small">
                              重置二次验证
                            </Button>
                          </Popconfirm>
                        )}
                        {u.active ? (
                          <Popconfirm
                            title={`停用 ${u.display_name}？`}
                            description="停用后该账号立即退出登录且无法再登录。"
                            okText="停用"
                            okButtonProps={{ danger: true }}
                            cancelText="取消"
                            onConfirm={() => setActive(u, false)}
                            disabled={self}
                          >
                            <Button
                              type="link"
                              size="small"
                              danger
                              disabled={self}
                              loading={toggling === u.id}
                              title={self ? '不能停用自己的账号' : undefined}
                            >
                              停用
                            </Button>
                          </Popconfirm>
                        ) : (
                          <Button
                            type="link"
                            size="small"
                            loading={toggling === u.id}
                            onClick={() => void setActive(u, true)}
                          >
                            启用
                          </Button>
                        )}
                      </Space>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
      {editing !== null && (
        <UserFormModal
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? null : editing}
          selfId={me.userId}
          onClose={() => setEditing(null)}
          onSaved={(u, created) => {
            replace(u);
            message.success(created ? `已新建用户 ${u.username}` : `已保存 ${u.display_name}`);
          }}
        />
      )}
      {resetting && (
        <ResetPasswordModal
          key={resetting.id}
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={(mustChange) => {
            if (mustChange) replace({ ...resetting, must_change_password: true });
            message.success(`已重置 ${resetting.display_name} 的密码${mustChange ? '，该用户登录后须先修改密码' : ''}`);
          }}
        />
      )}
    </>
  );
}

function UserFormModal({
  user,
  selfId,
  onClose,
  onSaved,
}: {
  user: User | null;
  selfId: number;
  onClose: () => void;
  onSaved: (u: User, created: boolean) => void;
}) {
  const ref = useReference();
  const [form] = Form.useForm<UserForm>();
  const unitOptions = useMemo(
    () => ref.units.filter((u) => u.active || u.id === user?.unit_id).map((u) => ({ value: u.id, label: u.name })),
    [ref.units, user],
  );
  const self = user?.id === selfId;
  return (
    <FormModal<UserForm>
      title={user ? `编辑用户：${user.username}` : '新建用户'}
      open
      form={form}
      onClose={onClose}
      okText="保存"
      width={600}
      initialValues={
        user
          ? { displayName: user.display_name, unitId: user.unit_id, roles: user.roles, scope: user.scope }
          : { roles: [], scope: 'unit' }
      }
      onSubmit={async (v) => {
        try {
          if (user) {
            onSaved(
              await api.admin.updateUser(user.id, {
                displayName: v.displayName.trim(),
                unitId: v.unitId,
                roles: v.roles,
                scope: v.scope,
              }),
              false,
            );
          } else {
            onSaved(
              await api.admin.createUser({
                username: v.username.trim(),
                displayName: v.displayName.trim(),
                password: v.password!,
                unitId: v.unitId,
                roles: v.roles,
                scope: v.scope,
              }),
              true,
            );
          }
        } catch (e) {
          showFieldErrors(form, e);
        }
      }}
    >
      {!user && (
        <Form.Item
          name="username"
          label="用户名"
          extra="3–50 位小写字母、数字或下划线，创建后不可修改"
          rules={[
            { required: true, message: '请填写用户名' },
            { min: 3, message: '用户名至少 3 个字符' },
            { max: 50, message: '用户名不能超过 50 个字符' },
            { pattern: /^[a-z0-9_]+$/, message: '用户名只能包含小写字母、数字和下划线' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label="姓名"
        rules={[
          { required: true, whitespace: true, message: '请填写姓名' },
          { max: 50, message: '姓名不能超过 50 个字' },
        ]}
      >
        <Input />
      </Form.Item>
      {!user && (
        <>
          <Form.Item name="password" label="初始密码" extra={PASSWORD_EXTRA} rules={passwordRules()}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认密码"
            dependencies={['password']}
            rules={[
              { required: true, message: '请再次输入密码' },
              ({ getFieldValue }) => ({
                validator: async (_r, v) => {
                  if (v && v !== getFieldValue('password')) throw new Error('两次输入的密码不一致');
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </>
      )}
      <Form.Item name="unitId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
        <Select showSearch optionFilterProp="label" options={unitOptions} placeholder="选择单位" />
      </Form.Item>
      <Form.Item
        name="roles"
        label="角色"
        rules={[
          { required: true, type: 'array', min: 1, message: '请至少选择一个角色' },
          ...(self
            ? [
                {
                  validator: async (_r: unknown, v: AnyRole[] | undefined) => {
                    if (!v?.includes('admin')) throw new Error('不能移除自己的系统管理员角色');
                  },
                },
              ]
            : []),
        ]}
      >
        <Select mode="multiple" options={ROLE_OPTIONS} placeholder="选择角色" />
      </Form.Item>
      <Form.Item
        name="scope"
        label="数据范围"
        rules={[{ required: true, message: '请选择数据范围' }]}
        extra="本单位：只看本单位承办的工单；中心负责区域：看所属热线工作机构负责区域内的全部工单"
      >
        <Radio.Group options={SCOPE_OPTIONS} optionType="button" />
      </Form.Item>
    </FormModal>
  );
}

function ResetPasswordModal({
  user,
  onClose,
  onDone,
}: {
  user: User;
  onClose: () => void;
  onDone: (mustChangePassword: boolean) => void;
}) {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  return (
    <FormModal<{ password: string; confirm: string }>
      title={`重置密码：${user.display_name}（${user.username}）`}
      open
      form={form}
      onClose={onClose}
      okText="重置"
      danger
      onSubmit={async (v) => {
        try {
          const r = await api.admin.resetPassword(user.id, v.password);
          onDone(r.mustChangePassword);
        } catch (e) {
          showFieldErrors(form, e);
        }
      }}
    >
      <Form.Item
        name="password"
        label="新密码"
        extra={`${PASSWORD_EXTRA}，不能与该用户最近使用过的密码相同；重置后该用户须用新密码重新登录，并在登录后立即修改密码`}
        rules={passwordRules(user.username)}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['password']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_r, v) => {
              if (v && v !== getFieldValue('password')) throw new Error('两次输入的密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
