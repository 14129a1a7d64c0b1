import type { ReactNode, RefObject } from 'react';
import {
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Progress,
  Radio,
  Row,
  Typography,
  type FormInstance,
  type InputRef,
  type UploadFile,
} from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import type { Channel } from '../../../api/contact-types';
import { AttachmentPicker } from '../../../components/AttachmentPicker';
import { CHANNEL_LABELS } from '../../../lib/labels';

export interface ContactValues {
  channel: Channel;
  requesterName?: string;
  requesterPhone?: string;
  address?: string;
  content?: string;
  files?: UploadFile[];
}

const CHANNELS: Channel[] = ['phone', 'sms', 'wechat', 'weibo', 'web'];
export const PHONE_RE = /^[+\d][\d\s-]{4,19}$/;

/**
 * 第十二条 全面准确记录: who called on which channel, where, what they want, and what they sent. Arranged in
 * the order of a call; Tab moves on, Ctrl+Enter records from any field.
 */
export function ContactForm({
  form,
  onSubmit,
  busy,
  progress,
  first,
  extra,
}: {
  form: FormInstance<ContactValues>;
  onSubmit: () => void;
  busy: boolean;
  progress: number | null;
  first: RefObject<InputRef>;
  extra?: ReactNode;
}) {
  return (
    <Card size="small" title="记录来电 / 来信" data-testid="contact-form" extra={extra}>
      <Form<ContactValues>
        form={form}
        layout="vertical"
        initialValues={{ channel: 'phone', files: [] }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onSubmit();
          }
        }}
        requiredMark
      >
        <Form.Item name="channel" label="受理渠道" style={{ marginBottom: 12 }}>
          <Radio.Group
            optionType="button"
            size="small"
            options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="requesterName"
              label="诉求人姓名"
              rules={[{ max: 100, message: '姓名不能超过 100 字' }]}
              style={{ marginBottom: 12 }}
            >
              <Input ref={first} autoFocus placeholder="可不填（匿名）" maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="requesterPhone"
              label="联系电话"
              rules={[{ pattern: PHONE_RE, message: '电话号码格式不正确' }]}
              style={{ marginBottom: 12 }}
            >
              <Input placeholder="来电号码或诉求人留的电话" maxLength={20} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="address"
          label="详细地址"
          rules={[{ max: 500, message: '地址不能超过 500 字' }]}
          style={{ marginBottom: 12 }}
        >
          <Input placeholder="街道、小区、门牌号或参照物（派单时带入工单）" />
        </Form.Item>
        <Form.Item
          name="content"
          label="诉求内容"
          rules={[
            { required: true, whitespace: true, message: '请填写诉求内容' },
            { max: 10000, message: '诉求内容不能超过 10000 字' },
          ]}
          style={{ marginBottom: 12 }}
        >
          <Input.TextArea rows={4} placeholder="时间、地点、事情经过和诉求人的要求" />
        </Form.Item>
        <Form.Item name="files" label="附件" valuePropName="value" style={{ marginBottom: 12 }}>
          <AttachmentPicker disabled={busy} />
        </Form.Item>
        {progress !== null && (
          <Progress
            percent={progress}
            size="small"
            status={progress < 100 ? 'active' : 'success'}
            data-testid="upload-progress"
          />
        )}
        <Flex gap={12} align="center" wrap>
          <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={onSubmit}>
            记录（Ctrl+Enter）
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              first.current?.focus();
            }}
            disabled={busy}
          >
            清空
          </Button>
          <Typography.Text type="secondary">记录后选择处置方式；紧急事项可随时一键转接</Typography.Text>
        </Flex>
      </Form>
    </Card>
  );
}
