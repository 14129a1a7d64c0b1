import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, DatePicker, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorMessage, serverNow } from '../../api/client';
import { disclosureApi, type DisclosureListItem } from '../../api/disclosure';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';

export const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  in_review: 'processing',
  published: 'success',
};
const monthLabel = (m: string) => `${m.slice(0, 4)} 年 ${Number(m.slice(5))} 月`;

/** 信息公开 (第二十一条): the centre's monthly reports — drafts, reviews, published versions and corrections. */
export default function DisclosurePage() {
  const { message } = App.useApp();
  const ref = useReference();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('region') ?? undefined;
  const res = useAsync(() => disclosureApi.list(regionCode), [regionCode]);
  const [status, setStatus] = useState<string | undefined>();
  const [month, setMonth] = useState<Dayjs>(dayjs(serverNow()).subtract(1, 'month'));
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const d = res.data;
  const isCity = !!d && d.region.code.endsWith('00');
  const items = (d?.items ?? []).filter((i) => !status || i.status === status);

  const create = async (m: string, correctionNote?: string) => {
    setBusy(true);
    try {
      const r = await disclosureApi.create({ month: m, regionCode: d?.region.code, correctionNote });
      message.success(correctionNote ? `已生成 ${monthLabel(m)} 更正草稿` : `已生成 ${monthLabel(m)} 报告草稿`);
      navigate(`/disclosure/${r.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const start = () => {
    const m = month.format('YYYY-MM');
    if (d?.items.some((i) => i.month === m && i.status === 'published')) {
      setNote('');
      setCorrecting(m);
    } else void create(m);
  };
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      `信息公开_${d?.region.name ?? ''}`,
      ['月份', '版本', '状态', '更正说明', '起草人', '起草时间', '发布人', '发布时间'],
      items.map((i) => [
        i.month,
        i.version,
        i.statusLabel,
        i.correctionNote ?? '',
        i.createdBy ?? '',
        fmtDateTime(i.createdAt),
        i.publishedBy ?? '',
        fmtDateTime(i.publishedAt),
      ]),
      { region: d?.region.code ?? '', status: status ?? '' },
    );

  return (
    <>
      <PageHeader
        title="信息公开"
        sub="第二十一条：按月公布热线工作情况和承办单位诉求办理情况；起草人以外的督办员或系统管理员审核发布，发布后不可修改，更正另发新版本"
        extra={
          <>
            {isCity && (
              <Select
                aria-label="公开区域"
                style={{ width: 130 }}
                value={d.region.code}
                onChange={(v) => setParams({ region: v })}
                options={(ref.regions ?? []).filter((r) => r.level <= 2).map((r) => ({ value: r.code, label: r.name }))}
              />
            )}
            <DatePicker
              picker="month"
              aria-label="报告月份"
              allowClear={false}
              value={month}
              onChange={(v) => v && setMonth(v)}
              disabledDate={(v) => !v.isBefore(dayjs(serverNow()), 'month')}
            />
            <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={start} disabled={!d}>
              生成报告草稿
            </Button>
            <ExportMenu onExport={exportRows} disabled={items.length === 0} />
          </>
        }
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      <Table<DisclosureListItem>
        size="small"
        rowKey="id"
        loading={res.loading}
        dataSource={items}
        pagination={{ pageSize: 24, showSizeChanger: false }}
        onChange={(_p, filters) => setStatus((filters.status?.[0] as string | undefined) ?? undefined)}
        columns={[
          {
            title: '月份',
            dataIndex: 'month',
            render: (m: string, i) => <Link to={`/disclosure/${i.id}`}>{monthLabel(m)}</Link>,
          },
          { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
          {
            title: '状态',
            dataIndex: 'status',
            filters: [
              { text: '草稿', value: 'draft' },
              { text: '待审核', value: 'in_review' },
              { text: '已发布', value: 'published' },
            ],
            filterMultiple: false,
            filteredValue: status ? [status] : null,
            render: (_s, i) => <Tag color={STATUS_COLORS[i.status]}>{i.statusLabel}</Tag>,
          },
          { title: '更正说明', dataIndex: 'correctionNote', render: (v: string | null) => v ?? '—' },
          { title: '起草人', dataIndex: 'createdBy' },
          { title: '起草时间', dataIndex: 'createdAt', render: fmtDateTime },
          { title: '发布人', dataIndex: 'publishedBy', render: (v: string | null) => v ?? '—' },
          { title: '发布时间', dataIndex: 'publishedAt', render: (v: string | null) => (v ? fmtDateTime(v) : '—') },
        ]}
      />
      <Modal
        open={correcting !== null}
        title={correcting ? `更正 ${monthLabel(correcting)} 报告` : ''}
        okText="生成更正草稿"
        okButtonProps={{ disabled: !note.trim(), loading: busy }}
        onCancel={() => setCorrecting(null)}
        onOk={() => correcting && void create(correcting, note.trim())}
      >
        <Typography.Paragraph type="secondary">
          该月报告已发布，不能修改。更正将生成新版本，门户显示最新版本并注明更正说明，原版本仍可查阅下载。
        </Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label="更正说明" required>
            <Input.TextArea
              rows={3}
              maxLength={500}
              showCount
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="说明更正了什么、为什么更正"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
