import { useState } from 'react';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Table,
  Tabs,
  Tag,
  Timeline,
  message,
} from 'antd';
import { gridsApi, type GridReportInput, type GridTicket } from '../../api/grids';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { CategoryCascader } from '../../components/Pickers';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { CHANNEL_LABELS, STATUS_LABELS } from '../../lib/labels';
import { EVENT_KIND_LABELS } from '../../../shared/domain/ticket-labels';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

// 第二十九条第二款 主动发现: the grid worker reports what they found in their grids; the report becomes a ticket that waits
// in the dispatchers' queue, and 我的上报 follows it. 网格内工单 lists every ticket of the worker's grids (masked).

const TYPE_OPTIONS = [
  { value: 'help', label: '问题反映' },
  { value: 'complaint', label: '投诉' },
  { value: 'suggestion', label: '建议' },
];
type View = 'reported' | 'grid';

function TicketList({ view, version, onOpen }: { view: View; version: number; onOpen: (id: number) => void }) {
  const list = useKeysetList<GridTicket>(`${view}:${version}`, (before) =>
    gridsApi.tickets({ view, before: before ?? undefined, limit: 50 }),
  );
  const title = view === 'reported' ? '我的上报' : '网格内工单';
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      title,
      ['工单号', '标题', '网格', '事项分类', '渠道', '状态', '承办单位', '受理时间'],
      list.items.map((t) => [
        t.number,
        t.title,
        t.regionName,
        t.categoryName,
        CHANNEL_LABELS[t.channel] ?? t.channel,
        STATUS_LABELS[t.status as keyof typeof STATUS_LABELS] ?? t.status,
        t.leadUnitName ?? '待派单',
        fmtDateTime(t.createdAt),
      ]),
      { view },
    );
  return (
    <>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <div style={{ marginBottom: 8, textAlign: 'right' }}>
        <ExportMenu onExport={exportRows} disabled={list.items.length === 0} testId={`grid-export-${view}`} />
      </div>
      <Table<GridTicket>
        size="small"
        rowKey="id"
        data-testid={`grid-tickets-${view}`}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: view === 'reported' ? '暂无上报' : '暂无工单' }}
        columns={[
          {
            title: '工单号',
            dataIndex: 'number',
            render: (n: string, t) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(t.id)}>
                {n}
              </Button>
            ),
          },
          { title: '标题', dataIndex: 'title', ellipsis: true },
          { title: '网格', dataIndex: 'regionName' },
          { title: '事项分类', dataIndex: 'categoryName' },
          {
            title: '来源',
            dataIndex: 'channel',
            render: (c: string) =>
              c === 'grid' ? <Tag color="green">主动发现</Tag> : <Tag>{CHANNEL_LABELS[c] ?? c}</Tag>,
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => STATUS_LABELS[s as keyof typeof STATUS_LABELS] ?? s,
          },
          { title: '承办单位', dataIndex: 'leadUnitName', render: (u: string | null) => u ?? '待派单' },
          { title: '受理时间', dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}

function TicketDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const t = useAsync(() => (id ? gridsApi.ticket(id) : Promise.resolve(undefined)), [id]);
  const d = t.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={560} title={d ? `工单 ${d.number}` : '工单'}>
      <ErrorAlert message={t.errorText} onRetry={t.reload} />
      {d && (
        <>
          <Descriptions size="small" column={1} bordered data-testid="grid-ticket-detail">
            <Descriptions.Item label="标题">{d.title}</Descriptions.Item>
            <Descriptions.Item label="网格">{d.regionName}</Descriptions.Item>
            <Descriptions.Item label="事项分类">{d.categoryName}</Descriptions.Item>
            <Descriptions.Item label="来源">
              {d.mine ? '本人主动发现' : (CHANNEL_LABELS[d.channel] ?? d.channel)}
            </Descriptions.Item>
            <Descriptions.Item label="地点">{d.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="内容">{d.content}</Descriptions.Item>
            <Descriptions.Item label="状态">
              {STATUS_LABELS[d.status as keyof typeof STATUS_LABELS] ?? d.status}
            </Descriptions.Item>
            <Descriptions.Item label="承办单位">{d.leadUnitName ?? '待派单'}</Descriptions.Item>
          </Descriptions>
          <Timeline
            style={{ marginTop: 16 }}
            items={d.steps.map((s) => ({
              children: `${fmtDateTime(s.at)} ${EVENT_KIND_LABELS[s.kind] ?? s.kind}`,
            }))}
          />
        </>
      )}
    </Drawer>
  );
}

export default function GridReportPage() {
  const mine = useAsync(() => gridsApi.mine(), []);
  const [form] = Form.useForm<GridReportInput>();
  const [saving, setSaving] = useState(false);
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<View>('reported');
  const [open, setOpen] = useState<number | null>(null);
  const grids = mine.data?.grids ?? [];

  const submit = async (v: GridReportInput) => {
    setSaving(true);
    try {
      const r = await gridsApi.report(v);
      void message.success(`已上报，工单号 ${r.number}，已进入派单队列`);
      form.resetFields(['title', 'address', 'content']);
      setTab('reported');
      setVersion((x) => x + 1);
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader
        title="主动发现"
        sub={`网格员巡查中发现的问题直接上报，形成工单进入派单（第二十九条）${mine.data?.town ? ` · ${mine.data.town.name}` : ''}`}
      />
      <ErrorAlert message={mine.errorText} onRetry={mine.reload} />
      <Card title="上报问题" size="small" style={{ marginBottom: 16 }}>
        <Form<GridReportInput>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ requestType: 'help', urgency: 'normal' }}
          data-testid="grid-report-form"
          style={{ maxWidth: 960 }}
        >
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="gridCode" label="所在网格" rules={[{ required: true, message: '请选择网格' }]}>
                <Select
                  placeholder="请选择本人负责的网格"
                  options={grids.map((g) => ({ value: g.code, label: g.name }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="categoryId" label="事项分类" rules={[{ required: true, message: '请选择事项分类' }]}>
                <CategoryCascader />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="requestType" label="类型">
                <Radio.Group options={TYPE_OPTIONS} optionType="button" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="urgency" label="紧急程度">
                <Radio.Group
                  options={[
                    { value: 'normal', label: '一般' },
                    { value: 'urgent', label: '紧急' },
                  ]}
                  optionType="button"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }, { max: 200 }]}>
                <Input placeholder="如：和平路井盖缺失" maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="address" label="地点" rules={[{ required: true, message: '请填写地点' }, { max: 500 }]}>
                <Input placeholder="街路门牌或明显地标" maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="content"
            label="问题描述"
            rules={[
              { required: true, message: '请描述发现的问题' },
              { min: 5, message: '请具体描述发现的问题（至少 5 个字）' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={5000} showCount />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            上报
          </Button>
        </Form>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as View)}
        items={[
          {
            key: 'reported',
            label: '我的上报',
            children: <TicketList view="reported" version={version} onOpen={setOpen} />,
          },
          {
            key: 'grid',
            label: '网格内工单',
            children: <TicketList view="grid" version={version} onOpen={setOpen} />,
          },
        ]}
      />
      <TicketDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
