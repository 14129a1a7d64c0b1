import { Link } from 'react-router-dom';
import { Alert, Collapse, Descriptions, Empty, Table, Tag, Typography } from 'antd';
import type { EvidencePack } from '../../api/referrals';
import { fmtDateTime } from '../../lib/format';

type Row = Record<string, unknown>;

/** One section of the pack: a small table, or 无 when the history has none (so the reader knows it was looked at). */
function Section<T extends Row>({
  title,
  rows,
  columns,
}: {
  title: string;
  rows: T[];
  columns: Array<{ title: string; key: string; render?: (r: T) => React.ReactNode; width?: number }>;
}) {
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography.Text strong>{title}</Typography.Text>
      {rows.length === 0 ? (
        <div>
          <Typography.Text type="secondary">无</Typography.Text>
        </div>
      ) : (
        <Table<T>
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={rows}
          columns={columns.map((c) => ({
            title: c.title,
            key: c.key,
            width: c.width,
            render: (_: unknown, r: T) => (c.render ? c.render(r) : ((r[c.key] as React.ReactNode) ?? '—')),
          }))}
        />
      )}
    </div>
  );
}

const at = (r: { at: string }) => fmtDateTime(r.at);

/** 第二十三条: the evidence pack on screen: the same content as the PDF (masked: 第六条). */
export function EvidencePackView({ pack }: { pack: EvidencePack }) {
  const appCols = [
    { title: '申请时间', key: 'at', render: at, width: 140 },
    { title: '单位', key: 'unitName', width: 180 },
    { title: '理由', key: 'reason' },
    { title: '结果', key: 'status', width: 80 },
    { title: '审核意见', key: 'reviewNote' },
  ];
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={`证据材料生成于 ${fmtDateTime(pack.generatedAt)}：诉求人的姓名、电话已脱敏（第六条），纪检监察机关如需核实，通过热线工作机构的留痕查询办理。`}
      />
      {pack.tickets.length === 0 && <Empty description="该移送未关联工单" />}
      <Collapse
        defaultActiveKey={pack.tickets.map((t) => String(t.id))}
        items={pack.tickets.map((t) => ({
          key: String(t.id),
          label: (
            <>
              工单 <Link to={`/tickets/${t.id}`}>{t.number}</Link>：{t.title}
              {t.breaches.length > 0 && (
                <Tag color="red" style={{ marginLeft: 8 }}>
                  超期 {t.breaches.length}
                </Tag>
              )}
              {t.returns.length > 0 && <Tag color="orange">退单 {t.returns.length}</Tag>}
              {t.callbacks.some((c) => c.satisfaction === '不满意') && <Tag color="volcano">回访不满意</Tag>}
            </>
          ),
          children: (
            <>
              <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
                <Descriptions.Item label="受理时间">{fmtDateTime(t.createdAt)}</Descriptions.Item>
                <Descriptions.Item label="当前状态">{t.status}</Descriptions.Item>
                <Descriptions.Item label="主办单位">{t.leadUnitName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="诉求人">
                  {t.requester ? `${t.requester.name ?? '—'} ${t.requester.phone ?? ''}` : '匿名'}
                </Descriptions.Item>
                <Descriptions.Item label="诉求内容" span={2}>
                  <span className="pre-wrap">{t.content}</span>
                </Descriptions.Item>
              </Descriptions>
              <Section
                title="办理过程"
                rows={t.timeline}
                columns={[
                  { title: '时间', key: 'at', render: at, width: 140 },
                  { title: '环节', key: 'label', width: 170 },
                  { title: '单位', key: 'unitName', width: 180 },
                  { title: '人员', key: 'actorName', width: 90 },
                  { title: '说明', key: 'reason' },
                ]}
              />
              <Section title="退单申请" rows={t.returns} columns={appCols} />
              <Section title="职责争议" rows={t.disputes} columns={appCols} />
              <Section
                title="延期申请"
                rows={t.extensions}
                columns={[
                  ...appCols.slice(0, 2),
                  { title: '天数', key: 'requestedDays', width: 60 },
                  ...appCols.slice(2),
                ]}
              />
              <Section
                title="超期记录"
                rows={t.breaches}
                columns={[
                  { title: '时限', key: 'kind', width: 140 },
                  { title: '单位', key: 'unitName', width: 180 },
                  { title: '应完成', key: 'dueAt', render: (r) => fmtDateTime(r.dueAt) },
                  { title: '超期时间', key: 'breachedAt', render: (r) => fmtDateTime(r.breachedAt) },
                  { title: '实际完成', key: 'metAt', render: (r) => fmtDateTime(r.metAt) },
                ]}
              />
              <Section
                title="回访记录"
                rows={t.callbacks}
                columns={[
                  { title: '时间', key: 'at', render: at, width: 140 },
                  {
                    title: '满意度',
                    key: 'satisfaction',
                    width: 90,
                    render: (r) => <Tag color={r.satisfaction === '不满意' ? 'red' : 'default'}>{r.satisfaction}</Tag>,
                  },
                  { title: '是否解决', key: 'resolved', width: 90, render: (r) => (r.resolved ? '已解决' : '未解决') },
                  { title: '结果', key: 'outcome', width: 90 },
                  { title: '说明', key: 'note' },
                ]}
              />
              <Section
                title="诉求人评价"
                rows={t.evaluations}
                columns={[
                  { title: '时间', key: 'at', render: at, width: 140 },
                  { title: '评价', key: 'satisfaction', width: 90 },
                  { title: '方式', key: 'via', width: 90 },
                  { title: '意见', key: 'comment' },
                ]}
              />
            </>
          ),
        }))}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        督办情况（第二十二条）
      </Typography.Title>
      <Section
        title=""
        rows={pack.supervisionCases ?? []}
        columns={[
          { title: '督办单号', key: 'number', width: 110 },
          { title: '情形', key: 'trigger' },
          { title: '单位', key: 'unitName', width: 160 },
          { title: '状态', key: 'status', width: 90 },
          { title: '督办时间', key: 'createdAt', render: (r) => fmtDateTime(r.createdAt), width: 140 },
          { title: '单位答复', key: 'answer' },
          { title: '处理', key: 'decision', width: 90 },
        ]}
      />
      <Typography.Title level={5}>{pack.referral.unitName}的其他记录</Typography.Title>
      <Section
        title="诉求人对工作人员的投诉（最近 20 件）"
        rows={pack.unitRecord.complaints}
        columns={[
          { title: '编号', key: 'id', width: 70 },
          { title: '时间', key: 'at', render: at, width: 140 },
          { title: '状态', key: 'status', width: 110 },
          { title: '调查结论', key: 'finding', width: 90 },
          { title: '内容', key: 'content' },
        ]}
      />
      <Section
        title="其他问责移送（最近 20 件）"
        rows={pack.unitRecord.referrals}
        columns={[
          {
            title: '编号',
            key: 'id',
            width: 70,
            render: (r) => <Link to={`/supervision/referrals/${r.id}`}>#{r.id}</Link>,
          },
          { title: '移交时间', key: 'at', render: at, width: 140 },
          { title: '状态', key: 'status', width: 110 },
          { title: '情形', key: 'conducts', render: (r) => r.conducts.join('；') },
        ]}
      />
    </>
  );
}
