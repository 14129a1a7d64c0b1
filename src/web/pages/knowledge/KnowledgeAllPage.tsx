import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, Col, Form, InputNumber, Row, Table, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { authoringApi, type UnitFreshness } from '../../api/knowledge-authoring';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { EChart } from '../overview/EChart';
import { ArticleFormDrawer } from './components/ArticleFormDrawer';
import { ArticleList, type ListPreset } from './components/ArticleList';

// 第十八条 and 第二十二条(四): the whole knowledge base for the centre — every unit's articles with their state, how
// current each unit keeps its knowledge, and the centre's settings for expiry notices and review cycles.

const ALL: ListPreset[] = [
  { key: 'all', label: '全部', query: {} },
  { key: 'stale', label: '超期未复核', query: { stale: 'true' } },
  { key: 'expiring', label: '30天内过期', query: { expiringWithinDays: 30 } },
  { key: 'expired', label: '已过期', query: { expired: 'true' } },
  { key: 'withdrawn', label: '已下架', query: { status: 'withdrawn' } },
];

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export default function KnowledgeAllPage() {
  const me = useMe();
  const nav = useNavigate();
  const [creating, setCreating] = useState(false);
  const reviewer = hasRole(me, 'knowledge_reviewer');
  const seesFreshness = hasRole(me, 'knowledge_reviewer', 'admin', 'supervisor', 'analyst');
  const configures = hasRole(me, 'knowledge_reviewer', 'admin');
  const readOnly = !hasRole(me, 'knowledge_reviewer', 'admin');
  return (
    <>
      <PageHeader
        title="全部知识"
        sub={
          readOnly
            ? '已发布的知识（只读）；话务员在受理台按来电内容检索使用'
            : '各承办单位的知识、更新及时率和知识库设置（第十八条、第二十二条）'
        }
        extra={
          reviewer ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建知识
            </Button>
          ) : undefined
        }
      />
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'list',
            label: '知识列表',
            children: <ArticleList presets={readOnly ? ALL.slice(0, 1) : ALL} showUnit csvName="全部知识" />,
          },
          ...(seesFreshness ? [{ key: 'freshness', label: '更新及时率', children: <FreshnessTab /> }] : []),
          ...(configures ? [{ key: 'settings', label: '设置', children: <SettingsCard /> }] : []),
        ]}
      />
      {reviewer && (
        <ArticleFormDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onSaved={(s) => {
            setCreating(false);
            nav(`/knowledge/articles/${s.id}`);
          }}
        />
      )}
    </>
  );
}

function FreshnessTab() {
  const f = useAsync(() => authoringApi.freshness(), []);
  const units = useMemo(() => f.data?.units ?? [], [f.data]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['有效', '未计为有效', '已过期'] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: units.map((u) => u.unitName), inverse: true },
      series: [
        { name: '有效', type: 'bar', stack: 'n', data: units.map((u) => u.current), itemStyle: { color: '#52c41a' } },
        {
          name: '未计为有效',
          type: 'bar',
          stack: 'n',
          data: units.map((u) => Math.max(0, u.published - u.current - u.expired)),
          itemStyle: { color: '#fa8c16' },
        },
        { name: '已过期', type: 'bar', stack: 'n', data: units.map((u) => u.expired), itemStyle: { color: '#f5222d' } },
      ],
    }),
    [units],
  );
  return (
    <>
      <ErrorAlert message={f.errorText} onRetry={() => void f.reload()} />
      <Row gutter={12}>
        <Col span={14}>
          <Card
            size="small"
            title={`各单位知识更新及时率（截至 ${f.data?.asOf ?? '—'}）`}
            extra={
              <ExportMenu
                size="small"
                disabled={!units.length}
                onExport={(format) =>
                  downloadTable(
                    format,
                    '知识更新及时率.csv',
                    [
                      '单位',
                      '已发布',
                      '有效',
                      '超期未复核',
                      '已过期',
                      '有效占比',
                      '政策变化到更新（中位天数）',
                      '统计更新数',
                    ],
                    units.map((u) => [
                      u.unitName,
                      u.published,
                      u.current,
                      u.stale,
                      u.expired,
                      pct(u.shareCurrent),
                      u.medianDaysPolicyToUpdate,
                      u.updatesMeasured,
                    ]),
                  )
                }
              />
            }
          >
            <Table<UnitFreshness>
              rowKey="unitId"
              size="small"
              loading={f.loading}
              dataSource={units}
              pagination={false}
              data-testid="knowledge-freshness"
              columns={[
                { title: '单位', dataIndex: 'unitName', ellipsis: true },
                { title: '已发布', dataIndex: 'published', width: 58, align: 'right' },
                { title: '有效', dataIndex: 'current', width: 48, align: 'right' },
                { title: '超期', dataIndex: 'stale', width: 48, align: 'right' },
                { title: '过期', dataIndex: 'expired', width: 48, align: 'right' },
                { title: '有效占比', width: 74, align: 'right', render: (_, u) => pct(u.shareCurrent) },
                {
                  title: '更新用时',
                  width: 96,
                  align: 'right',
                  render: (_, u) =>
                    u.medianDaysPolicyToUpdate === null
                      ? '—'
                      : `${u.medianDaysPolicyToUpdate} 天（${u.updatesMeasured}）`,
                },
              ]}
            />
            {f.data && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                “超期”为超期未复核；“有效”含超期未复核但仍在 {f.data.settings.staleGraceDays}{' '}
                天宽限期内的知识；“更新用时”为近一年发布的更新从政策变化日期到发布的中位天数（括号内为统计的更新数）。
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title="各单位知识状态">
            <EChart option={option} height={Math.max(240, units.length * 30 + 60)} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function SettingsCard() {
  const { message } = App.useApp();
  const s = useAsync(() => authoringApi.settings(), []);
  const [form] = Form.useForm<{ expiryNoticeDays: number; defaultReviewCycleDays: number; staleGraceDays: number }>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (s.data)
      form.setFieldsValue({
        expiryNoticeDays: s.data.expiryNoticeDays,
        defaultReviewCycleDays: s.data.defaultReviewCycleDays,
        staleGraceDays: s.data.staleGraceDays,
      });
  }, [s.data, form]);
  return (
    <Card size="small" title="知识库设置" style={{ maxWidth: 560 }}>
      <ErrorAlert message={s.errorText} onRetry={() => void s.reload()} />
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 10 }}
        onFinish={async (v) => {
          setSaving(true);
          try {
            s.setData(await authoringApi.saveSettings(v));
            message.success('设置已保存');
          } catch (e) {
            message.error(errorMessage(e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="expiryNoticeDays"
          label="到期提醒（提前天数）"
          rules={[{ required: true, message: '请填写到期提醒天数' }]}
          extra="知识到期前多少天通知所属单位"
        >
          <InputNumber min={1} max={365} precision={0} addonAfter="天" />
        </Form.Item>
        <Form.Item
          name="defaultReviewCycleDays"
          label="默认复核周期"
          rules={[{ required: true, message: '请填写默认复核周期' }]}
          extra="超过复核周期未复核的知识为“超期未复核”"
        >
          <InputNumber min={7} max={1095} precision={0} addonAfter="天" />
        </Form.Item>
        <Form.Item
          name="staleGraceDays"
          label="超期宽限"
          rules={[{ required: true, message: '请填写宽限天数' }]}
          extra="超期未复核在宽限期内仍计为有效（更新及时率）"
        >
          <InputNumber min={0} max={365} precision={0} addonAfter="天" />
        </Form.Item>
        <Form.Item wrapperCol={{ offset: 10 }}>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存设置
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
