import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Progress,
  Result,
  Select,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { PublicSubmission } from '../../api/contact-types';
import { KnowledgeSearchBox } from './KnowledgeSearchBox';

interface Values {
  content: string;
  address?: string;
  category?: string;
  name?: string;
  phone?: string;
}

const MAX_PICTURES = 3;
const MAX_PICTURE_BYTES = 10 * 1024 * 1024;
const TOPICS = ['城乡建设', '交通出行', '环境保护', '市场监管', '劳动社保', '教育', '医疗卫生', '水电气暖', '其他'];
// Must stay empty: people never see it, form-filling bots fill it (web-form.routes.ts HONEYPOT_FIELD).
const HONEYPOT = 'hz_trap';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * 网上留言 (第二条、第九条): no account. A signed form token is fetched first (the server refuses a submission
 * faster than its minimum fill time, or with the hidden field filled); up to three pictures.
 */
export default function SubmitPage() {
  const { message } = App.useApp();
  const nav = useNavigate();
  const [form] = Form.useForm<Values>();
  const [token, setToken] = useState<{ token: string; minFillMs: number; at: number } | null>(null);
  const [trap, setTrap] = useState('');
  const [pictures, setPictures] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PublicSubmission | null>(null);

  const loadToken = useCallback(() => {
    api.public.formToken().then(
      (t) => setToken({ token: t.token, minFillMs: t.minFillSeconds * 1000, at: Date.now() }),
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(loadToken, [loadToken]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !token) return;
    setBusy(true);
    setError(null);
    try {
      // A quick typist must not be taken for a bot: wait out the minimum fill time instead of failing.
      const wait = token.at + token.minFillMs + 300 - Date.now();
      if (wait > 0) await sleep(wait);
      const fd = new FormData();
      fd.set('formToken', token.token);
      fd.set(HONEYPOT, trap);
      for (const [k, val] of Object.entries(v)) if (typeof val === 'string' && val.trim()) fd.set(k, val.trim());
      for (const p of pictures) fd.append('pictures', p.originFileObj as File, p.name);
      setProgress(pictures.length ? 0 : null);
      setDone(await api.public.submit(fd, pictures.length ? setProgress : undefined));
    } catch (e) {
      const msg = errorMessage(e);
      setError(msg);
      if (/表单|过快/.test(msg)) loadToken(); // a fresh token for the next try
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Card>
        <Result
          status="success"
          title="留言已提交"
          subTitle={
            <span>
              留言编号{' '}
              <Typography.Text strong copyable data-testid="portal-reference">
                {done.reference}
              </Typography.Text>
            </span>
          }
          extra={[
            <Button key="track" type="primary" onClick={() => nav('/portal/track')}>
              查询办理进度
            </Button>,
            <Button
              key="again"
              onClick={() => {
                setDone(null);
                setPictures([]);
                setProgress(null);
                form.resetFields();
                loadToken();
              }}
            >
              继续留言
            </Button>,
          ]}
        >
          <Typography.Paragraph data-testid="portal-submitted-message">{done.message}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            话务员将尽快受理您的留言：能当场答复的直接答复；需要有关单位办理的形成工单，工单号和查询码以短信发送到您留下的手机号，凭此可在“查询进度”中查看办理情况并评价。未留电话的，可拨打12345报留言编号查询。
          </Typography.Paragraph>
        </Result>
      </Card>
    );
  }

  return (
    <>
      <h2 className="portal-title">我要留言</h2>
      <div style={{ marginBottom: 12 }}>
        <KnowledgeSearchBox title="提交前先查一查" hint="您的问题可能已有答复，查一查可以更快得到解答" />
      </div>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      <Card>
        <Form<Values> form={form} layout="vertical" requiredMark="optional" name="portal-submit">
          <Form.Item
            name="content"
            label="诉求内容"
            rules={[
              { required: true, whitespace: true, message: '请填写诉求内容' },
              { min: 5, message: '请具体描述您的诉求（至少 5 个字）' },
              { max: 5000, message: '诉求内容不能超过 5000 字' },
            ]}
          >
            <Input.TextArea rows={5} showCount maxLength={5000} placeholder="请说明时间、地点、事情经过和您的诉求" />
          </Form.Item>
          <Form.Item name="address" label="地址" rules={[{ max: 200, message: '地址过长' }]}>
            <Input placeholder="问题发生的地点，如：牡丹区和平路与中华路交叉口" />
          </Form.Item>
          <Form.Item name="category" label="诉求类别">
            <Select allowClear placeholder="可不选" options={TOPICS.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item label="图片" extra={`最多 ${MAX_PICTURES} 张，每张不超过 10 MB`}>
            <Upload
              listType="picture-card"
              accept="image/*"
              multiple
              fileList={pictures}
              beforeUpload={(f) => {
                if (!f.type.startsWith('image/')) {
                  message.error(`「${f.name}」不是图片`);
                  return Upload.LIST_IGNORE;
                }
                if (f.size > MAX_PICTURE_BYTES) {
                  message.error(`「${f.name}」超过 10 MB`);
                  return Upload.LIST_IGNORE;
                }
                return false;
              }}
              onChange={({ fileList }) => setPictures(fileList.slice(0, MAX_PICTURES))}
            >
              {pictures.length < MAX_PICTURES && (
                <div>
                  <PlusOutlined />
                  <div style={{ marginTop: 4 }}>添加图片</div>
                </div>
              )}
            </Upload>
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ max: 50, message: '姓名过长' }]}>
            <Input placeholder="可不填" autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label="手机号码"
            rules={[{ pattern: /^\+?\d[\d\s-]{4,19}$/, message: '电话号码格式不正确' }]}
            extra="留下手机号，受理后可收到工单号和查询码短信"
          >
            <Input inputMode="tel" placeholder="可不填" autoComplete="tel" />
          </Form.Item>
          <input
            name={HONEYPOT}
            value={trap}
            onChange={(e) => setTrap(e.target.value)}
            tabIndex={-1}
            autoComplete="off"
            aria-hidden="true"
            style={{ position: 'absolute', left: -9999, width: 1, height: 1, opacity: 0 }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            您的姓名、电话和地址依法保密、加密保存，仅用于办理本诉求（
            <Link to="/portal/about#privacy">个人信息保护</Link>）。紧急情况请直接拨打110、119、120、122。
          </Typography.Paragraph>
          {progress !== null && <Progress percent={progress} size="small" data-testid="portal-upload-progress" />}
          <Button type="primary" size="large" block loading={busy} disabled={!token} onClick={() => void submit()}>
            提交留言
          </Button>
        </Form>
      </Card>
    </>
  );
}
