import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { TOKEN_SCOPES, TOKEN_SCOPE_LABELS } from '../../../shared/contracts/sharing';
import { sharingApi, type UnitToken } from '../../api/sharing';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { UnitSelect } from '../../components/Pickers';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

const scopeLabel = (s: string) => TOKEN_SCOPE_LABELS[s as keyof typeof TOKEN_SCOPE_LABELS] ?? s;

/** 对接令牌 (第三十条): tokens of the units' systems and the centre's partners — issue with a scope, revoke. */
export default function UnitTokensPage() {
  const { message } = App.useApp();
  const list = useAsync(() => sharingApi.tokens(), []);
  const [issuing, setIssuing] = useState(false);
  const [issuingMachine, setIssuingMachine] = useState(false);
  // channel gateways (SMS, Weibo, CTI) and partner systems (Open311, units' knowledge push): machine accounts only
  const machines = useAsync(
    () =>
      issuingMachine
        ? api.admin
            .users()
            .then((us) => us.filter((u) => u.active && u.roles.some((r: string) => r === 'gateway' || r === 'partner')))
        : Promise.resolve([]),
    [issuingMachine],
  );
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const rows = list.data?.items ?? [];
  const revoke = async (t: UnitToken) => {
    try {
      await sharingApi.revokeToken(t.id);
      message.success(`已吊销「${t.name}」`);
      await list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      <PageHeader
        title="对接令牌"
        sub="承办单位业务系统读取本单位数据所用的令牌，以及渠道网关、对接系统的接入令牌：签发、权限范围、吊销"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()} loading={list.loading}>
              刷新
            </Button>
            <ExportMenu
              disabled={rows.length === 0}
              onExport={(format) =>
                downloadTable(
                  format,
                  '对接令牌.csv',
                  ['名称', '单位', '账号', '权限', '签发时间', '签发人', '吊销时间'],
                  rows.map((t) => [
                    t.name,
                    t.unitName,
                    t.account,
                    (t.scopes ?? []).map(scopeLabel).join('、') || '按账号角色',
                    fmtDateTime(t.createdAt),
                    t.createdByName ?? '',
                    t.revokedAt ? fmtDateTime(t.revokedAt) : '',
                  ]),
                )
              }
            />
            <Button icon={<PlusOutlined />} onClick={() => setIssuingMachine(true)}>
              签发网关/对接系统令牌
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
              签发令牌
            </Button>
          </>
        }
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<UnitToken>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '尚未签发令牌' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '单位', dataIndex: 'unitName', width: 200 },
          { title: '账号', dataIndex: 'account', width: 200 },
          {
            title: '权限',
            dataIndex: 'scopes',
            width: 260,
            render: (s: string[] | null) =>
              s ? s.map((x) => <Tag key={x}>{scopeLabel(x)}</Tag>) : <Tag color="default">按账号角色</Tag>,
          },
          { title: '签发', dataIndex: 'createdAt', width: 140, render: fmtDateTime },
          {
            title: '状态',
            dataIndex: 'revokedAt',
            width: 150,
            render: (r: string | null) => (r ? <Tag>已吊销 {fmtDateTime(r)}</Tag> : <Tag color="green">有效</Tag>),
          },
          {
            title: '',
            width: 80,
            render: (_: unknown, t) =>
              t.revokedAt ? null : (
                <Popconfirm
                  title={`吊销「${t.name}」？吊销后立即失效`}
                  okText="吊销"
                  cancelText="取消"
                  onConfirm={() => revoke(t)}
                >
                  <Button size="small" danger>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <FormModal<{ unitId: number; name: string; scopes: string[] }>
        title="签发对接令牌"
        open={issuing}
        onClose={() => setIssuing(false)}
        okText="签发"
        initialValues={{ scopes: ['feed:read'] }}
        onSubmit={async (v) => {
          const r = await sharingApi.issueToken(v as never);
          setShown({ name: r.name, token: r.token });
          await list.reload();
        }}
      >
        <Form.Item name="unitId" label="所属单位" rules={[{ required: true, message: '请选择单位' }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="name" label="令牌名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={100} placeholder="如：区政府业务协同平台（生产）" />
        </Form.Item>
        <Form.Item name="scopes" label="权限范围" rules={[{ required: true, message: '至少选择一项权限' }]}>
          <Checkbox.Group options={TOKEN_SCOPES.map((s) => ({ value: s, label: TOKEN_SCOPE_LABELS[s] }))} />
        </Form.Item>
      </FormModal>
      <FormModal<{ userId: number; name: string }>
        title="签发渠道网关或对接系统令牌"
        open={issuingMachine}
        onClose={() => setIssuingMachine(false)}
        okText="签发"
        onSubmit={async (v) => {
          const r = await api.admin.issueMachineToken(v.userId, v.name);
          setShown({ name: v.name, token: r.token });
          await list.reload();
        }}
      >
        <Form.Item name="userId" label="接入账号" rules={[{ required: true, message: '请选择账号' }]}>
          <Select
            loading={machines.loading}
            placeholder="短信、微博、话务系统网关，或 Open311、知识库推送等对接系统"
            options={(machines.data ?? []).map((u) => ({
              value: u.id,
              label: `${u.display_name}（${(u.roles as string[]).includes('gateway') ? '渠道网关' : '对接系统'}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="name" label="令牌名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input maxLength={100} placeholder="如：短信网关（中国移动，生产）" />
        </Form.Item>
      </FormModal>
      <Modal
        title={`「${shown?.name ?? ''}」的令牌`}
        open={!!shown}
        onOk={() => setShown(null)}
        onCancel={() => setShown(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="我已保存"
      >
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="令牌只显示这一次，关闭后无法再次查看。" />
        <Typography.Paragraph copyable={{ text: shown?.token }} code>
          {shown?.token}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
