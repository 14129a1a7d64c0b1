import { useMemo, useState } from 'react';
import { App, Button, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { Category } from '../../api/types';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useReference, useReferenceState } from '../../lib/reference';
import { showFieldErrors } from './serverErrors';

interface Node extends Category {
  children?: Node[];
}
type Editing = { kind: 'add'; parent: Category | null } | { kind: 'rename'; category: Category };

const levelName = (l: number) => (l === 1 ? '大类' : l === 2 ? '小类' : `第 ${l} 级`);

/** The tree the table shows, one row per category in its order, with its path (the export). */
function categoryRows(tree: Node[]): [string[], Array<Array<string | number>>] {
  const rows: Array<Array<string | number>> = [];
  const walk = (nodes: Node[], path: string[]) => {
    for (const c of nodes) {
      const mine = [...path, c.name];
      rows.push([
        c.code,
        mine.join(' / '),
        c.name,
        levelName(c.level),
        (c.keywords ?? []).join('、'),
        c.active ? '启用' : '停用',
      ]);
      walk(c.children ?? [], mine);
    }
  };
  walk(tree, []);
  return [['代码', '分类路径', '名称', '层级', '关键词（智能分类）', '状态'], rows];
}

/** 事项分类: the matter taxonomy tickets are filed under and the catalogue matches on. Admins add, rename and deactivate. */
export default function CategoriesPage() {
  const ref = useReference();
  const { reload } = useReferenceState();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
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

  const deactivate = async (c: Category) => {
    setBusy(c.id);
    try {
      await api.admin.updateCategory(c.id, { active: false });
      reload();
      message.success(`已停用分类「${c.name}」`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader
        title="事项分类"
        sub={`共 ${ref.categories.length} 个分类`}
        extra={
          <>
            <ExportMenu
              testId="categories-export"
              disabled={!ref.categories.length}
              onExport={(format) => downloadTable(format, '事项分类', ...categoryRows(tree))}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'add', parent: null })}>
              新增大类
            </Button>
          </>
        }
      />
      <Table<Node>
        rowKey="id"
        size="small"
        dataSource={tree}
        pagination={false}
        scroll={{ y: 'calc(100vh - 220px)' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '代码', dataIndex: 'code', width: 160 },
          {
            title: '关键词（智能分类）',
            dataIndex: 'keywords',
            render: (k: string[] | undefined) => (k ?? []).map((w) => <Tag key={w}>{w}</Tag>),
          },
          {
            title: '层级',
            dataIndex: 'level',
            width: 100,
            render: levelName,
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 90,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            key: 'actions',
            width: 220,
            render: (_: unknown, c: Node) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing({ kind: 'add', parent: c })}>
                  新增子类
                </Button>
                <Button type="link" size="small" onClick={() => setEditing({ kind: 'rename', category: c })}>
                  编辑
                </Button>
                <Popconfirm
                  title={`停用分类「${c.name}」？`}
                  description={
                    c.children?.length
                      ? '其下级分类不会自动停用；停用后新工单不能再选此分类。'
                      : '停用后新工单不能再选此分类。'
                  }
                  okText="停用"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => deactivate(c)}
                >
                  <Button type="link" size="small" danger loading={busy === c.id}>
                    停用
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <CategoryFormModal
          key={editing.kind === 'add' ? `add-${editing.parent?.id ?? 0}` : `rename-${editing.category.id}`}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(c) => {
            reload();
            message.success(editing.kind === 'add' ? `已新增分类「${c.name}」` : `已保存分类「${c.name}」`);
          }}
        />
      )}
    </>
  );
}

function CategoryFormModal({
  editing,
  onClose,
  onSaved,
}: {
  editing: Editing;
  onClose: () => void;
  onSaved: (c: Category) => void;
}) {
  const ref = useReference();
  const [form] = Form.useForm<{ code?: string; name: string; keywords?: string[] }>();
  const adding = editing.kind === 'add';
  const parent = adding ? editing.parent : null;
  return (
    <FormModal<{ code?: string; name: string; keywords?: string[] }>
      title={
        adding ? (parent ? `新增子类：${ref.categoryPath(parent.id)}` : '新增大类') : `编辑：${editing.category.name}`
      }
      open
      form={form}
      onClose={onClose}
      okText="保存"
      initialValues={
        adding
          ? { code: parent ? `${parent.code}-` : '' }
          : { name: editing.category.name, keywords: editing.category.keywords ?? [] }
      }
      onSubmit={async (v) => {
        try {
          if (editing.kind === 'add')
            onSaved(
              await api.admin.createCategory({
                code: v.code!.trim(),
                name: v.name.trim(),
                parentId: parent?.id ?? null,
              }),
            );
          else
            onSaved(
              await api.admin.updateCategory(editing.category.id, { name: v.name.trim(), keywords: v.keywords ?? [] }),
            );
        } catch (e) {
          showFieldErrors(form, e);
        }
      }}
    >
      {adding && (
        <Form.Item
          name="code"
          label="分类代码"
          extra="字母、数字、短横线或下划线，全局唯一，创建后不可修改"
          rules={[
            { required: true, whitespace: true, message: '请填写分类代码' },
            { min: 2, message: '分类代码至少 2 个字符' },
            { max: 30, message: '分类代码不能超过 30 个字符' },
            { pattern: /^[A-Za-z0-9_-]+$/, message: '分类代码只能包含字母、数字、短横线和下划线' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item
        name="name"
        label="分类名称"
        rules={[
          { required: true, whitespace: true, message: '请填写分类名称' },
          { max: 50, message: '分类名称不能超过 50 个字' },
        ]}
      >
        <Input />
      </Form.Item>
      {!adding && (
        <Form.Item
          name="keywords"
          label="关键词"
          extra="市民常用的说法（如「声控灯」「井盖」），作为智能分类的先验：新平台第一天即可据此给出建议"
          rules={[{ type: 'array', max: 30, message: '关键词最多 30 个' }]}
        >
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} aria-label="关键词" />
        </Form.Item>
      )}
    </FormModal>
  );
}
