import { useMemo } from 'react';
import { Table, Tag } from 'antd';
import type { Category } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { useReference } from '../../lib/reference';

interface Node extends Category { children?: Node[] }

/** 事项分类: the matter taxonomy tickets are filed under and the catalogue matches on. */
export default function CategoriesPage() {
  const ref = useReference();
  const tree = useMemo(() => {
    const nodes = new Map<number, Node>(ref.categories.map((c) => [c.id, { ...c }]));
    const roots: Node[] = [];
    for (const n of nodes.values()) {
      const p = n.parent_id ? nodes.get(n.parent_id) : undefined;
      if (p) (p.children ??= []).push(n);
      else roots.push(n);
    }
    return roots;
  }, [ref.categories]);
  return (
    <>
      <PageHeader title="事项分类" sub={`共 ${ref.categories.length} 个分类`} />
      <Table<Node>
        rowKey="id" size="small" dataSource={tree} pagination={false} scroll={{ y: 'calc(100vh - 220px)' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '代码', dataIndex: 'code', width: 160 },
          { title: '层级', dataIndex: 'level', width: 100, render: (l: number) => (l === 1 ? '大类' : '小类') },
          { title: '状态', dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
        ]}
      />
    </>
  );
}
