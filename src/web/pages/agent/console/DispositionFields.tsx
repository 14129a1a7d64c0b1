import { useState } from 'react';
import { Alert, Button, Col, Flex, Form, Input, Radio, Row, Select, Switch, Typography, type FormInstance } from 'antd';
import { api } from '../../../api/endpoints';
import { errorMessage } from '../../../api/client';
import type { DispositionKind, EmergencyLine } from '../../../api/contact-types';
import { CategoryCascader, RegionCascader, UnitSelect } from '../../../components/Pickers';
import { HOTLINE_LABELS, HOTLINES, LEGAL_CHANNEL_LABELS, SECRET_KIND_LABELS } from '../../../lib/dispositions';
import { REQUEST_TYPE_LABELS, URGENCY_LABELS } from '../../../lib/labels';
import { holdsPersonalNumber, UNIT_TEXT_MAX, UNIT_TEXT_MIN } from '../../../../shared/domain/report-text';
import { RADIO_GROUP } from '../../../lib/a11y-props';

export interface TicketOption {
  id: number;
  number: string;
  title: string;
  statusLabel: string;
}

const need = (message: string) => [{ required: true, whitespace: true, message }];
const max = (n: number, what: string) => ({ max: n, message: `${what}不能超过 ${n} 字` });
const note = (
  <Form.Item name="note" label="备注" rules={[max(2000, '备注')]}>
    <Input.TextArea rows={2} placeholder="可选" />
  </Form.Item>
);
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The fields each disposition requires (contracts/dispositions.ts), and nothing else. */
export function DispositionFields({
  kind,
  form,
  suggested,
  transferring,
  onTransfer,
  ticketOptions,
  keptAddress = null,
}: {
  kind: DispositionKind;
  form: FormInstance;
  keptAddress?: string | null;
  suggested: EmergencyLine | null;
  transferring: EmergencyLine | null;
  onTransfer: (line: EmergencyLine) => void;
  ticketOptions: TicketOption[];
}) {
  const requestType = Form.useWatch<string | undefined>('requestType', form);
  switch (kind) {
    case 'dispatched':
      return (
        <Row gutter={12}>
          <Col span={15}>
            <Form.Item name="requestType" label="诉求类型" rules={[{ required: true, message: '请选择诉求类型' }]}>
              <Radio.Group {...RADIO_GROUP} optionType="button" size="small" options={options(REQUEST_TYPE_LABELS)} />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="urgency" label="紧急程度">
              <Radio.Group {...RADIO_GROUP} optionType="button" size="small" options={options(URGENCY_LABELS)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryId" label="事项分类" rules={[{ required: true, message: '请选择事项分类' }]}>
              <CategoryCascader />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="regionCode" label="行政区划" rules={[{ required: true, message: '请选择行政区划' }]}>
              <RegionCascader intake />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="title" label="标题" rules={[...need('请填写诉求摘要'), max(200, '标题')]}>
              <Input placeholder="一句话概括诉求，如：和平路路灯连续一周不亮" showCount maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="address"
              label="详细地址"
              rules={[max(500, '地址')]}
              extra={keptAddress ? `留空即沿用诉求人提供的地址（${keptAddress}），无需查看或重新输入` : undefined}
            >
              <Input placeholder={keptAddress ? '留空则沿用诉求人提供的地址' : '街道、小区、门牌号或参照物'} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="content" label="诉求内容" rules={[...need('请填写诉求内容'), max(10000, '诉求内容')]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
          {requestType === 'report' && (
            <Col span={24}>
              <Form.Item
                name="reportedUnitId"
                label="被举报单位"
                extra="被举报单位看不到举报人的任何信息（第三十三条）"
              >
                <UnitSelect placeholder="可选：举报涉及的单位" />
              </Form.Item>
            </Col>
          )}
          {requestType === 'report' && (
            <Col span={24}>
              {/* 第三十三条: the reported unit reads only this text, never the requester's own words */}
              <Form.Item
                name="unitText"
                label="转给承办单位的事项转述"
                extra="用自己的话写明被举报的事项，不写举报人的姓名、电话、住址等任何信息；被举报单位只能看到这段文字"
                rules={[
                  ...need('举报须填写事项转述'),
                  { min: UNIT_TEXT_MIN, message: `事项转述至少 ${UNIT_TEXT_MIN} 个字` },
                  max(UNIT_TEXT_MAX, '事项转述'),
                  {
                    validator: async (_r, v?: string) => {
                      if (v && holdsPersonalNumber(v))
                        throw new Error('事项转述不得包含电话、证件等号码（含隐藏部分的号码）');
                    },
                  },
                ]}
              >
                <Input.TextArea
                  rows={3}
                  showCount
                  maxLength={UNIT_TEXT_MAX}
                  placeholder="如：反映某窗口工作人员在办理营业执照时索要好处费"
                />
              </Form.Item>
            </Col>
          )}
        </Row>
      );
    case 'answered':
      return (
        <>
          <Form.Item name="answer" label="答复内容" rules={[...need('请填写答复内容'), max(5000, '答复内容')]}>
            <Input.TextArea rows={4} autoFocus placeholder="依据的政策或知识库内容" />
          </Form.Item>
          {note}
        </>
      );
    case 'transferred':
      return (
        <>
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            {HOTLINES.map((l) => (
              <Button
                key={l}
                danger
                type={l === suggested ? 'primary' : 'default'}
                size="large"
                loading={transferring === l}
                onClick={() => onTransfer(l)}
                data-hotline={l}
              >
                转接 {HOTLINE_LABELS[l]}
              </Button>
            ))}
          </Flex>
          <Alert type="info" showIcon message="点击即转接并记录，无需填写其他内容" />
        </>
      );
    case 'redirected':
      return (
        <>
          <Form.Item name="channel" label="法定途径" rules={[{ required: true, message: '请选择法定途径' }]}>
            <Radio.Group {...RADIO_GROUP} options={options(LEGAL_CHANNEL_LABELS)} />
          </Form.Item>
          <Form.Item name="alreadyInChannel" label="是否已进入该途径" valuePropName="checked">
            <Switch checkedChildren="已进入" unCheckedChildren="尚未进入" />
          </Form.Item>
          {note}
        </>
      );
    case 'repeat':
      return (
        <>
          <Form.Item
            name="ticketId"
            label="重复的工单"
            rules={[{ required: true, message: '请选择重复的工单，或输入来电人报出的工单号' }]}
            extra="可直接输入来电人报出的工单号（如 HZ20250312-000123）查找"
          >
            <RepeatTicketPicker ticketOptions={ticketOptions} />
          </Form.Item>
          {note}
        </>
      );
    case 'explained':
      return (
        <>
          <Form.Item name="secretKind" label="涉及内容" rules={[{ required: true, message: '请选择涉及的内容' }]}>
            <Radio.Group {...RADIO_GROUP} optionType="button" options={options(SECRET_KIND_LABELS)} />
          </Form.Item>
          <Form.Item name="explanation" label="解释说明" rules={[...need('请填写解释内容'), max(2000, '解释内容')]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </>
      );
    case 'admonished':
      return (
        <>
          <Form.Item name="violation" label="违反的规定" rules={[...need('请说明违反的规定'), max(1000, '违反的规定')]}>
            <Input placeholder="如：《中华人民共和国道路交通安全法》" />
          </Form.Item>
          {note}
        </>
      );
    case 'not_accepted':
      return (
        <Form.Item name="reason" label="不予受理的理由" rules={[...need('请说明不予受理的理由'), max(1000, '理由')]}>
          <Input.TextArea rows={3} placeholder="如：民间借贷纠纷应通过诉讼解决" />
        </Form.Item>
      );
  }
}

const TICKET_NUMBER = /^HZ\d{8}-\d{6}$/;
const STILL_OPEN = new Set(['pending_dispatch', 'dispatched', 'in_progress', 'replied']);

/**
 * 第十三条(三) 重复诉求: the suggested duplicates and the requester's open tickets, and — since the caller often reads
 * out a number — any open ticket found by the number typed here (issue 14: the picker was empty without a category).
 */
function RepeatTicketPicker({
  ticketOptions,
  value,
  onChange,
}: {
  ticketOptions: TicketOption[];
  value?: number;
  onChange?: (v: number) => void;
}) {
  const [found, setFound] = useState<TicketOption[]>([]);
  const [looking, setLooking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const lookUp = (typed: string) => {
    const n = typed.trim().toUpperCase().replace(/\s+/g, '');
    if (!TICKET_NUMBER.test(n) || ticketOptions.some((t) => t.number === n) || found.some((t) => t.number === n))
      return;
    setLooking(true);
    setNote(null);
    api.tickets
      .search(n, 1)
      .then((r) => {
        const t = r.items[0];
        if (!t) return setNote(`未找到工单 ${n}`);
        if (!STILL_OPEN.has(t.status) || t.mergedIntoId)
          return setNote(`工单 ${n} 已${t.statusLabel}，不能作为重复诉求并入；如诉求人有新情况，请按新诉求受理`);
        setFound((f) => [...f, { id: t.id, number: t.number, title: t.title, statusLabel: t.statusLabel }]);
      })
      .catch((e: unknown) => setNote(errorMessage(e)))
      .finally(() => setLooking(false));
  };
  const all = [...ticketOptions, ...found.filter((f) => !ticketOptions.some((t) => t.id === f.id))];
  return (
    <>
      <Select
        showSearch
        value={value}
        onChange={onChange}
        loading={looking}
        optionFilterProp="label"
        placeholder="从可能重复的工单中选择，或输入工单号"
        onSearch={lookUp}
        notFoundContent={looking ? '正在查找…' : '输入完整工单号可查找'}
        options={all.map((t) => ({ value: t.id, label: `${t.number} ${t.title}（${t.statusLabel}）` }))}
        data-testid="repeat-ticket-picker"
      />
      {note && (
        <Typography.Text type="warning" role="status">
          {note}
        </Typography.Text>
      )}
    </>
  );
}
