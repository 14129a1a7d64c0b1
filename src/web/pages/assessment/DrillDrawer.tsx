import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Drawer, Form, Input, Switch, Table, Tag, Typography, type UploadFile } from 'antd';
import { assessmentApi, type DrillItem, type UnitScore } from '../../api/assessment';
import { errorMessage } from '../../api/client';
import { useMe } from '../../auth/session';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { stillUploading, uploadedMaterials, WorkFileUpload } from '../../components/WorkFileUpload';
import type { WorkFileInfo } from '../../../shared/contracts/work-files';
import { downloadTable } from '../../lib/csv';
import { isUnitStaff } from '../../lib/permissions';
import { INDICATOR_LABELS } from '../../../shared/contracts/assessment';
import { APPEAL_STATUS, COUNT_INDICATORS, fmtValue } from './period';

const label = (i: string) => INDICATOR_LABELS[i as keyof typeof INDICATOR_LABELS] ?? i;

/**
 * 下钻: a unit's indicators, then the tickets counted in one of them; the unit appeals a ticket from here. The
 * tickets are today's counting; when a frozen version is shown and its figure differs, the drawer says so.
 */
export function DrillDrawer({
  period,
  unit,
  frozenVersion,
  onClose,
  onChanged,
}: {
  period: string;
  unit: UnitScore;
  /** the frozen version the scores come from (none: live figures) */
  frozenVersion?: number;
  onClose: () => void;
  onChanged: () => void;
}) {
  const me = useMe();
  const { message } = App.useApp();
  const [indicator, setIndicator] = useState<string | null>(null);
  const [against, setAgainst] = useState(true);
  const [items, setItems] = useState<DrillItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [current, setCurrent] = useState<{ num: number; den: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [appealing, setAppealing] = useState<DrillItem | null>(null);
  const ownUnit = isUnitStaff(me) && me.unitId === unit.unitId;
  const load = async (after?: string) => {
    if (!indicator) return;
    setLoading(true);
    try {
      const r = await assessmentApi.drilldown({ period, unitId: unit.unitId, indicator, against, after });
      setItems((xs) => (after ? [...xs, ...r.items] : r.items));
      setNext(r.nextAfter);
      setCurrent(r.current);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [indicator, against]);
  return (
    <Drawer open width={820} title={`${unit.unitName} · ${period} · 得分 ${unit.score.toFixed(2)}`} onClose={onClose}>
      <Table
        size="small"
        rowKey="indicator"
        pagination={false}
        dataSource={unit.indicators}
        rowClassName={(i) => (i.indicator === indicator ? 'ant-table-row-selected' : '')}
        columns={[
          {
            title: '指标',
            dataIndex: 'indicator',
            render: (v: string) =>
              v === 'knowledge_timely' ? (
                label(v)
              ) : (
                <Button type="link" size="small" onClick={() => setIndicator(v)} data-testid={`drill-indicator-${v}`}>
                  {label(v)}
                </Button>
              ),
          },
          { title: '分子/分母', render: (_: unknown, i) => `${i.num}/${i.den}` },
          {
            title: '指标值',
            render: (_: unknown, i) => fmtValue(COUNT_INDICATORS.has(i.indicator) ? 'count' : 'rate', i.value),
          },
          { title: '得分/权重', render: (_: unknown, i) => `${i.points}/${i.weight}` },
        ]}
      />
      {indicator && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {label(indicator)} 计入的工单
            <span style={{ marginLeft: 16, fontWeight: 'normal', fontSize: 13 }}>
              只看扣分工单 <Switch size="small" checked={against} onChange={setAgainst} />
            </span>
            <ExportMenu
              size="small"
              label="导出已加载"
              testId="drill-export"
              style={{ marginLeft: 16 }}
              disabled={!items.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  `考核下钻_${unit.unitName}_${period}_${label(indicator)}`,
                  ['工单号', '标题', '派单日', '计分', '申诉'],
                  items.map((t) => [
                    t.number,
                    t.title,
                    t.day,
                    t.against ? '扣分' : '正常',
                    t.appeal ? (APPEAL_STATUS[t.appeal.status]?.label ?? t.appeal.status) : '',
                  ]),
                  { unitId: unit.unitId, period, indicator, againstOnly: against, loaded: items.length },
                )
              }
            />
          </Typography.Title>
          {(() => {
            const f = unit.indicators.find((i) => i.indicator === indicator);
            if (frozenVersion === undefined || !f || !current || (f.num === current.num && f.den === current.den))
              return null;
            return (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 8 }}
                data-testid="drill-moved"
                message={`冻结第 ${frozenVersion} 版计入 ${f.num}/${f.den}，下列为当前计数 ${current.num}/${current.den}`}
                description="冻结后又有回访、申诉或办理事件改变了计数；冻结结果不变，重新计算会形成新的版本。"
              />
            );
          })()}
          <Table<DrillItem>
            size="small"
            rowKey="ticketId"
            loading={loading}
            dataSource={items}
            pagination={false}
            data-testid="drill-tickets"
            columns={[
              {
                title: '工单号',
                dataIndex: 'number',
                render: (v: string, t) => <Link to={`/tickets/${t.ticketId}`}>{v}</Link>,
              },
              { title: '标题', dataIndex: 'title', ellipsis: true },
              { title: '派单日', dataIndex: 'day', width: 100 },
              {
                title: '计分',
                width: 80,
                render: (_: unknown, t) => (t.against ? <Tag color="red">扣分</Tag> : <Tag>正常</Tag>),
              },
              {
                title: '申诉',
                width: 120,
                render: (_: unknown, t) =>
                  t.appeal ? (
                    <Tag color={APPEAL_STATUS[t.appeal.status]?.color}>{APPEAL_STATUS[t.appeal.status]?.label}</Tag>
                  ) : ownUnit && t.against ? (
                    <Button size="small" onClick={() => setAppealing(t)} data-testid={`appeal-${t.ticketId}`}>
                      申诉
                    </Button>
                  ) : null,
              },
            ]}
          />
          {next && (
            <Button block onClick={() => void load(next)} loading={loading} style={{ marginTop: 8 }}>
              加载更多
            </Button>
          )}
        </>
      )}
      <FormModal<{ reason: string; material?: string; files?: UploadFile<WorkFileInfo>[] }>
        title={appealing ? `申诉：${appealing.number} 的「${label(indicator ?? '')}」计分` : '申诉'}
        open={!!appealing}
        onClose={() => setAppealing(null)}
        okText="提交申诉"
        onSubmit={async (v) => {
          await assessmentApi.appeal({
            ticketId: appealing!.ticketId,
            indicator: indicator!,
            reason: v.reason,
            // 第二十四条: uploaded evidence, and the written note as before
            materials: [
              ...uploadedMaterials(v.files),
              ...(v.material ? [{ name: '说明材料', description: v.material }] : []),
            ],
          });
          message.success('申诉已提交，待热线工作机构审核');
          setAppealing(null);
          await load();
          onChanged();
        }}
      >
        <Form.Item name="reason" label="申诉理由" rules={[{ required: true, min: 5, message: '申诉理由至少 5 个字' }]}>
          <Input.TextArea
            rows={4}
            maxLength={2000}
            showCount
            placeholder="例如：诉求超出政策规定，已依法答复并解释，不满意评价不合理"
          />
        </Form.Item>
        <Form.Item
          name="files"
          label="佐证材料"
          extra="如现场照片、答复告知书、政策文件"
          rules={[
            {
              validator: async (_: unknown, f: UploadFile[] | undefined) => {
                if (stillUploading(f)) throw new Error('文件正在上传，请稍候');
              },
            },
          ]}
        >
          <WorkFileUpload />
        </Form.Item>
        <Form.Item name="material" label="佐证材料说明">
          <Input placeholder="如录音编号、政策文件文号" maxLength={1000} />
        </Form.Item>
      </FormModal>
    </Drawer>
  );
}
