import { useState } from 'react';
import { App, Button, Col, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, type CatalogueRuleInput } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { Basis, CatalogueRule, Tier } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useColumnFilter } from '../../lib/useColumnFilter';
import { CategoryCascader, RegionCascader, UnitSelect } from '../../components/Pickers';
import { BASIS_LABELS, TIER_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { useUndoToast } from '../../components/UndoToast';

interface RuleForm {
  categoryId?: number | null;
  regionCode?: string | null;
  tier: Tier;
  basis: Basis;
  leadUnitId?: number;
  assistUnitIds?: number[];
  priority: number;
  note?: string;
}

/** 派单目录 (第十二条): category × region → lead unit, with how each rule is grounded; rules are enabled or disabled, never deleted. */
export default function CataloguePage() {
  const ref = useReference();
  const { message, modal } = App.useApp();
  const rules = useAsync(() => api.admin.catalogueRules(), []);
  const byBasis = useColumnFilter(rules.data ?? [], 'basis', (r) => r.basis);
  const [creating, setCreating] = useState(false);
  const [toggling, setToggling] = useState<number | null>(null);
  const undoToast = useUndoToast();

  const toggle = async (r: CatalogueRule, active: boolean) => {
    setToggling(r.id);
    try {
      const after = await api.admin.setCatalogueRuleActive(r.id, active);
      rules.setData((rules.data ?? []).map((x) => (x.id === r.id ? after : x)));
      if (active) message.success(`规则 #${r.id} 已启用`);
      // issue 14: a disabled rule is enabled again with one click (the inverse exists and is audited the same way)
      else
        undoToast(`规则 #${r.id} 已停用`, async () => {
          await api.admin.setCatalogueRuleActive(r.id, true);
          void rules.reload();
          return `已撤销：规则 #${r.id} 重新启用`;
        });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setToggling(null);
    }
  };

  return (
    <>
      <PageHeader
        title="派单目录"
        sub="按事项分类与行政区划确定主办单位；匹配时越具体的规则优先"
        extra={
          <>
            <ExportMenu
              testId="catalogue-export"
              disabled={!byBasis.shown.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  '派单目录',
                  ['编号', '事项分类', '行政区划', '依据', '层级', '主办单位', '协办单位', '优先级', '备注', '启用'],
                  byBasis.shown.map((r) => [
                    r.id,
                    r.category_id ? ref.categoryPath(r.category_id) : '任意分类',
                    r.region_code ? ref.regionName(r.region_code) : '任意区域',
                    BASIS_LABELS[r.basis],
                    TIER_LABELS[r.tier],
                    ref.unitName(r.lead_unit_id),
                    r.assist_unit_ids.map((id) => ref.unitName(id)).join('、'),
                    r.priority,
                    r.note,
                    r.active ? '是' : '否',
                  ]),
                )
              }
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新增规则
            </Button>
          </>
        }
      />
      <ErrorAlert message={rules.errorText} onRetry={() => void rules.reload()} />
      <Table<CatalogueRule>
        rowKey="id"
        size="small"
        loading={rules.loading}
        dataSource={byBasis.shown}
        onChange={byBasis.onChange}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ y: 'calc(100vh - 250px)' }}
        rowClassName={(r) => (r.active ? '' : 'ant-table-row-disabled')}
        columns={[
          { title: '编号', dataIndex: 'id', width: 60 },
          {
            title: '事项分类',
            dataIndex: 'category_id',
            width: 190,
            render: (v: number | null) =>
              v ? ref.categoryPath(v) : <Typography.Text type="secondary">任意分类</Typography.Text>,
          },
          {
            title: '行政区划',
            dataIndex: 'region_code',
            width: 110,
            render: (v: string | null) =>
              v ? ref.regionName(v) : <Typography.Text type="secondary">任意区域</Typography.Text>,
          },
          {
            title: '依据',
            dataIndex: 'basis',
            width: 96,
            render: (b: Basis) => (
              <Tag color={b === 'statutory' ? 'purple' : b === 'territorial' ? 'green' : 'blue'}>{BASIS_LABELS[b]}</Tag>
            ),
            filters: Object.entries(BASIS_LABELS).map(([value, text]) => ({ value, text })),
            filteredValue: byBasis.filteredValue,
          },
          { title: '层级', dataIndex: 'tier', width: 96, render: (t: Tier) => TIER_LABELS[t] },
          { title: '主办单位', dataIndex: 'lead_unit_id', render: (v: number) => ref.unitName(v) },
          {
            title: '协办单位',
            dataIndex: 'assist_unit_ids',
            render: (v: number[]) => (v.length ? v.map((id) => ref.unitName(id)).join('、') : '—'),
          },
          { title: '优先级', dataIndex: 'priority', width: 70 },
          { title: '备注', dataIndex: 'note', width: 120, ellipsis: true, render: (v: string | null) => v ?? '—' },
          {
            title: '启用',
            dataIndex: 'active',
            width: 80,
            render: (a: boolean, r) => (
              <Switch
                size="small"
                checked={a}
                loading={toggling === r.id}
                onChange={(v) =>
                  v
                    ? void toggle(r, v)
                    : // issue 14: a consequential change asks first — dispatch stops proposing this unit for the matter
                      modal.confirm({
                        title: `停用派单目录规则 #${r.id}？`,
                        content: `停用后，此类诉求不再按该规则建议派给「${ref.unitName(r.lead_unit_id)}」；可随时重新启用。`,
                        okText: '停用',
                        okButtonProps: { danger: true },
                        cancelText: '取消',
                        onOk: () => toggle(r, false),
                      })
                }
                aria-label={`启用规则${r.id}`}
              />
            ),
          },
        ]}
      />
      <FormModal<RuleForm>
        title="新增派单目录规则"
        open={creating}
        onClose={() => setCreating(false)}
        width={680}
        okText="保存"
        initialValues={{ tier: 'city', basis: 'statutory', priority: 0, assistUnitIds: [] }}
        onSubmit={async (v) => {
          const body: CatalogueRuleInput = {
            categoryId: v.categoryId ?? null,
            regionCode: v.regionCode ?? null,
            tier: v.tier,
            basis: v.basis,
            leadUnitId: v.leadUnitId!,
            assistUnitIds: v.assistUnitIds ?? [],
            priority: v.priority ?? 0,
            note: v.note?.trim() || null,
          };
          const created = await api.admin.createCatalogueRule(body);
          rules.setData([...(rules.data ?? []), created]);
          message.success(`已新增规则 #${created.id}`);
        }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="categoryId" label="事项分类" extra="不选表示任意分类">
              <CategoryCascader leafOnly={false} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="regionCode" label="行政区划" extra="不选表示任意区域">
              <RegionCascader />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="basis" label="派单依据" rules={[{ required: true, message: '请选择派单依据' }]}>
              <Select options={Object.entries(BASIS_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="tier" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
              <Select options={Object.entries(TIER_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="leadUnitId" label="主办单位" rules={[{ required: true, message: '请选择主办单位' }]}>
              <UnitSelect />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="assistUnitIds" label="协办单位">
              <UnitSelect multiple placeholder="可选" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="priority"
              label="优先级"
              extra="同样具体的规则中数值大者优先"
              rules={[
                { required: true, message: '请填写优先级' },
                { type: 'integer', message: '优先级须为整数' },
              ]}
            >
              <InputNumber precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="note" label="备注" rules={[{ max: 500, message: '备注不能超过 500 字' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item noStyle dependencies={['categoryId', 'regionCode']}>
          {({ getFieldValue }) =>
            !getFieldValue('categoryId') &&
            !getFieldValue('regionCode') && (
              <Typography.Text type="warning">既不限分类也不限区域的规则会匹配所有工单，请确认。</Typography.Text>
            )
          }
        </Form.Item>
      </FormModal>
    </>
  );
}
