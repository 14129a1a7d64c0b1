import { useState } from 'react';
import { Button, Form, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../../../shared/contracts/audit';
import { auditApi, type AdminAuditEntry, type AdminAuditQuery } from '../../api/audit';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { UserSelect } from '../../components/Pickers';
import { fmtDateTime } from '../../lib/format';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

type Filters = Omit<AdminAuditQuery, 'before' | 'limit'>;

const PAGE = 50;
const FAILURES = new Set(['login_failed', 'login_lock']);

/** A before/after value in one line: the fields that changed, or the whole object for a creation. */
function describeChange(before: unknown, after: unknown): string {
  const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const fields = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}：${show(v)}`)
      .join('；');
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(after) && isObject(before)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => show(after[k]) !== show(before[k]),
    );
    return keys.map((k) => `${k}：${show(before[k])} → ${show(after[k])}`).join('；') || '无变化';
  }
  if (isObject(after)) return fields(after);
  if (after !== null && after !== undefined) return show(after);
  if (isObject(before)) return `原 ${fields(before)}`;
  if (before !== null && before !== undefined) return `原 ${show(before)}`;
  return '—';
}

/**
 * 操作审计 (等保 2.0 安全审计): who changed accounts, roles, units, the catalogue, time limits, the calendar and
 * settings, every login and failed login, token issue and revoke — when, what (before → after) and from where.
 * The database refuses any change or deletion of these rows; the auditor alone reads and exports them.
 */
export default function AdminAuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const list = useKeysetList(filters, (before: number | null) =>
    auditApi.adminAudit({ ...filters, ...(before ? { before } : {}), limit: PAGE }),
  );

  return (
    <>
      <PageHeader
        title="操作审计"
        sub="账号、角色、单位、派单目录、办理时限、工作日历与各项设置的变更，登录与登录失败，令牌签发与吊销；记录不可修改或删除，至少保存六个月（等保 2.0 安全审计）"
        extra={
          <>
            <ServerExportMenu
              name="操作审计"
              testId="admin-audit-export"
              request={(format) => ({
                url: auditApi.adminAuditCsvUrl(filters).replace('/admin.csv', `/admin.${format}`),
              })}
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <FilterForm<Filters> range={['开始日期', '结束日期']} onSearch={setFilters}>
        <Form.Item name="userId">
          <UserSelect placeholder="操作人" />
        </Form.Item>
        <Form.Item name="entity">
          <Select
            allowClear
            placeholder="对象"
            aria-label="对象类型"
            style={{ width: 160 }}
            options={Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="entityId">
          <Input allowClear placeholder="对象编号" aria-label="对象编号" style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="action">
          <Select
            allowClear
            placeholder="操作"
            aria-label="操作类型"
            style={{ width: 130 }}
            options={Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<AdminAuditEntry>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={list.items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 330px)' }}
        locale={{ emptyText: '没有符合条件的审计记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 140, render: fmtDateTime },
          {
            title: '操作人',
            dataIndex: 'actorName',
            width: 120,
            render: (n: string | null, r) => (n ? <Tooltip title={r.username}>{n}</Tooltip> : <Tag>系统</Tag>),
          },
          {
            title: '操作',
            dataIndex: 'actionLabel',
            width: 100,
            render: (l: string, r) => <Tag color={FAILURES.has(r.action) ? 'red' : undefined}>{l}</Tag>,
          },
          {
            title: '对象',
            dataIndex: 'entityLabel',
            width: 170,
            render: (l: string, r) => (
              <span>
                {l}
                <Typography.Text type="secondary">
                  {' '}
                  #{r.entityId.length > 12 ? `${r.entityId.slice(0, 8)}…` : r.entityId}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: '变更',
            key: 'change',
            ellipsis: true,
            render: (_: unknown, r) => {
              const text = describeChange(r.before, r.after);
              return (
                <Tooltip title={text}>
                  <Typography.Text type="secondary">{text}</Typography.Text>
                </Tooltip>
              );
            },
          },
          { title: '来源地址', dataIndex: 'sourceIp', width: 130, render: (ip: string | null) => ip ?? '—' },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
