import { useState } from 'react';
import { App, Button, DatePicker, Dropdown, Flex, Form, Input, Select, Tooltip } from 'antd';
import { DeleteOutlined, FilterOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { ViewScreen } from '../../shared/contracts/saved-views';
import { errorMessage } from '../api/client';
import { savedViewsApi } from '../api/saved-views';
import { CHANNEL_LABELS } from '../lib/labels';
import { useAsync } from '../lib/useAsync';
import { useListFilters } from '../lib/useListFilters';
import { FormModal } from './FormModal';
import { CategoryCascader, RegionCascader, UnitSelect } from './Pickers';

const DEADLINE_OPTIONS = [
  { value: 'overdue', label: '已超期' },
  { value: 'warning', label: '即将超期' },
];
const CHANNEL_OPTIONS = Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }));

/**
 * Issue 14 "Every list": the filters of a ticket list (date range, category, region, lead unit, channel, deadline
 * state), kept in the URL, and the person's saved views of this screen. Status stays the page's own control.
 */
export function ListFilterBar({ screen, showUnit = false }: { screen: ViewScreen; showUnit?: boolean }) {
  const { filters, set, current, apply, active } = useListFilters();
  return (
    <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="list-filters">
      <DatePicker.RangePicker
        aria-label="受理日期范围"
        placeholder={['受理开始日期', '结束日期']}
        style={{ width: 260 }}
        value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
        onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
      />
      <div style={{ width: 220 }}>
        <CategoryCascader
          leafOnly={false}
          value={filters.categoryId ?? null}
          onChange={(v) => set({ categoryId: v })}
          aria-label="事项分类"
        />
      </div>
      <div style={{ width: 200 }}>
        <RegionCascader value={filters.regionCode ?? null} onChange={(v) => set({ regionCode: v })} aria-label="区域" />
      </div>
      {showUnit && (
        <div style={{ width: 220 }}>
          <UnitSelect
            value={filters.unitId}
            onChange={(v: number | undefined) => set({ unitId: v })}
            placeholder="主办单位"
            aria-label="按主办单位筛选"
          />
        </div>
      )}
      <Select
        allowClear
        aria-label="渠道"
        placeholder="渠道"
        style={{ width: 110 }}
        options={CHANNEL_OPTIONS}
        value={filters.channel}
        onChange={(v?: string) => set({ channel: v })}
      />
      <Select
        allowClear
        aria-label="时限状态"
        placeholder="时限状态"
        style={{ width: 120 }}
        options={DEADLINE_OPTIONS}
        value={filters.deadline}
        onChange={(v?: string) => set({ deadline: v })}
      />
      {active && (
        <Button
          icon={<FilterOutlined />}
          onClick={() =>
            set({
              from: null,
              to: null,
              categoryId: null,
              regionCode: null,
              channel: null,
              deadline: null,
              unitId: null,
            })
          }
        >
          清除筛选
        </Button>
      )}
      <SavedViews screen={screen} current={current} apply={apply} />
    </Flex>
  );
}

/** 保存的视图: the person's named filter sets for this screen — apply, save the current one, delete. */
function SavedViews({
  screen,
  current,
  apply,
}: {
  screen: ViewScreen;
  current: Record<string, string>;
  apply: (v: Record<string, string>) => void;
}) {
  const { message, modal } = App.useApp();
  const views = useAsync(() => savedViewsApi.list(screen), [screen]);
  const [saving, setSaving] = useState(false);
  const items = views.data?.items ?? [];
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            ...items.map((v) => ({
              key: String(v.id),
              label: (
                <Flex justify="space-between" gap={16} align="center" data-testid={`saved-view-${v.name}`}>
                  <span>{v.name}</span>
                  <Tooltip title="删除此视图">
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除视图 ${v.name}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        modal.confirm({
                          title: `删除视图“${v.name}”？`,
                          okText: '删除',
                          okButtonProps: { danger: true },
                          cancelText: '取消',
                          onOk: async () => {
                            try {
                              await savedViewsApi.remove(v.id);
                              message.success('视图已删除');
                              void views.reload();
                            } catch (err) {
                              message.error(errorMessage(err));
                            }
                          },
                        });
                      }}
                    />
                  </Tooltip>
                </Flex>
              ),
              onClick: () => apply(v.params),
            })),
            ...(items.length ? [{ type: 'divider' as const }] : []),
            { key: 'save', icon: <SaveOutlined />, label: '保存当前筛选为视图…', onClick: () => setSaving(true) },
          ],
        }}
      >
        <Button data-testid="saved-views">保存的视图{items.length ? `（${items.length}）` : ''}</Button>
      </Dropdown>
      <FormModal<{ name: string }>
        title="保存当前筛选为视图"
        open={saving}
        onClose={() => setSaving(false)}
        okText="保存"
        onSubmit={async (v) => {
          await savedViewsApi.save(screen, v.name.trim(), current);
          message.success(`已保存视图“${v.name.trim()}”`);
          void views.reload();
        }}
      >
        <Form.Item
          name="name"
          label="视图名称"
          extra="同名视图将被覆盖；每个列表最多保存 20 个视图。"
          rules={[{ required: true, whitespace: true, message: '请填写视图名称' }]}
        >
          <Input maxLength={30} placeholder="如：牡丹区 即将超期" />
        </Form.Item>
      </FormModal>
    </>
  );
}
