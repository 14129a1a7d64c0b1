import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Progress,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import {
  JOINT_FIELD_LABELS,
  JOINT_FIELD_PARTNERS,
  MATTER_ACTION_LABELS,
  MATTER_EVENT_LABELS,
  MATTER_STATUS_LABELS,
  type MatterAction,
  type MatterTier,
} from '../../../shared/domain/matters';
import { errorMessage } from '../../api/client';
import { mattersApi } from '../../api/matters';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { JointFieldTag, MatterStatusTag, TierTag } from './matter-labels';
import { MatterFiguresTab } from './MatterFiguresTab';
import { MatterCandidatesModal, MatterMeasureModal, MatterMinuteModal, MatterUnitModal } from './MatterModals';
import { MatterTasksTab } from './MatterTasksTab';
import { namedRowCheckbox } from '../../lib/a11y-props';

/** 第二十五、二十六条: one matter — its plan, units by tier, tickets, tasks, consultations, measures and figures. */
export default function MatterDetailPage() {
  const id = Number(useParams().id);
  const { message } = App.useApp();
  const m = useAsync(() => mattersApi.get(id), [id]);
  const [modal, setModal] = useState<
    null | 'unit' | 'minute' | 'democratic' | 'measure' | 'candidates' | 'unlink' | MatterAction
  >(null);
  const [unlinking, setUnlinking] = useState<number[]>([]);
  const [plan, setPlan] = useState<string | null>(null);
  const v = m.data;
  const reload = () => void m.reload();

  if (!v)
    return (
      <>
        <PageHeader title="专题" />
        <ErrorAlert message={m.errorText} onRetry={reload} />
      </>
    );
  const write = v.canWrite;
  const savePlan = async () => {
    await mattersApi.plan(id, { plan: plan ?? '', version: v.version });
    message.success('解决方案已保存');
    setPlan(null);
    reload();
  };

  return (
    <>
      <PageHeader
        title={
          <Space>
            {v.title}
            <MatterStatusTag status={v.status} />
            {v.jointField && <JointFieldTag field={v.jointField} />}
          </Space>
        }
        sub={`专题 #${v.id} · ${v.regionName} · 牵头单位：${v.leadUnitName}`}
        extra={
          <>
            {v.allowedActions.map((a) => (
              <Button
                key={a}
                danger={a === 'archive'}
                type={a === 'archive' ? 'default' : 'primary'}
                ghost={a !== 'archive'}
                onClick={() => setModal(a)}
              >
                {MATTER_ACTION_LABELS[a]}
              </Button>
            ))}
            <Link to="/matters">
              <Button icon={<ArrowLeftOutlined />}>返回</Button>
            </Link>
          </>
        }
      />
      <ErrorAlert message={m.errorText} onRetry={reload} />
      <Tabs
        items={[
          {
            key: 'overview',
            label: '概况',
            children: (
              <Space direction="vertical" style={{ width: '100%' }} size={12}>
                <Descriptions size="small" bordered column={3}>
                  <Descriptions.Item label="状态">{MATTER_STATUS_LABELS[v.status]}</Descriptions.Item>
                  <Descriptions.Item label="涉及区域">{v.regionName}</Descriptions.Item>
                  <Descriptions.Item label="事项分类">{v.categoryName ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="牵头单位">
                    <Space>
                      {v.leadUnitName}
                      <TierTag tier={v.leadUnitTier} />
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label="立项">
                    {v.createdByName} · {fmtDateTime(v.createdAt)}
                  </Descriptions.Item>
                  <Descriptions.Item label="关联工单">{v.ticketCount} 件</Descriptions.Item>
                  <Descriptions.Item label="进度" span={3}>
                    <Space>
                      <Progress percent={v.progress.percent} style={{ width: 260 }} aria-label="任务完成进度" />
                      <span>
                        任务完成 {v.progress.done}/{v.progress.total}
                      </span>
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label="问题描述" span={3}>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                      {v.description}
                    </Typography.Paragraph>
                  </Descriptions.Item>
                </Descriptions>
                <Card
                  size="small"
                  title="解决方案"
                  extra={
                    write &&
                    (plan === null ? (
                      <Button size="small" onClick={() => setPlan(v.plan ?? '')}>
                        编辑
                      </Button>
                    ) : (
                      <Space>
                        <Button size="small" onClick={() => setPlan(null)}>
                          取消
                        </Button>
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => void savePlan().catch((e: unknown) => message.error(errorMessage(e)))}
                        >
                          保存
                        </Button>
                      </Space>
                    ))
                  }
                >
                  {plan !== null ? (
                    <Input.TextArea
                      aria-label="解决方案"
                      rows={6}
                      value={plan}
                      maxLength={10000}
                      onChange={(e) => setPlan(e.target.value)}
                    />
                  ) : (
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                      {v.plan || '尚未制定解决方案'}
                    </Typography.Paragraph>
                  )}
                </Card>
                <Card
                  size="small"
                  title={v.jointField ? '协同单位（联合协调处置）' : '三级协同单位'}
                  extra={
                    write && (
                      <Button size="small" icon={<PlusOutlined />} onClick={() => setModal('unit')}>
                        增加协同单位
                      </Button>
                    )
                  }
                >
                  {v.jointField && (
                    <Alert
                      type="info"
                      showIcon
                      style={{ marginBottom: 8 }}
                      message={`第二十六条第二款：${JOINT_FIELD_LABELS[v.jointField]}领域的诉求事项联合协调处置，通常协同${JOINT_FIELD_PARTNERS[v.jointField]}`}
                    />
                  )}
                  <Table
                    rowKey="unit_id"
                    size="small"
                    pagination={false}
                    dataSource={[
                      {
                        unit_id: v.leadUnitId,
                        unit_name: v.leadUnitName,
                        tier: v.leadUnitTier,
                        role: '牵头',
                        added_at: v.createdAt,
                        lead: true,
                      },
                      ...v.units.map((u) => ({ ...u, lead: false })),
                    ]}
                    columns={[
                      { title: '层级', dataIndex: 'tier', width: 130, render: (t: MatterTier) => <TierTag tier={t} /> },
                      {
                        title: '单位',
                        dataIndex: 'unit_name',
                        render: (n: string, r) => (
                          <Space>
                            {n}
                            {r.lead && <Tag color="red">牵头</Tag>}
                          </Space>
                        ),
                      },
                      { title: '职责分工', dataIndex: 'role' },
                      {
                        title: '',
                        key: 'op',
                        width: 80,
                        render: (_: unknown, r) =>
                          write &&
                          !r.lead && (
                            <Button
                              size="small"
                              type="link"
                              danger
                              onClick={() =>
                                void mattersApi
                                  .removeUnit(id, r.unit_id)
                                  .then(reload)
                                  .catch((e: unknown) => message.error(errorMessage(e)))
                              }
                            >
                              移除
                            </Button>
                          ),
                      },
                    ]}
                  />
                </Card>
                <Card size="small" title="办理记录">
                  <Timeline
                    items={v.events.map((e) => ({
                      children: (
                        <>
                          <b>{MATTER_EVENT_LABELS[e.action] ?? e.action}</b> · {fmtDateTime(e.at)} ·{' '}
                          {e.actor_name ?? '系统'}
                          {e.note && <div>{e.note}</div>}
                        </>
                      ),
                    }))}
                  />
                </Card>
              </Space>
            ),
          },
          {
            key: 'tickets',
            label: `关联工单（${v.ticketCount}）`,
            children: (
              <>
                {write && (
                  <Space style={{ marginBottom: 12 }}>
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('candidates')}>
                      推荐相似工单并关联
                    </Button>
                    <Button danger disabled={unlinking.length === 0} onClick={() => setModal('unlink')}>
                      取消关联（{unlinking.length}）
                    </Button>
                  </Space>
                )}
                <Table
                  rowKey="id"
                  size="small"
                  dataSource={v.tickets}
                  pagination={{ pageSize: 20, showSizeChanger: false }}
                  locale={{ emptyText: v.ticketCount ? '关联工单仅热线工作机构可查看' : '尚未关联工单' }}
                  rowSelection={
                    write
                      ? {
                          selectedRowKeys: unlinking,
                          onChange: (keys) => setUnlinking(keys as number[]),
                          getCheckboxProps: namedRowCheckbox((r: { number: string }) => r.number),
                        }
                      : undefined
                  }
                  columns={[
                    {
                      title: '工单号',
                      dataIndex: 'number',
                      width: 170,
                      render: (n: string, r) => <Link to={`/tickets/${r.id}`}>{n}</Link>,
                    },
                    { title: '标题', dataIndex: 'title' },
                    { title: '区域', dataIndex: 'region_name', width: 160 },
                    { title: '承办单位', dataIndex: 'lead_unit_name', width: 180 },
                    { title: '状态', dataIndex: 'statusLabel', width: 90 },
                    { title: '受理日期', dataIndex: 'created_at', width: 110, render: fmtDate },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'tasks',
            label: `任务（${v.progress.done}/${v.progress.total}）`,
            children: <MatterTasksTab matter={v} onChanged={reload} />,
          },
          {
            key: 'minutes',
            label: `会商记录（${v.minutes.length}）`,
            children: (
              <>
                <Space style={{ marginBottom: 12 }}>
                  {write && (
                    <Button icon={<PlusOutlined />} onClick={() => setModal('minute')}>
                      记录会商
                    </Button>
                  )}
                  {v.canAddDemocraticMinute && (
                    <Button icon={<PlusOutlined />} onClick={() => setModal('democratic')}>
                      记录民主协商
                    </Button>
                  )}
                </Space>
                {v.minutes.length === 0 && <Empty description="尚无会商记录" />}
                {v.minutes.map((x) =>
                  x.kind === 'democratic' ? (
                    <Card
                      key={x.id}
                      size="small"
                      title={
                        <Space>
                          {`${x.held_on} 民主协商`}
                          <Tag color="green">第二十九条</Tag>
                        </Space>
                      }
                      style={{ marginBottom: 12 }}
                    >
                      <Descriptions size="small" column={1}>
                        <Descriptions.Item label="参与组织">{x.participants}</Descriptions.Item>
                        <Descriptions.Item label="组织单位">{x.unitNames.join('、')}</Descriptions.Item>
                        <Descriptions.Item label="协商情况">{x.summary}</Descriptions.Item>
                        <Descriptions.Item label="协商结果">{x.decisions}</Descriptions.Item>
                      </Descriptions>
                    </Card>
                  ) : (
                    <Card key={x.id} size="small" title={`${x.held_on} 会商`} style={{ marginBottom: 12 }}>
                      <Descriptions size="small" column={1}>
                        <Descriptions.Item label="参会单位">{x.unitNames.join('、')}</Descriptions.Item>
                        <Descriptions.Item label="会商情况">{x.summary}</Descriptions.Item>
                        <Descriptions.Item label="议定事项">{x.decisions}</Descriptions.Item>
                      </Descriptions>
                    </Card>
                  ),
                )}
              </>
            ),
          },
          {
            key: 'measures',
            label: `政策措施（${v.measures.length}）`,
            children: (
              <>
                {write && (
                  <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setModal('measure')}>
                    登记政策措施
                  </Button>
                )}
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={v.measures}
                  locale={{ emptyText: '尚无政策措施' }}
                  columns={[
                    { title: '措施名称', dataIndex: 'title', width: 260 },
                    { title: '内容', dataIndex: 'content' },
                    { title: '发文单位', dataIndex: 'issued_by', width: 180 },
                    { title: '施行日期', dataIndex: 'effective_on', width: 110 },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'figures',
            label: '数据对比',
            children: <MatterFiguresTab matterId={id} version={v.version} />,
          },
        ]}
      />
      <MatterUnitModal
        open={modal === 'unit'}
        exclude={[v.leadUnitId, ...v.units.map((u) => u.unit_id)]}
        onClose={() => setModal(null)}
        onSubmit={async (b) => {
          await mattersApi.addUnit(id, b);
          reload();
        }}
      />
      <MatterMinuteModal
        open={modal === 'minute' || modal === 'democratic'}
        kind={modal === 'democratic' ? 'democratic' : 'consultation'}
        defaultUnits={modal === 'democratic' ? [v.leadUnitId] : [v.leadUnitId, ...v.units.map((u) => u.unit_id)]}
        onClose={() => setModal(null)}
        onSubmit={async (b) => {
          await mattersApi.addMinute(id, b);
          reload();
        }}
      />
      <MatterMeasureModal
        open={modal === 'measure'}
        onClose={() => setModal(null)}
        onSubmit={async (b) => {
          await mattersApi.addMeasure(id, b);
          reload();
        }}
      />
      {modal === 'candidates' && (
        <MatterCandidatesModal
          matter={v}
          onClose={() => setModal(null)}
          onLink={async (ids) => {
            const r = await mattersApi.link(id, ids);
            message.success(`已关联 ${r.linked} 件工单`);
            reload();
          }}
        />
      )}
      <FormModal<{ reason: string }>
        title={`取消关联 ${unlinking.length} 件工单`}
        open={modal === 'unlink'}
        onClose={() => setModal(null)}
        danger
        onSubmit={async (b) => {
          await mattersApi.unlink(id, unlinking, b.reason);
          setUnlinking([]);
          reload();
        }}
      >
        <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请填写原因' }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>
      {modal && modal in MATTER_ACTION_LABELS && (
        <FormModal<{ reason: string }>
          title={MATTER_ACTION_LABELS[modal as MatterAction]}
          open
          onClose={() => setModal(null)}
          onSubmit={async (b) => {
            await mattersApi.transition(id, { action: modal as MatterAction, reason: b.reason, version: v.version });
            reload();
          }}
        >
          <Form.Item name="reason" label="说明" rules={[{ required: true, message: '请填写说明' }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}
