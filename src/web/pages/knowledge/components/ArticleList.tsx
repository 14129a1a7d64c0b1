import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Card, Flex, Input, Segmented, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import {
  authoringApi,
  type ArticleListItem,
  type ListArticlesInput,
  type WorkingState,
} from '../../../api/knowledge-authoring';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { UnitSelect } from '../../../components/Pickers';
import { ExportMenu } from '../../../components/ExportMenu';
import { downloadTable } from '../../../lib/csv';
import type { ExportFormat } from '../../../lib/export-file';
import { fmtDate, fmtDateTime } from '../../../lib/format';
import { useKeysetList } from '../../../lib/useKeysetList';
import { useReference } from '../../../lib/reference';
import { FreshnessTag, rowStateText, VISIBILITY_LABELS, WORKING_STATE_LABELS, WorkingStateTag } from './labels';
import { LoadMore } from '../../../components/LoadMore';

// 第十八条: a list of articles as the API offers it — filters on indexed columns, keyset 加载更多, and the CSV of what
// is on screen. Used by the unit's screen (its own articles) and the centre's (all articles).

export interface ListPreset {
  key: string;
  label: string;
  query: ListArticlesInput;
}

export function ArticleList({
  presets,
  showUnit = false,
  csvName,
  extra,
}: {
  /** fixed filters of this view; more than one shows a switch */
  presets: ListPreset[];
  showUnit?: boolean;
  csvName: string;
  extra?: ReactNode;
}) {
  const ref = useReference();
  const [presetKey, setPresetKey] = useState(presets[0]!.key);
  const preset = presets.find((p) => p.key === presetKey) ?? presets[0]!;
  const [workingState, setWorkingState] = useState<WorkingState | undefined>();
  const [unitId, setUnitId] = useState<number | undefined>();
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const fixedState = preset.query.workingState !== undefined || preset.query.status !== undefined;
  const query: ListArticlesInput = {
    ...preset.query,
    workingState: preset.query.workingState ?? (fixedState ? undefined : workingState),
    ownerUnitId: showUnit ? unitId : undefined,
    categoryId,
    q: q.trim() || undefined,
    limit: 50,
  };
  const key = JSON.stringify(query);
  const list = useKeysetList<ArticleListItem, string>(key, async (cursor) => {
    const page = await authoringApi.list({ ...query, cursor: cursor ?? undefined });
    return { items: page.items, next: page.nextCursor };
  });

  const categoryTree = useMemo(() => {
    const by = new Map<number | null, typeof ref.categories>();
    for (const c of ref.categories) by.set(c.parent_id, [...(by.get(c.parent_id) ?? []), c]);
    type N = { value: number; title: string; children?: N[] };
    const make = (p: number | null): N[] =>
      (by.get(p) ?? []).map((c) => {
        const children = make(c.id);
        return children.length ? { value: c.id, title: c.name, children } : { value: c.id, title: c.name };
      });
    return make(null);
  }, [ref]);

  const exportTable = (format: ExportFormat) =>
    downloadTable(
      format,
      `${csvName}.csv`,
      [
        '标题',
        '所属单位',
        '状态',
        '公开范围',
        '事项分类',
        '版本数',
        '失效日期',
        '最近复核',
        '引用次数',
        '待处理纠错',
        '更新时间',
      ],
      list.items.map((r) => [
        r.title,
        r.ownerUnitName,
        rowStateText(r) + (r.withdrawRequested ? '，申请下架' : ''),
        r.visibility ? VISIBILITY_LABELS[r.visibility] : '',
        (r.categoryIds ?? []).map((c) => ref.categoryPath(c)).join('；'),
        r.versionCount,
        r.expiresOn ?? '长期',
        fmtDate(r.reviewedAt),
        r.useCount,
        r.openFlagCount,
        fmtDateTime(r.updatedAt),
      ]),
    );

  return (
    <Card size="small">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        {presets.length > 1 && (
          <Segmented
            value={presetKey}
            onChange={(v) => setPresetKey(String(v))}
            options={presets.map((p) => ({ value: p.key, label: p.label }))}
          />
        )}
        {showUnit && (
          <div style={{ width: 200 }}>
            <UnitSelect
              value={unitId}
              onChange={(v: number | undefined) => setUnitId(v ?? undefined)}
              placeholder="全部单位"
              aria-label="单位"
            />
          </div>
        )}
        {!fixedState && (
          <Select<WorkingState>
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            value={workingState}
            onChange={setWorkingState}
            options={(Object.keys(WORKING_STATE_LABELS) as WorkingState[]).map((s) => ({
              value: s,
              label: WORKING_STATE_LABELS[s],
            }))}
            aria-label="状态"
          />
        )}
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder="全部分类"
          style={{ width: 200 }}
          treeData={categoryTree}
          value={categoryId}
          onChange={(v: number | undefined) => setCategoryId(v ?? undefined)}
          aria-label="事项分类"
        />
        <Input.Search
          allowClear
          placeholder="标题关键词"
          style={{ width: 200 }}
          onSearch={(v) => setQ(v)}
          aria-label="标题关键词"
          maxLength={50}
        />
        <Space style={{ marginLeft: 'auto' }}>
          {extra}
          <ExportMenu disabled={!list.items.length} onExport={exportTable} />
        </Space>
      </Flex>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<ArticleListItem>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="knowledge-list"
        locale={{ emptyText: '没有符合条件的知识' }}
        columns={[
          {
            title: '标题',
            render: (_, r) => (
              <Space size={4} wrap>
                <Link to={`/knowledge/articles/${r.id}`}>{r.title}</Link>
                {r.withdrawRequested && <Tag color="magenta">申请下架</Tag>}
                {r.openFlagCount > 0 && <Tag color="red">纠错 {r.openFlagCount}</Tag>}
              </Space>
            ),
          },
          ...(showUnit ? [{ title: '所属单位', dataIndex: 'ownerUnitName', width: 170 }] : []),
          {
            title: '状态',
            width: 190,
            render: (_, r) => (
              <Space size={2} wrap>
                <WorkingStateTag state={r.workingState} />
                {r.status === 'published' && <FreshnessTag value={r.freshness} />}
              </Space>
            ),
          },
          {
            title: '分类',
            width: 150,
            render: (_, r) => (
              <Typography.Text ellipsis style={{ maxWidth: 140 }}>
                {(r.categoryIds ?? []).map((c) => ref.categoryName(c)).join('、') || '—'}
              </Typography.Text>
            ),
          },
          { title: '版本', width: 56, render: (_, r) => `v${r.versionCount}` },
          { title: '失效日期', width: 100, render: (_, r) => r.expiresOn ?? '长期' },
          { title: '最近复核', width: 100, render: (_, r) => fmtDate(r.reviewedAt) },
          { title: '更新时间', width: 140, render: (_, r) => fmtDateTime(r.updatedAt) },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}
