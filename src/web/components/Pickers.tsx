import { useMemo } from 'react';
import { Button, Cascader, Flex, Input, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../api/endpoints';
import type { Material } from '../api/types';
import { UNIT_KIND_LABELS } from '../lib/labels';
import { useReference } from '../lib/reference';
import { useAsync } from '../lib/useAsync';

interface Opt<V> {
  value: V;
  label: string;
  children?: Opt<V>[];
}

/** Units grouped by kind, searchable by name. `only` limits the choice (e.g. to consultation participants). */
export function UnitSelect(props: {
  value?: number | number[];
  /** number for a single choice, number[] with `multiple` */
  onChange?: (v: never) => void;
  multiple?: boolean;
  placeholder?: string;
  only?: number[];
  exclude?: number[];
  id?: string;
  disabled?: boolean;
  /** 无障碍: the name a screen reader gives a filter without a visible label (a labelled form item needs none) */
  'aria-label'?: string;
}) {
  const ref = useReference();
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; value: number }[]>();
    for (const u of ref.units) {
      if (!u.active || u.kind === 'centre') continue;
      if (props.only && !props.only.includes(u.id)) continue;
      if (props.exclude?.includes(u.id)) continue;
      const g = UNIT_KIND_LABELS[u.kind];
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push({ label: u.name, value: u.id });
    }
    return [...groups].map(([label, options]) => ({ label, title: label, options }));
  }, [ref.units, props.only, props.exclude]);
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      mode={props.multiple ? 'multiple' : undefined}
      value={props.value}
      onChange={props.onChange as ((v: unknown) => void) | undefined}
      options={options}
      placeholder={props.placeholder ?? '请选择单位'}
      showSearch
      optionFilterProp="label"
      allowClear
      disabled={props.disabled}
      style={{ width: '100%' }}
      maxTagCount="responsive"
    />
  );
}

/** A person with an account, searchable by name: who did something, in the audit screens' filters. */
export function UserSelect(props: {
  value?: number;
  onChange?: (v: number | undefined) => void;
  placeholder: string;
  'aria-label'?: string;
}) {
  const users = useAsync(() => api.admin.users(), []);
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={props.placeholder}
      aria-label={props['aria-label'] ?? props.placeholder}
      style={{ width: 140 }}
      loading={users.loading}
      value={props.value}
      onChange={props.onChange}
      options={(users.data ?? []).map((u) => ({ value: u.id, label: u.display_name }))}
    />
  );
}

function tree<T, V>(rows: T[], id: (r: T) => V, parent: (r: T) => V | null, label: (r: T) => string): Opt<V>[] {
  const byParent = new Map<V | null, T[]>();
  for (const r of rows) {
    const p = parent(r);
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p)!.push(r);
  }
  const known = new Set(rows.map(id));
  const make = (p: V | null): Opt<V>[] =>
    (byParent.get(p) ?? []).map((r) => {
      const children = make(id(r));
      return children.length ? { value: id(r), label: label(r), children } : { value: id(r), label: label(r) };
    });
  const roots = rows.filter((r) => parent(r) === null || !known.has(parent(r) as V)).map((r) => parent(r));
  return [...new Set(roots)].flatMap(make);
}

/** 事项分类 from /api/categories as parent/child; the value is the chosen category id. */
export function CategoryCascader({
  value,
  onChange,
  id,
  leafOnly = true,
  disabled,
  exclude,
  'aria-label': ariaLabel,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  id?: string;
  leafOnly?: boolean;
  disabled?: boolean;
  /** a category not offered (合并: the one being merged cannot be its own successor) */
  exclude?: number;
  /** 无障碍: the name of a filter without a visible label */
  'aria-label'?: string;
}) {
  const ref = useReference();
  const options = useMemo(
    () =>
      tree(
        exclude === undefined ? ref.categories : ref.categories.filter((c) => c.id !== exclude),
        (c) => c.id,
        (c) => c.parent_id,
        (c) => c.name,
      ),
    [ref.categories, exclude],
  );
  return (
    <Cascader
      id={id}
      aria-label={ariaLabel}
      options={options}
      // [] rather than undefined when empty: an undefined value makes antd's Cascader keep a choice of its own, so it
      // could show a pick its form never received (CI saw a region shown but not sent)
      value={value ? ref.categoryIdPath(value) : []}
      onChange={(path) => onChange?.(path?.length ? (path[path.length - 1] as number) : null)}
      changeOnSelect={!leafOnly}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      placeholder="请选择事项分类（可输入搜索）"
      disabled={disabled}
      style={{ width: '100%' }}
      expandTrigger="hover"
    />
  );
}

/** 行政区划 from /api/regions; any level may be chosen (a county when the town is unknown). */
export function RegionCascader({
  value,
  onChange,
  id,
  intake,
  'aria-label': ariaLabel,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
  /** where a new ticket is placed: retired grids are not offered (第二十九条); filters keep them, marked 已撤销 */
  intake?: boolean;
  /** 无障碍: the name of a filter without a visible label */
  'aria-label'?: string;
}) {
  const ref = useReference();
  const options = useMemo(
    () =>
      tree(
        intake ? ref.regions.filter((r) => !r.retired) : ref.regions,
        (r) => r.code,
        (r) => r.parent_code,
        (r) => (r.retired ? `${r.name}（已撤销）` : r.name),
      ),
    [ref.regions, intake],
  );
  return (
    <Cascader
      id={id}
      aria-label={ariaLabel}
      options={options}
      value={value ? ref.regionCodePath(value) : []} // [] not undefined: see CategoryCascader
      onChange={(path) => onChange?.(path?.length ? (path[path.length - 1] as string) : null)}
      changeOnSelect
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      placeholder="请选择行政区划（可输入搜索）"
      style={{ width: '100%' }}
      expandTrigger="hover"
    />
  );
}

/** Supporting materials as a list of names (file upload comes with the document store). */
export function MaterialsInput({
  value = [],
  onChange,
  id,
}: {
  value?: Material[];
  onChange?: (v: Material[]) => void;
  id?: string;
}) {
  const set = (i: number, name: string) => onChange?.(value.map((m, j) => (j === i ? { ...m, name } : m)));
  return (
    <Space direction="vertical" style={{ width: '100%' }} id={id}>
      {value.map((m, i) => (
        <Flex key={i} gap={8}>
          <Input
            value={m.name}
            onChange={(e) => set(i, e.target.value)}
            placeholder="材料名称，如：职责清单.pdf"
            maxLength={200}
            aria-label={`材料${i + 1}`}
          />
          <Button
            icon={<DeleteOutlined />}
            onClick={() => onChange?.(value.filter((_, j) => j !== i))}
            aria-label="删除材料"
          />
        </Flex>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange?.([...value, { name: '' }])} block>
        添加材料
      </Button>
    </Space>
  );
}

export const cleanMaterials = (m: Material[] | undefined) =>
  (m ?? []).map((x) => ({ ...x, name: x.name.trim() })).filter((x) => x.name);
