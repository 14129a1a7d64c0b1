import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, SearchOutlined } from '@ant-design/icons';
import {
  JOINT_FIELD_LABELS,
  JOINT_FIELD_PARTNERS,
  JOINT_FIELDS,
  type JointField,
} from '../../../shared/domain/matters';
import { errorMessage } from '../../api/client';
import { mattersApi, type MatterCandidate, type MatterCandidates } from '../../api/matters';
import { PageHeader } from '../../components/PageHeader';
import { CategoryCascader, RegionCascader, UnitSelect } from '../../components/Pickers';
import { fmtDate } from '../../lib/format';
import { namedRowCheckbox } from '../../lib/a11y-props';

interface Criteria {
  categoryId?: number | null;
  regionCode?: string | null;
  keywords?: string;
  months: number;
}
interface MatterForm {
  title: string;
  description: string;
  leadUnitId: number;
  regionCode: string;
  categoryId?: number | null;
  jointField?: JointField | null;
}

/**
 * 新建专题 (第二十五条): the system proposes similar tickets — from a ticket, or a category, a region and keywords, over
 * the last months — the supervisor picks those that are one matter, names it, chooses the lead unit and registers it.
 */
export default function MatterCreatePage() {
  const { message } = App.useApp();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const seed = Number(params.get('seedTicketId')) || undefined;
  const [criteria] = Form.useForm<Criteria>();
  const [form] = Form.useForm<MatterForm>();
  const jointField = Form.useWatch('jointField', form);
  const [proposal, setProposal] = useState<MatterCandidates | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const propose = async (seedTicketId?: number) => {
    const v = criteria.getFieldsValue();
    setBusy(true);
    setError(null);
    try {
      const p = await mattersApi.candidates({
        seedTicketId,
        categoryId: v.categoryId ?? undefined,
        regionCode: v.regionCode ?? undefined,
        keywords: v.keywords?.trim() || undefined,
        months: v.months,
        limit: 100,
      });
      setProposal(p);
      // the likely ones preselected: a person confirms, nothing is linked by itself
      setSelected(p.items.filter((t) => t.similarity >= 0.1 || t.id === seedTicketId).map((t) => t.id));
      // the town looked in is the matter's region unless one is already chosen (from a ticket: the seed's town)
      const region = p.regionCode ?? v.regionCode;
      if (region && !form.getFieldValue('regionCode')) form.setFieldValue('regionCode', region);
      if (p.categoryId && !form.getFieldValue('categoryId')) form.setFieldValue('categoryId', p.categoryId);
      const top = p.items[0];
      if (top && !form.getFieldValue('title')) form.setFieldValue('title', top.title);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (seed) void propose(seed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seed]);

  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const r = await mattersApi.create({
        title: v.title,
        description: v.description,
        leadUnitId: v.leadUnitId,
        regionCode: v.regionCode,
        categoryId: v.categoryId ?? undefined,
        jointField: v.jointField ?? undefined,
        keywords: (criteria.getFieldValue('keywords') as string | undefined) || undefined,
        ticketIds: selected.length ? selected : undefined,
      });
      message.success(`专题已立项，关联工单 ${r.linked} 件`);
      nav(`/matters/${r.id}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="新建专题"
        sub="第二十五条：从持续时间长、反复发生的同类诉求中发现专题——按事项分类、区域和关键词推荐近几个月的相似工单"
        extra={
          <Link to="/matters">
            <Button icon={<ArrowLeftOutlined />}>返回专题治理</Button>
          </Link>
        }
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Card size="small" title="一、查找相似工单" style={{ marginBottom: 12 }}>
        <Form<Criteria>
          form={criteria}
          name="criteria"
          layout="inline"
          initialValues={{ months: 12 }}
          style={{ rowGap: 8 }}
          onFinish={() => void propose(seed)}
        >
          <Form.Item name="categoryId" label="分类范围" style={{ width: 300 }}>
            <CategoryCascader leafOnly={false} />
          </Form.Item>
          <Form.Item name="regionCode" label="所在区域" style={{ width: 280 }}>
            <RegionCascader />
          </Form.Item>
          <Form.Item name="keywords" label="关键词">
            <Input placeholder="如：污水 外溢" style={{ width: 180 }} allowClear />
          </Form.Item>
          <Form.Item name="months" label="近几个月">
            <InputNumber min={1} max={24} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" icon={<SearchOutlined />} loading={busy}>
              查找相似工单
            </Button>
          </Form.Item>
        </Form>
        {seed && <Typography.Text type="secondary">从工单出发：按该工单的分类、所在街道和内容推荐。</Typography.Text>}
      </Card>
      {proposal && (
        <Card
          size="small"
          title={`二、选择属于同一专题的工单（推荐 ${proposal.items.length} 件，已选 ${selected.length} 件）`}
          extra={
            proposal.words.length > 0 && (
              <span>
                依据词语：
                {proposal.words.slice(0, 8).map((w) => (
                  <Tag key={w}>{w}</Tag>
                ))}
              </span>
            )
          }
          style={{ marginBottom: 12 }}
        >
          <Table<MatterCandidate>
            rowKey="id"
            size="small"
            dataSource={proposal.items}
            pagination={{ pageSize: 10, showSizeChanger: false }}
            locale={{ emptyText: '没有找到相似的工单（已在其他专题中的工单不再推荐）' }}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys as number[]),
              getCheckboxProps: namedRowCheckbox((r) => r.number),
            }}
            columns={[
              {
                title: '工单号',
                dataIndex: 'number',
                width: 170,
                render: (n: string, r) => <Link to={`/tickets/${r.id}`}>{n}</Link>,
              },
              {
                title: '标题与摘要',
                dataIndex: 'title',
                render: (t: string, r) => (
                  <>
                    <div>{t}</div>
                    <Typography.Text type="secondary" ellipsis>
                      {r.excerpt}
                    </Typography.Text>
                  </>
                ),
              },
              { title: '区域', dataIndex: 'regionName', width: 150 },
              { title: '分类', dataIndex: 'categoryName', width: 90 },
              { title: '状态', dataIndex: 'statusLabel', width: 80 },
              { title: '受理日期', dataIndex: 'createdAt', width: 100, render: fmtDate },
              {
                title: '相似度',
                dataIndex: 'similarity',
                width: 80,
                align: 'right',
                render: (s: number) => `${Math.round(s * 100)}%`,
              },
            ]}
          />
        </Card>
      )}
      <Card size="small" title="三、立项">
        <Form<MatterForm> form={form} name="matter" layout="vertical">
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="title" label="专题名称" rules={[{ required: true, message: '请填写专题名称' }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="leadUnitId" label="牵头单位" rules={[{ required: true, message: '请选择牵头单位' }]}>
                <UnitSelect />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="regionCode" label="涉及区域" rules={[{ required: true, message: '请选择区域' }]}>
                <RegionCascader />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="categoryId" label="事项分类">
                <CategoryCascader leafOnly={false} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="jointField"
                label="联合协调处置（第二十六条第二款）"
                extra={jointField && `建议邀请：${JOINT_FIELD_PARTNERS[jointField]}，立项后在“协同单位”中添加`}
              >
                <Select
                  allowClear
                  placeholder="不属于联合协调处置领域"
                  options={JOINT_FIELDS.map((f) => ({ value: f, label: JOINT_FIELD_LABELS[f] }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label="问题描述" rules={[{ required: true, message: '请填写问题描述' }]}>
            <Input.TextArea rows={3} maxLength={5000} placeholder="持续时间、反复发生的情况、难点" />
          </Form.Item>
          <Space>
            <Button type="primary" loading={busy} onClick={() => void create()}>
              立项{selected.length ? `并关联 ${selected.length} 件工单` : ''}
            </Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
