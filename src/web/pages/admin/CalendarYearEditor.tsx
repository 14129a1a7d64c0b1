import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Space, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/endpoints';
import { ApiError, errorMessage } from '../../api/client';
import type { CalendarYearArrangement, YearArrangement } from '../../api/types';

interface FormValues {
  holidays: Array<{ name: string; range: [Dayjs, Dayjs] }>;
  workdays: Array<{ date: Dayjs; name?: string | null }>;
}

const D = 'YYYY-MM-DD';
const toForm = (a: YearArrangement): FormValues => ({
  holidays: a.holidays.map((h) => ({ name: h.name, range: [dayjs(h.from), dayjs(h.to)] })),
  workdays: a.workdays.map((w) => ({ date: dayjs(w.date), name: w.name ?? '' })),
});
const fromForm = (v: FormValues): YearArrangement => ({
  holidays: (v.holidays ?? []).map((h) => ({
    name: h.name.trim(),
    from: h.range[0].format(D),
    to: h.range[1].format(D),
  })),
  workdays: (v.workdays ?? []).map((w) => ({ date: w.date.format(D), name: w.name?.trim() || null })),
});
/** The server's list of problems (details.issues), else its message. */
const problems = (e: unknown): string[] => {
  const issues =
    e instanceof ApiError ? (e.details as { issues?: Array<{ message: string }> } | undefined)?.issues : undefined;
  return issues?.length ? issues.map((i) => i.message) : [errorMessage(e)];
};
const PREFILL: Record<CalendarYearArrangement['prefill'], string> = {
  database: '系统中现有的数据',
  builtin: '内置数据（chinese-days）',
  empty: '空白',
};

/**
 * 第八条: enter a year's holiday arrangement (节假日 ranges and 调休上班 days) by hand or from a file
 * (docs/calendar-import.md), check it, and confirm it. Confirming replaces the year's days and is audited.
 */
export function CalendarYearEditor({
  year,
  open,
  onClose,
  onConfirmed,
}: {
  year: number;
  open: boolean;
  onClose: () => void;
  onConfirmed: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [loaded, setLoaded] = useState<CalendarYearArrangement | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState(false);

  useEffect(() => {
    if (!open) return;
    setErrors([]);
    setNote(null);
    setLoaded(null);
    setImported(false);
    api.admin.calendarArrangement(year).then(
      (a) => {
        setLoaded(a);
        form.setFieldsValue(toForm(a.arrangement));
      },
      (e) => setErrors(problems(e)),
    );
  }, [open, year, form]);

  const importFile = async (file: File) => {
    setErrors([]);
    try {
      const text = await file.text();
      const r = await api.admin.importCalendarYear(year, text, false);
      form.setFieldsValue(toForm(r.arrangement));
      setImported(true);
      setNote(
        `已从文件“${file.name}”读入 ${r.arrangement.holidays.length} 个节假日、${r.arrangement.workdays.length} 个调休上班日，请核对后点“确认本年安排”。`,
      );
    } catch (e) {
      setErrors(problems(e));
    }
  };

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setErrors([]);
    try {
      await api.admin.confirmCalendarYear(year, { ...fromForm(values), source: imported ? 'import' : 'manual' });
      message.success(`${year} 年节假日安排已确认`);
      onConfirmed();
      onClose();
    } catch (e) {
      setErrors(problems(e));
    } finally {
      setBusy(false);
    }
  };

  const inYear = (d: Dayjs) => d.year() !== year;
  return (
    <Modal
      title={`录入并确认 ${year} 年节假日安排`}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认本年安排"
      confirmLoading={busy}
      width={760}
      destroyOnHidden
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">
          按国务院办公厅通知填写。{loaded ? `表中预填：${PREFILL[loaded.prefill]}。` : ''}
          确认后，新计算的办理时限按本安排执行。
        </Typography.Text>
        <Upload
          accept=".txt,.json,text/plain,application/json"
          showUploadList={false}
          beforeUpload={(f) => {
            void importFile(f);
            return false; // read in the browser and sent as text; nothing is uploaded as a file
          }}
        >
          <Button size="small">从文件导入…</Button>
        </Upload>
      </Flex>
      {note && <Alert type="info" showIcon message={note} style={{ marginBottom: 8 }} />}
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 8 }}
          message={errors.length === 1 ? errors[0] : `有 ${errors.length} 处需要修改`}
          description={
            errors.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {errors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ holidays: [], workdays: [] }}>
        <Typography.Text strong>节假日（放假日期，含其中的周末）</Typography.Text>
        <Form.List name="holidays">
          {(fields, { add, remove }) => (
            <div style={{ maxHeight: 260, overflow: 'auto', margin: '6px 0 12px' }}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[
                      { required: true, whitespace: true, message: '请填写名称' },
                      { max: 50, message: '名称不能超过 50 字' },
                    ]}
                    style={{ marginBottom: 6 }}
                  >
                    <Input placeholder="如：春节" style={{ width: 160 }} aria-label="节假日名称" />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'range']}
                    rules={[{ required: true, message: '请选择放假日期' }]}
                    style={{ marginBottom: 6 }}
                  >
                    <DatePicker.RangePicker
                      disabledDate={inYear}
                      defaultPickerValue={[dayjs(`${year}-01-01`), dayjs(`${year}-01-01`)]}
                      placeholder={['开始日期', '结束日期']}
                    />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)}>
                    删除
                  </Button>
                </Space>
              ))}
              <Button type="dashed" size="small" onClick={() => add({ name: '' })}>
                添加节假日
              </Button>
            </div>
          )}
        </Form.List>
        <Typography.Text strong>调休上班日（周六、周日上班）</Typography.Text>
        <Form.List name="workdays">
          {(fields, { add, remove }) => (
            <div style={{ maxHeight: 200, overflow: 'auto', marginTop: 6 }}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[f.name, 'date']}
                    rules={[{ required: true, message: '请选择日期' }]}
                    style={{ marginBottom: 6 }}
                  >
                    <DatePicker
                      disabledDate={inYear}
                      defaultPickerValue={dayjs(`${year}-01-01`)}
                      placeholder="上班日期"
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ max: 50, message: '名称不能超过 50 字' }]}
                    style={{ marginBottom: 6 }}
                  >
                    <Input placeholder="为哪个节日调休，如：春节" style={{ width: 200 }} aria-label="调休名称" />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)}>
                    删除
                  </Button>
                </Space>
              ))}
              <Button type="dashed" size="small" onClick={() => add({ name: '' })}>
                添加调休上班日
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
      {loaded?.confirmed && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          <Tag color="green">已确认</Tag>再次确认会以本表替换 {year} 年的节假日和调休设置。
        </Typography.Text>
      )}
    </Modal>
  );
}
