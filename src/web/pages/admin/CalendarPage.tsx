import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  List,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { api } from '../../api/endpoints';
import { serverNow } from '../../api/client';
import type { CalendarDay } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../lib/useAsync';
import { fmtDateTime } from '../../lib/format';
import { CalendarYearEditor } from './CalendarYearEditor';

const WEEK = ['一', '二', '三', '四', '五', '六', '日'];
const HOLIDAY_BG = '#fff1f0';
const WORKDAY_BG = '#e6f4ff';
const SOURCE_LABELS = { builtin: '内置数据', manual: '录入', import: '导入' } as const;

function MonthGrid({
  year,
  month,
  overrides,
  onPick,
}: {
  year: number;
  month: number;
  overrides: Map<string, CalendarDay>;
  onPick: (date: string) => void;
}) {
  const first = dayjs(new Date(year, month, 1));
  const lead = (first.day() + 6) % 7; // Monday first
  const days = first.daysInMonth();
  const cells: Array<string | null> = [
    ...Array<string | null>(lead).fill(null),
    ...Array.from({ length: days }, (_, i) => first.date(i + 1).format('YYYY-MM-DD')),
  ];
  return (
    <Card size="small" title={`${month + 1} 月`} styles={{ body: { padding: 6 } }}>
      <div
        style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, fontSize: 12, textAlign: 'center' }}
      >
        {WEEK.map((w, i) => (
          <div key={w} style={{ color: i >= 5 ? '#999' : '#555' }}>
            {w}
          </div>
        ))}
        {cells.map((d, i) => {
          if (!d) return <div key={`e${i}`} />;
          const o = overrides.get(d);
          const weekend = [0, 6].includes(dayjs(d).day());
          const bg = o?.kind === 'holiday' ? HOLIDAY_BG : o?.kind === 'workday' ? WORKDAY_BG : undefined;
          const color =
            o?.kind === 'holiday' ? '#cf1322' : o?.kind === 'workday' ? '#0958d9' : weekend ? '#737373' : '#333';
          return (
            <button
              key={d}
              type="button"
              onClick={() => onPick(d)}
              title={o ? `${d} ${o.kind === 'holiday' ? '休' : '班'}${o.name ? ` · ${o.name}` : ''}` : d}
              data-date={d}
              data-kind={o?.kind ?? ''}
              style={{
                border: 0,
                background: bg ?? 'transparent',
                color,
                borderRadius: 3,
                padding: '2px 0',
                cursor: 'pointer',
                position: 'relative',
                lineHeight: '16px',
                font: 'inherit',
              }}
            >
              {Number(d.slice(8))}
              {o && (
                <span style={{ position: 'absolute', top: -2, right: 0, fontSize: 9 }}>
                  {o.kind === 'holiday' ? '休' : '班'}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </Card>
  );
}

/** 工作日历: statutory holidays and make-up working days (调休) for one year; click a day to set or clear it. */
export default function CalendarPage() {
  const { message } = App.useApp();
  const [year, setYear] = useState(() => serverNow().getFullYear());
  const cal = useAsync(() => api.admin.calendar(year), [year]);
  // 第八条: which years are confirmed, and the warning while a date in the next 90 days is not
  const coverage = useAsync(() => api.admin.calendarCoverage(), []);
  const [editing, setEditing] = useState(false);
  const status = coverage.data?.years.find((y) => y.year === year);
  const reloadAll = () => {
    void cal.reload();
    void coverage.reload();
  };
  const confirmBuiltin = async () => {
    try {
      await api.admin.confirmBuiltinCalendarYear(year);
      message.success(`${year} 年内置节假日安排已确认`);
      reloadAll();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const [picked, setPicked] = useState<string | null>(null);
  const overrides = useMemo(() => new Map((cal.data?.overrides ?? []).map((d) => [d.date, d])), [cal.data]);
  const current = picked ? overrides.get(picked) : undefined;
  // Consecutive days with the same kind and name form one entry (e.g. 春节 02-15 至 02-23).
  const groups = useMemo(() => {
    const runs: CalendarDay[][] = [];
    for (const d of cal.data?.overrides ?? []) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (
        run &&
        last &&
        last.kind === d.kind &&
        last.name === d.name &&
        dayjs(d.date).diff(dayjs(last.date), 'day') === 1
      )
        run.push(d);
      else runs.push([d]);
    }
    return runs;
  }, [cal.data]);

  const clear = async () => {
    if (!picked) return;
    try {
      await api.admin.clearCalendarDay(picked);
      message.success(`${picked} 已恢复为普通日期`);
      setPicked(null);
      void cal.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <>
      <PageHeader
        title="工作日历"
        sub="节假日与调休工作日决定按工作日计算的办理时限"
        extra={
          <Space>
            <Tag color="red">休 节假日</Tag>
            <Tag color="blue">班 调休上班</Tag>
            <Select
              value={year}
              aria-label="年份"
              onChange={setYear}
              style={{ width: 110 }}
              options={Array.from({ length: 7 }, (_, i) => serverNow().getFullYear() - 3 + i).map((y) => ({
                value: y,
                label: `${y} 年`,
              }))}
            />
          </Space>
        }
      />
      <ErrorAlert message={cal.errorText} onRetry={() => void cal.reload()} />
      {coverage.data?.unconfirmedYears.map((y, i) => (
        <Alert
          key={y}
          type="warning"
          showIcon
          role="alert"
          data-unconfirmed-year={y}
          style={{ marginBottom: 8 }}
          message={coverage.data!.warnings[i]}
          action={
            <Button
              size="small"
              type="primary"
              onClick={() => {
                setYear(y);
                setEditing(true);
              }}
            >
              {coverage.data!.years.find((s) => s.year === y)?.days ? '核对并确认' : '录入并确认'} {y} 年
            </Button>
          }
        />
      ))}
      <Row gutter={12}>
        <Col span={19}>
          <Row gutter={[8, 8]}>
            {Array.from({ length: 12 }, (_, m) => (
              <Col span={6} key={m}>
                <MonthGrid year={year} month={m} overrides={overrides} onPick={setPicked} />
              </Col>
            ))}
          </Row>
        </Col>
        <Col span={5}>
          <Card
            size="small"
            title={`${year} 年节假日安排`}
            style={{ marginBottom: 8 }}
            data-year-status={status?.confirmed ? 'confirmed' : 'unconfirmed'}
          >
            {status?.confirmed ? (
              <Typography.Text style={{ fontSize: 12 }}>
                <Tag color="green">已确认</Tag>
                {status.confirmedBy ?? ''} {status.confirmedAt ? fmtDateTime(status.confirmedAt) : ''}（
                {SOURCE_LABELS[status.source ?? 'manual']}）
              </Typography.Text>
            ) : (
              <Typography.Text style={{ fontSize: 12 }}>
                <Tag color="orange">未确认</Tag>
                {status?.builtinAvailable ? <Tag>内置数据</Tag> : status && status.days === 0 ? '尚无节假日数据' : ''}
              </Typography.Text>
            )}
            <Flex gap={6} wrap style={{ marginTop: 8 }}>
              {status && !status.confirmed && status.builtinAvailable && (
                <Popconfirm
                  title={`确认 ${year} 年按内置数据（国务院办公厅通知）执行？`}
                  okText="确认"
                  cancelText="取消"
                  onConfirm={() => void confirmBuiltin()}
                >
                  <Button size="small" type="primary">
                    确认内置数据
                  </Button>
                </Popconfirm>
              )}
              <Button size="small" onClick={() => setEditing(true)}>
                {status?.confirmed ? '修改本年安排' : '录入本年安排'}
              </Button>
            </Flex>
          </Card>
          <Card size="small" loading={cal.loading && !cal.data}>
            <Statistic title={`${year} 年工作日`} value={cal.data?.workingDays ?? 0} suffix="天" />
          </Card>
          <Card size="small" title="节假日与调休" style={{ marginTop: 8 }} styles={{ body: { padding: 8 } }}>
            {/* 无障碍: the scrolling list is a Tab stop, so it scrolls by keyboard too */}
            <div
              tabIndex={0}
              role="region"
              aria-label="节假日与调休列表"
              style={{ maxHeight: 'calc(100vh - 346px)', overflow: 'auto' }}
            >
              <List
                size="small"
                dataSource={groups}
                locale={{ emptyText: '本年没有设置节假日或调休' }}
                renderItem={(g) => (
                  <List.Item style={{ padding: '4px 0' }}>
                    <div>
                      <Tag color={g[0]!.kind === 'holiday' ? 'red' : 'blue'}>
                        {g[0]!.kind === 'holiday' ? '休' : '班'}
                      </Tag>
                      {g[0]!.name ?? '未命名'}
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        {g.length === 1
                          ? g[0]!.date.slice(5)
                          : `${g[0]!.date.slice(5)} 至 ${g[g.length - 1]!.date.slice(5)}（${g.length} 天）`}
                      </Typography.Text>
                    </div>
                  </List.Item>
                )}
              />
            </div>
          </Card>
        </Col>
      </Row>
      <CalendarYearEditor year={year} open={editing} onClose={() => setEditing(false)} onConfirmed={reloadAll} />
      <FormModal<{ kind: CalendarDay['kind']; name?: string }>
        title={picked ? `设置 ${picked}（星期${WEEK[(dayjs(picked).day() + 6) % 7]}）` : ''}
        open={picked !== null}
        onClose={() => setPicked(null)}
        okText="保存"
        initialValues={{
          kind: current?.kind ?? ([0, 6].includes(dayjs(picked ?? undefined).day()) ? 'workday' : 'holiday'),
          name: current?.name ?? '',
        }}
        onSubmit={async (v) => {
          await api.admin.setCalendarDay(picked!, v.kind, v.name?.trim() || null);
          message.success(`${picked} 已设为${v.kind === 'holiday' ? '节假日' : '调休工作日'}`);
          void cal.reload();
        }}
      >
        <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'holiday', label: '节假日（休）' },
              { value: 'workday', label: '调休工作日（班）' },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ max: 50, message: '名称不能超过 50 字' }]}>
          <Input placeholder="如：劳动节" />
        </Form.Item>
        {current && (
          <Flex justify="space-between" align="center">
            <Typography.Text type="secondary">
              当前：{current.kind === 'holiday' ? '节假日' : '调休工作日'}
              {current.name ? ` · ${current.name}` : ''}
            </Typography.Text>
            {/* issue 14: changing the calendar moves every deadline computed after it — ask first */}
            <Popconfirm
              title={`将 ${picked} 恢复为普通日期？`}
              description="此后计算的办理时限将按普通日期（周一至周五上班）计算。"
              okText="恢复"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => clear()}
            >
              <Button danger size="small">
                恢复为普通日期
              </Button>
            </Popconfirm>
          </Flex>
        )}
      </FormModal>
    </>
  );
}
