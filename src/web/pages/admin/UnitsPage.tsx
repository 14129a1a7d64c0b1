import { useMemo, useState } from 'react';
import { App, Button, Col, Form, Input, Row, Select, Switch, Table, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { Region, Tier, Unit, UnitKind } from '../../api/types';
import { FormModal } from '../../components/FormModal';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useColumnFilter } from '../../lib/useColumnFilter';
import { TIER_LABELS, UNIT_KIND_LABELS } from '../../lib/labels';
import { useReference, useReferenceState } from '../../lib/reference';
import { showFieldErrors } from './serverErrors';
import { SignoffSwitch, useSignoffSettings } from '../../components/unit-workflow/SignoffSetting';
import { NotifyPhoneCell, useNotifyPhones } from '../../components/notifications/NotifyPhoneSetting';

interface RegionNode extends Region {
  children?: RegionNode[];
}
const LEVELS = ['', '市', '县区', '乡镇街道', '社区网格'];

/** 单位与区划: the units that handle tickets with the regions they answer for, and the division tree. Admins create and edit units. */
export default function UnitsPage() {
  const ref = useReference();
  const byKind = useColumnFilter(ref.units, 'kind', (u) => u.kind);
  const { reload } = useReferenceState();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  // 第十五条 审核: which units' replies need their manager's sign-off
  const signoff = useSignoffSettings();
  // 第十五条 临期提醒: the phone each unit is told on by SMS
  const notifyPhones = useNotifyPhones();
  const tree = useMemo(() => {
    const nodes = new Map<string, RegionNode>(ref.regions.map((r) => [r.code, { ...r }]));
    const roots: RegionNode[] = [];
    for (const n of nodes.values()) {
      const p = n.parent_code ? nodes.get(n.parent_code) : undefined;
      if (p) (p.children ??= []).push(n);
      else roots.push(n);
    }
    return roots;
  }, [ref.regions]);
  return (
    <>
      <PageHeader
        title="单位与区划"
        sub="承办单位、热线工作机构及其负责区域"
        extra={
          <>
            <ExportMenu
              testId="units-export"
              disabled={!byKind.shown.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  '单位',
                  ['代码', '名称', '类型', '层级', '上级单位', '负责区域', '全天候', '状态'],
                  byKind.shown.map((u) => [
                    u.code,
                    u.name,
                    UNIT_KIND_LABELS[u.kind],
                    TIER_LABELS[u.tier],
                    u.parent_id ? ref.unitName(u.parent_id) : '',
                    u.region_codes.map((x) => ref.regionName(x)).join('、'),
                    u.is_24x7 ? '是' : '否',
                    u.active ? '启用' : '停用',
                  ]),
                )
              }
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              新建单位
            </Button>
          </>
        }
      />
      <Tabs
        items={[
          {
            key: 'units',
            label: `单位（${ref.units.length}）`,
            children: (
              <Table<Unit>
                rowKey="id"
                size="small"
                dataSource={byKind.shown}
                onChange={byKind.onChange}
                pagination={{ pageSize: 15, hideOnSinglePage: true }}
                scroll={{ y: 'calc(100vh - 330px)' }}
                columns={[
                  { title: '代码', dataIndex: 'code', width: 100 },
                  { title: '名称', dataIndex: 'name' },
                  {
                    title: '类型',
                    dataIndex: 'kind',
                    width: 120,
                    render: (k: Unit['kind']) => UNIT_KIND_LABELS[k],
                    filters: Object.entries(UNIT_KIND_LABELS).map(([value, text]) => ({ value, text })),
                    filteredValue: byKind.filteredValue,
                  },
                  { title: '层级', dataIndex: 'tier', width: 100, render: (t: Unit['tier']) => TIER_LABELS[t] },
                  {
                    title: '上级单位',
                    dataIndex: 'parent_id',
                    width: 150,
                    render: (p: number | null) => (p ? ref.unitName(p) : '—'),
                  },
                  {
                    title: '负责区域',
                    dataIndex: 'region_codes',
                    render: (c: string[]) => c.map((x) => ref.regionName(x)).join('、'),
                  },
                  {
                    title: '全天候',
                    dataIndex: 'is_24x7',
                    width: 80,
                    render: (v: boolean) => (v ? <Tag color="orange">7×24</Tag> : '—'),
                  },
                  {
                    title: '答复审核',
                    key: 'signoff',
                    width: 100,
                    render: (_: unknown, u: Unit) => <SignoffSwitch unit={u} settings={signoff} />,
                  },
                  {
                    title: '临期短信',
                    key: 'notifyPhone',
                    width: 120,
                    render: (_: unknown, u: Unit) => <NotifyPhoneCell unit={u} settings={notifyPhones} />,
                  },
                  {
                    title: '状态',
                    dataIndex: 'active',
                    width: 70,
                    render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
                  },
                  {
                    title: '操作',
                    key: 'actions',
                    width: 70,
                    render: (_: unknown, u: Unit) => (
                      <Button type="link" size="small" onClick={() => setEditing(u)}>
                        编辑
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'regions',
            label: `行政区划（${ref.regions.length}）`,
            children: (
              <Table<RegionNode>
                rowKey="code"
                size="small"
                dataSource={tree}
                pagination={false}
                expandable={{ defaultExpandAllRows: true }}
                scroll={{ y: 'calc(100vh - 330px)' }}
                columns={[
                  { title: '名称', dataIndex: 'name' },
                  { title: '代码', dataIndex: 'code', width: 180 },
                  { title: '级别', dataIndex: 'level', width: 120, render: (l: number) => LEVELS[l] ?? l },
                ]}
              />
            ),
          },
        ]}
      />
      {editing !== null && (
        <UnitFormModal
          key={editing === 'new' ? 'new' : editing.id}
          unit={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(u, created) => {
            reload();
            message.success(created ? `已新建单位 ${u.name}` : `已保存 ${u.name}`);
          }}
        />
      )}
    </>
  );
}

interface UnitForm {
  code: string;
  name: string;
  kind: UnitKind;
  tier: Tier;
  parentId?: number | null;
  is24x7: boolean;
  active: boolean;
  regionCodes: string[];
}

function UnitFormModal({
  unit,
  onClose,
  onSaved,
}: {
  unit: Unit | null;
  onClose: () => void;
  onSaved: (u: Unit, created: boolean) => void;
}) {
  const ref = useReference();
  const [form] = Form.useForm<UnitForm>();
  // A unit cannot sit under itself or under one of its own descendants.
  const parentOptions = useMemo(() => {
    const excluded = new Set<number>();
    if (unit) {
      excluded.add(unit.id);
      for (let grew = true; grew;) {
        grew = false;
        for (const u of ref.units)
          if (u.parent_id !== null && excluded.has(u.parent_id) && !excluded.has(u.id)) {
            excluded.add(u.id);
            grew = true;
          }
      }
    }
    return ref.units
      .filter((u) => !excluded.has(u.id) && (u.active || u.id === unit?.parent_id))
      .map((u) => ({ value: u.id, label: u.name }));
  }, [ref.units, unit]);
  const regionOptions = useMemo(
    () => ref.regions.map((r) => ({ value: r.code, label: `${ref.regionPath(r.code)}（${r.code}）` })),
    [ref],
  );
  return (
    <FormModal<UnitForm>
      title={unit ? `编辑单位：${unit.name}` : '新建单位'}
      open
      form={form}
      onClose={onClose}
      okText="保存"
      width={680}
      initialValues={
        unit
          ? {
              name: unit.name,
              parentId: unit.parent_id,
              is24x7: unit.is_24x7,
              active: unit.active,
              regionCodes: unit.region_codes,
            }
          : { kind: 'department', tier: 'city', is24x7: false, active: true, regionCodes: [] }
      }
      onSubmit={async (v) => {
        try {
          if (unit) {
            onSaved(
              await api.admin.updateUnit(unit.id, {
                name: v.name.trim(),
                parentId: v.parentId ?? null,
                is24x7: v.is24x7,
                active: v.active,
                regionCodes: v.regionCodes ?? [],
              }),
              false,
            );
          } else {
            onSaved(
              await api.admin.createUnit({
                code: v.code.trim(),
                name: v.name.trim(),
                kind: v.kind,
                tier: v.tier,
                parentId: v.parentId ?? null,
                is24x7: v.is24x7,
                regionCodes: v.regionCodes ?? [],
              }),
              true,
            );
          }
        } catch (e) {
          showFieldErrors(form, e);
        }
      }}
    >
      <Row gutter={12}>
        {!unit && (
          <Col span={12}>
            <Form.Item
              name="code"
              label="单位代码"
              extra="字母、数字、短横线或下划线，创建后不可修改"
              rules={[
                { required: true, whitespace: true, message: '请填写单位代码' },
                { min: 2, message: '单位代码至少 2 个字符' },
                { max: 30, message: '单位代码不能超过 30 个字符' },
                { pattern: /^[A-Za-z0-9_-]+$/, message: '单位代码只能包含字母、数字、短横线和下划线' },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
        )}
        <Col span={unit ? 24 : 12}>
          <Form.Item
            name="name"
            label="单位名称"
            rules={[
              { required: true, whitespace: true, message: '请填写单位名称' },
              { max: 100, message: '单位名称不能超过 100 个字' },
            ]}
          >
            <Input />
          </Form.Item>
        </Col>
        {!unit && (
          <>
            <Col span={12}>
              <Form.Item name="kind" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
                <Select options={Object.entries(UNIT_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="tier" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
                <Select options={Object.entries(TIER_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col span={24}>
          <Form.Item name="parentId" label="上级单位" extra="可不选">
            <Select allowClear showSearch optionFilterProp="label" options={parentOptions} placeholder="无上级单位" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="regionCodes" label="负责区域" extra="可多选；热线工作机构按负责区域确定可见工单">
            <Select
              mode="multiple"
              allowClear
              showSearch
              optionFilterProp="label"
              options={regionOptions}
              placeholder="选择行政区划"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="is24x7"
            label="7×24 小时全天候"
            valuePropName="checked"
            extra="供水、供电、燃气、供热、通信等公共服务企业（第二十条）"
          >
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
        </Col>
        {unit && (
          <Col span={12}>
            <Form.Item name="active" label="启用" valuePropName="checked" extra="停用后不再出现在派单选项中">
              <Switch checkedChildren="启用" unCheckedChildren="停用" />
            </Form.Item>
          </Col>
        )}
      </Row>
    </FormModal>
  );
}
