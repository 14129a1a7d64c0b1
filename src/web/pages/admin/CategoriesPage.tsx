import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Popconfirm, Segmented, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { Category } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { CategoryCascader } from '../../components/Pickers';
import { downloadTable } from '../../lib/csv';
import { useReference, useReferenceState } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { categoryTree, type CategoryNode as Node } from '../../lib/category-tree';
import { showFieldErrors } from './serverErrors';

type Editing = { kind: 'add'; parent: Category | null } | { kind: 'rename'; category: Category };
type Shown = 'active' | 'all';

const levelName = (l: number) => (l === 1 ? '大类' : l === 2 ? '小类' : `第 ${l} 级`);

/** 启用 / 停用 / 已合并到「…」: how a category stands, in words (the table's tag and the export's cell). */
function statusText(c: Category, name: (id: number) => string): string {
  if (c.active) return '启用';
  return c.replaced_by_id ? `已合并到「${name(c.replaced_by_id)}」` : '停用';
}

/** The tree the table shows, one row per category in its order, with its path (the export). */
function categoryRows(tree: Node[], name: (id: number) => string): [string[], Array<Array<string | number>>] {
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
        statusText(c, name),
      ]);
      walk(c.children ?? [], mine);
    }
  };
  walk(tree, []);
  return [['代码', '分类路径', '名称', '层级', '关键词（智能分类）', '状态'], rows];
}

/**
 * 事项分类: the matter taxonomy tickets are filed under and the catalogue matches on. Admins add, rename, merge (合并:
 * 智能分类 learns the merged category's tickets as its successor's), deactivate and take back into use; retired and
 * merged categories are listed on demand.
 */
export default function CategoriesPage() {
  const { reload: reloadReference } = useReferenceState();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [merging, setMerging] = useState<Category | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [shown, setShown] = useState<Shown>('active');
  const all = useAsync(() => api.admin.categories(), []);
  const categories = useMemo(() => all.data ?? [], [all.data]);
  const byId = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories]);
  const name = (id: number) => byId.get(id)?.name ?? `分类 ${id}`;
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  const listed = useMemo(
    () => (shown === 'all' ? categories : categories.filter((c) => c.active)),
    [categories, shown],
  );
  const { tree, opened } = useMemo(() => categoryTree(listed, query), [listed, query]);
  // a search opens the way to every match — also when the categories arrive after it was typed (a search on the
  // still-empty list opened nothing, and the matches stayed folded); the admin folds and unfolds freely from there
  useEffect(() => {
    if (query.trim()) setExpanded(opened);
  }, [query, opened]);
  const search = (q: string) => setQuery(q);
  const retired = categories.length - categories.filter((c) => c.active).length;
  // a merge needs a leaf: no category in use below it
  const hasActiveChildren = useMemo(
    () => new Set(categories.filter((c) => c.active && c.parent_id).map((c) => c.parent_id!)),
    [categories],
  );
  const changed = () => {
    void all.reload();
    reloadReference();
  };

  const setActive = async (c: Category, active: boolean) => {
    setBusy(c.id);
    try {
      await api.admin.updateCategory(c.id, { active });
      changed();
      message.success(active ? `已启用分类「${c.name}」` : `已停用分类「${c.name}」`);
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
        sub={`启用 ${categories.length - retired} 个，停用或已合并 ${retired} 个`}
        extra={
          <>
            <Input.Search
              allowClear
              aria-label="搜索分类"
              placeholder="名称、代码或关键词"
              style={{ width: 220 }}
              onSearch={search}
              onChange={(e) => {
                if (!e.target.value) search('');
              }}
            />
            <Segmented<Shown>
              aria-label="显示哪些分类"
              value={shown}
              onChange={setShown}
              options={[
                { label: '启用中', value: 'active' },
                { label: '全部（含停用、已合并）', value: 'all' },
              ]}
            />
            <ExportMenu
              testId="categories-export"
              disabled={!categories.length}
              onExport={(format) => downloadTable(format, '事项分类', ...categoryRows(tree, name))}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'add', parent: null })}>
              新增大类
            </Button>
          </>
        }
      />
      <ErrorAlert message={all.errorText} onRetry={() => void all.reload()} />
      <Table<Node>
        rowKey="id"
        size="small"
        loading={all.loading && !all.data}
        dataSource={tree}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: setExpanded,
        }}
        locale={{ emptyText: query.trim() ? `没有名称、代码或关键词包含「${query.trim()}」的分类` : undefined }}
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
            width: 90,
            render: levelName,
          },
          {
            title: '状态',
            key: 'status',
            width: 190,
            render: (_: unknown, c: Node) =>
              c.active ? (
                <Tag color="green">启用</Tag>
              ) : c.replaced_by_id ? (
                <Tag color="blue">{statusText(c, name)}</Tag>
              ) : (
                <Tag>停用</Tag>
              ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 270,
            render: (_: unknown, c: Node) =>
              c.active ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing({ kind: 'add', parent: c })}>
                    新增子类
                  </Button>
                  <Button type="link" size="small" onClick={() => setEditing({ kind: 'rename', category: c })}>
                    编辑
                  </Button>
                  {!hasActiveChildren.has(c.id) && (
                    <Button type="link" size="small" onClick={() => setMerging(c)}>
                      合并到…
                    </Button>
                  )}
                  <Popconfirm
                    title={`停用分类「${c.name}」？`}
                    description={
                      c.children?.some((x) => x.active)
                        ? '其下级分类不会自动停用；停用后新工单不能再选此分类。'
                        : '停用后新工单不能再选此分类。'
                    }
                    okText="停用"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => setActive(c, false)}
                  >
                    <Button type="link" size="small" danger loading={busy === c.id}>
                      停用
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing({ kind: 'rename', category: c })}>
                    编辑
                  </Button>
                  <Popconfirm
                    title={`重新启用分类「${c.name}」？`}
                    description={
                      c.replaced_by_id
                        ? `启用后不再并入「${name(c.replaced_by_id)}」：智能分类重新训练后将其作为独立分类学习。`
                        : '启用后新工单可以再选此分类。'
                    }
                    okText="启用"
                    cancelText="取消"
                    onConfirm={() => setActive(c, true)}
                  >
                    <Button type="link" size="small" loading={busy === c.id}>
                      启用
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
            changed();
            message.success(editing.kind === 'add' ? `已新增分类「${c.name}」` : `已保存分类「${c.name}」`);
          }}
        />
      )}
      {merging && (
        <MergeModal
          category={merging}
          onClose={() => setMerging(null)}
          onMerged={(into) => {
            changed();
            message.success(`已将分类「${merging.name}」合并到「${into}」`);
          }}
        />
      )}
    </>
  );
}

/**
 * 合并到…: the successor is picked among the categories in use (leaves only); the dialog says what a merge does and
 * does not do, since it is not undone by a click (taking the category back into use is, and says so).
 */
function MergeModal({
  category,
  onClose,
  onMerged,
}: {
  category: Category;
  onClose: () => void;
  onMerged: (intoName: string) => void;
}) {
  const ref = useReference();
  const [form] = Form.useForm<{ intoId: number | null }>();
  return (
    <FormModal<{ intoId: number | null }>
      title={`合并分类：${ref.categoryPath(category.id)}`}
      open
      form={form}
      onClose={onClose}
      okText="合并"
      danger
      onSubmit={async (v) => {
        try {
          await api.admin.mergeCategory(category.id, { intoId: v.intoId! });
          onMerged(ref.categoryPath(v.intoId));
        } catch (e) {
          showFieldErrors(form, e);
        }
      }}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="合并后本分类停用，新工单不能再选；已有工单保留原分类。"
        description="在用模型随即把本分类的建议改为目标分类；一小时内自动重新训练时，本分类的历史工单、名称和关键词都计入目标分类。重新启用本分类即取消合并。"
      />
      <Form.Item
        name="intoId"
        label="合并到"
        extra="须为启用中的末级分类"
        rules={[{ required: true, message: '请选择目标分类' }]}
      >
        <CategoryCascader exclude={category.id} aria-label="合并到" />
      </Form.Item>
    </FormModal>
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
