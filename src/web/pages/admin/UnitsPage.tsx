import { useMemo } from 'react';
import { Table, Tabs, Tag } from 'antd';
import type { Region, Unit } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { TIER_LABELS, UNIT_KIND_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';

interface RegionNode extends Region { children?: RegionNode[] }
const LEVELS = ['', '市', '县区', '乡镇街道', '社区网格'];

/** 单位与区划: the units that handle tickets with the regions they answer for, and the division tree. */
export default function UnitsPage() {
  const ref = useReference();
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
      <PageHeader title="单位与区划" sub="承办单位、热线工作机构及其负责区域" />
      <Tabs
        items={[
          {
            key: 'units', label: `单位（${ref.units.length}）`,
            children: (
              <Table<Unit>
                rowKey="id" size="small" dataSource={ref.units} pagination={{ pageSize: 15, hideOnSinglePage: true }} scroll={{ y: 'calc(100vh - 330px)' }}
                columns={[
                  { title: '代码', dataIndex: 'code', width: 100 },
                  { title: '名称', dataIndex: 'name' },
                  { title: '类型', dataIndex: 'kind', width: 120, render: (k: Unit['kind']) => UNIT_KIND_LABELS[k], filters: Object.entries(UNIT_KIND_LABELS).map(([value, text]) => ({ value, text })), onFilter: (v, u) => u.kind === v },
                  { title: '层级', dataIndex: 'tier', width: 100, render: (t: Unit['tier']) => TIER_LABELS[t] },
                  { title: '上级单位', dataIndex: 'parent_id', width: 150, render: (p: number | null) => (p ? ref.unitName(p) : '—') },
                  { title: '负责区域', dataIndex: 'region_codes', render: (c: string[]) => c.map((x) => ref.regionName(x)).join('、') },
                  { title: '全天候', dataIndex: 'is_24x7', width: 80, render: (v: boolean) => (v ? <Tag color="orange">7×24</Tag> : '—') },
                  { title: '状态', dataIndex: 'active', width: 70, render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
                ]}
              />
            ),
          },
          {
            key: 'regions', label: `行政区划（${ref.regions.length}）`,
            children: (
              <Table<RegionNode>
                rowKey="code" size="small" dataSource={tree} pagination={false} expandable={{ defaultExpandAllRows: true }} scroll={{ y: 'calc(100vh - 330px)' }}
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
    </>
  );
}
