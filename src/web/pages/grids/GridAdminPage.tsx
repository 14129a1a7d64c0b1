import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { gridsApi, type AdminGrid, type GridHistoryItem, type GridSnapshot } from '../../api/grids';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { showFieldErrors } from '../admin/serverErrors';

// 第二十九条 网格化管理, issue 12: a town/street's manager (or the admin, any town) keeps the town's grids — creates,
// renames, sets the centre point the 网格视图 map draws, retires — and assigns its grid workers. The server checks the
// scope and audits every change; a grid's 变更记录 is that audit trail.

interface GridForm {
  name: string;
  lng?: number | null;
  lat?: number | null;
  workers?: number[];
  retired?: boolean;
}

const ACTION_LABELS: Record<string, string> = {
  create: '新建',
  update: '修改',
  retire: '停用',
  reinstate: '恢复',
  assign_workers: '指派网格员',
};

const centreOf = (v: GridForm) =>
  v.lng !== undefined && v.lng !== null && v.lat !== undefined && v.lat !== null ? { lng: v.lng, lat: v.lat } : null;
const fmtCentre = (c: { lng: number; lat: number } | null) =>
  c ? `东经 ${c.lng.toFixed(4)}°，北纬 ${c.lat.toFixed(4)}°` : '未设置';

/** What one audit row changed, in words. */
function describe(h: GridHistoryItem): string {
  const b = h.before;
  const a = h.after;
  if (!a) return '';
  if (!b) return `${a.name}；中心点：${fmtCentre(a.centre)}`;
  const parts: string[] = [];
  if (b.name !== a.name) parts.push(`名称：${b.name} → ${a.name}`);
  if (JSON.stringify(b.centre) !== JSON.stringify(a.centre))
    parts.push(`中心点：${fmtCentre(b.centre)} → ${fmtCentre(a.centre)}`);
  const names = (s: GridSnapshot) => (s.workers ?? []).map((w) => w.name).join('、') || '无';
  if (names(b) !== names(a)) parts.push(`网格员：${names(b)} → ${names(a)}`);
  if (b.retired !== a.retired) parts.push(a.retired ? '停用' : '恢复使用');
  return parts.join('；');
}

function HistoryDrawer({ grid, onClose }: { grid: AdminGrid | null; onClose: () => void }) {
  const h = useAsync(() => (grid ? gridsApi.gridHistory(grid.code) : Promise.resolve({ items: [] })), [grid?.code]);
  return (
    <Drawer open={grid !== null} onClose={onClose} width={720} title={grid ? `变更记录：${grid.name}` : ''}>
      <ErrorAlert message={h.errorText} onRetry={h.reload} />
      <Table<GridHistoryItem>
        size="small"
        rowKey="id"
        data-testid="grid-history"
        loading={h.loading}
        dataSource={h.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: '暂无变更记录（演示数据中预置的网格没有新建记录）' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => fmtDateTime(t) },
          { title: '操作人', dataIndex: 'by', width: 100, render: (b: string | null) => b ?? '系统' },
          { title: '操作', dataIndex: 'action', width: 110, render: (a: string) => ACTION_LABELS[a] ?? a },
          { title: '内容', key: 'what', render: (_: unknown, r) => describe(r) },
        ]}
      />
    </Drawer>
  );
}

function EditDrawer({
  grid,
  candidates,
  onClose,
  onSaved,
}: {
  grid: AdminGrid;
  candidates: { id: number; name: string; active: boolean; unitName: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<GridForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retired = Form.useWatch('retired', form);
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const centre = centreOf(v);
      const changes: { name?: string; centre?: typeof centre; retired?: boolean } = {};
      if (v.name.trim() !== grid.name) changes.name = v.name.trim();
      if (JSON.stringify(centre) !== JSON.stringify(grid.lng === null ? null : { lng: grid.lng, lat: grid.lat }))
        changes.centre = centre;
      if (!!v.retired !== grid.retired) changes.retired = !!v.retired;
      if (Object.keys(changes).length)
        await gridsApi.updateGrid(grid.code, changes).catch((e) => showFieldErrors(form, e));
      const workers = v.retired ? [] : (v.workers ?? []);
      const had = grid.workers.map((w) => w.id).sort((a, b) => a - b);
      if (!v.retired && JSON.stringify([...workers].sort((a, b) => a - b)) !== JSON.stringify(had))
        await gridsApi.setGridWorkers(grid.code, workers).catch((e) => showFieldErrors(form, e));
      message.success(`已保存 ${v.name.trim()}`);
      onSaved();
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      onClose={onClose}
      width={520}
      title={`编辑网格：${grid.name}`}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="grid-save">
            保存
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form<GridForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: grid.name,
          lng: grid.lng,
          lat: grid.lat,
          workers: grid.workers.map((w) => w.id),
          retired: grid.retired,
        }}
      >
        <Form.Item
          name="name"
          label="网格名称"
          rules={[{ required: true, whitespace: true, message: '请填写网格名称' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <CentreInputs />
        <Form.Item
          name="workers"
          label="网格员"
          extra="只能指派本乡镇（街道）办事处的网格员账号；一个网格可有多名网格员"
        >
          <Select
            mode="multiple"
            disabled={!!retired}
            placeholder="选择网格员"
            optionFilterProp="label"
            options={candidates
              .filter((c) => c.active || grid.workers.some((w) => w.id === c.id))
              .map((c) => ({ value: c.id, label: c.active ? c.name : `${c.name}（已停用）` }))}
          />
        </Form.Item>
        <Form.Item
          name="retired"
          label="状态"
          valuePropName="checked"
          extra="停用后不再指派网格员，原网格员的负责关系随之解除；网格内的历史工单和统计不受影响"
        >
          <Checkbox>停用此网格</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** Longitude and latitude, both or neither (the map's point of the grid). */
function CentreInputs() {
  return (
    <Space.Compact block>
      <Form.Item
        name="lng"
        label="中心点经度"
        style={{ width: '50%' }}
        dependencies={['lat']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_r, v?: number | null) => {
              if (
                (v === null || v === undefined) !==
                (getFieldValue('lat') === null || getFieldValue('lat') === undefined)
              )
                throw new Error('经度和纬度须同时填写或同时留空');
            },
          }),
        ]}
      >
        <InputNumber min={73} max={136} step={0.001} precision={5} style={{ width: '100%' }} placeholder="如 115.505" />
      </Form.Item>
      <Form.Item name="lat" label="中心点纬度" style={{ width: '50%' }} dependencies={['lng']}>
        <InputNumber min={3} max={54} step={0.001} precision={5} style={{ width: '100%' }} placeholder="如 35.262" />
      </Form.Item>
    </Space.Compact>
  );
}

export default function GridAdminPage() {
  const me = useMe();
  const { message } = App.useApp();
  const towns = useAsync(() => gridsApi.adminTowns(), []);
  const [picked, setPicked] = useState<string>();
  const town = picked ?? towns.data?.towns[0]?.code;
  const data = useAsync(() => (town ? gridsApi.adminTown(town) : Promise.resolve(undefined)), [town]);
  const [editing, setEditing] = useState<AdminGrid | null>(null);
  const [history, setHistory] = useState<AdminGrid | null>(null);
  const [creating, setCreating] = useState(false);
  const [createForm] = Form.useForm<GridForm>();
  const d = data.data;
  return (
    <>
      <PageHeader
        title="网格管理"
        sub="本乡镇（街道）的网格、中心点和网格员；每项变更均留有记录（第二十九条）"
        extra={
          <>
            <ExportMenu
              testId="grids-export"
              disabled={!d?.grids.length}
              onExport={(format) =>
                d &&
                downloadTable(
                  format,
                  `网格管理-${d.town.name}`,
                  ['乡镇（街道）', '网格', '代码', '中心点经度', '中心点纬度', '网格员', '状态'],
                  d.grids.map((g) => [
                    d.town.name,
                    g.name,
                    g.code,
                    g.lng,
                    g.lat,
                    g.workers.map((w) => (w.active ? w.name : `${w.name}（已停用）`)).join('、'),
                    g.retired ? '已停用' : '使用中',
                  ]),
                  { town: d.town.code },
                )
              }
            />
            <Button type="primary" icon={<PlusOutlined />} disabled={!d} onClick={() => setCreating(true)}>
              新建网格
            </Button>
          </>
        }
      />
      {(towns.data?.towns.length ?? 0) > 1 && (
        <Select
          showSearch
          aria-label="乡镇（街道）"
          style={{ width: 260, marginBottom: 12 }}
          value={town}
          onChange={setPicked}
          optionFilterProp="label"
          options={towns.data!.towns.map((t) => ({ value: t.code, label: t.path }))}
        />
      )}
      <ErrorAlert message={towns.errorText ?? data.errorText} onRetry={data.reload} />
      {d && d.candidates.length === 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="本乡镇（街道）还没有网格员账号"
          description={
            hasRole(me, 'admin') ? (
              <>
                在 <Link to="/admin/users">用户</Link> 中新建账号：角色选“网格员”，所属单位选本街道办事处。
              </>
            ) : (
              '请系统管理员新建网格员账号（角色“网格员”，所属单位为本街道办事处）后再指派。'
            )
          }
        />
      )}
      <Table<AdminGrid>
        size="small"
        rowKey="code"
        data-testid="grid-admin-table"
        loading={data.loading}
        dataSource={d?.grids ?? []}
        pagination={false}
        columns={[
          {
            title: '网格',
            dataIndex: 'name',
            render: (n: string, g) => (
              <Space>
                {n}
                {g.retired && <Tag>已停用</Tag>}
              </Space>
            ),
          },
          { title: '代码', dataIndex: 'code', width: 130 },
          {
            title: '中心点',
            key: 'centre',
            render: (_: unknown, g) =>
              g.lng !== null && g.lat !== null ? (
                fmtCentre({ lng: g.lng, lat: g.lat })
              ) : (
                <Typography.Text type="secondary">未设置</Typography.Text>
              ),
          },
          {
            title: '网格员',
            key: 'workers',
            render: (_: unknown, g) =>
              g.workers.length ? (
                g.workers.map((w) => <Tag key={w.id}>{w.name}</Tag>)
              ) : (
                <Typography.Text type="secondary">未指派</Typography.Text>
              ),
          },
          {
            title: '操作',
            key: 'ops',
            width: 170,
            render: (_: unknown, g) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(g)} aria-label={`编辑 ${g.name}`}>
                  编辑
                </Button>
                <Button type="link" size="small" onClick={() => setHistory(g)} aria-label={`${g.name} 的变更记录`}>
                  变更记录
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {editing && d && (
        <EditDrawer
          key={editing.code}
          grid={editing}
          candidates={d.candidates}
          onClose={() => setEditing(null)}
          onSaved={data.reload}
        />
      )}
      <HistoryDrawer grid={history} onClose={() => setHistory(null)} />
      {d && (
        <FormModal<GridForm>
          title={`新建网格（${d.town.name}）`}
          open={creating}
          form={createForm}
          onClose={() => setCreating(false)}
          okText="新建"
          onSubmit={async (v) => {
            const made = await gridsApi
              .createGrid(d.town.code, { name: v.name.trim(), centre: centreOf(v) })
              .catch((e) => showFieldErrors(createForm, e));
            message.success(`已新建 ${made.name}（代码 ${made.code}）`);
            void data.reload();
          }}
        >
          <Form.Item
            name="name"
            label="网格名称"
            rules={[{ required: true, whitespace: true, message: '请填写网格名称' }]}
          >
            <Input maxLength={50} placeholder={`如 ${d.town.name}第五网格`} />
          </Form.Item>
          <CentreInputs />
          <Typography.Text type="secondary">
            网格代码由系统按本乡镇（街道）代码加三位顺序编排；中心点用于网格视图的分布图，可稍后填写。
          </Typography.Text>
        </FormModal>
      )}
    </>
  );
}
