import type { ReactNode } from 'react';
import { Button, DatePicker, Form } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';

/** A filter's date range as the APIs take it: local days, both ends included. */
export interface DayRange {
  from?: string;
  to?: string;
}

/**
 * The filter row above a list: the page's own fields (`Form.Item`s named after the values), optionally a date range,
 * and 查询, which hands the values to `onSearch` — the range as `from`/`to` days, empty text left out — so every
 * list filters alike and nothing is fetched while a person is still choosing.
 */
export function FilterForm<T extends object>({
  onSearch,
  children,
  range,
  initialValues,
}: {
  onSearch: (values: T & DayRange) => void;
  children: ReactNode;
  /** the date range's two placeholders (start, end); none: no date range */
  range?: [string, string];
  initialValues?: Partial<T>;
}) {
  return (
    <Form
      layout="inline"
      style={{ marginBottom: 12, rowGap: 8 }}
      initialValues={initialValues}
      onFinish={(v: T & { range?: [Dayjs, Dayjs] | null }) => {
        const { range: days, ...rest } = v;
        const values = Object.fromEntries(
          Object.entries(rest).map(([k, x]) => [k, typeof x === 'string' ? x.trim() || undefined : (x ?? undefined)]),
        ) as T;
        onSearch({ ...values, from: days?.[0]?.format('YYYY-MM-DD'), to: days?.[1]?.format('YYYY-MM-DD') });
      }}
    >
      {children}
      {range && (
        <Form.Item name="range">
          <DatePicker.RangePicker placeholder={range} aria-label="日期范围" style={{ width: 240 }} />
        </Form.Item>
      )}
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          查询
        </Button>
      </Form.Item>
    </Form>
  );
}
