import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Form,
  Input,
  Progress,
  Result,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { PublicCategory, PublicRegion, PublicSubmission } from '../../api/contact-types';
import { suggestEmergency } from '../../../shared/domain/emergency';
import { ResultFocus } from '../../components/ResultFocus';
import { KnowledgeSearchBox } from './KnowledgeSearchBox';

interface Values {
  content: string;
  address?: string;
  category?: number[];
  /** [county] or [county, town] */
  place?: string[];
  name?: string;
  phone?: string;
}

const MAX_PICTURES = 3;
const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

/** The staff categories as a two-level cascade (issue 14: the portal's categories are the staff's own). */
function categoryOptions(all: PublicCategory[]) {
  interface Option {
    value: number;
    label: string;
    children?: Option[];
  }
  const children = (parent: number | null): Option[] =>
    all
      .filter((c) => c.parentId === parent)
      .map((c) => {
        const sub = parent === null ? children(c.id) : [];
        return { value: c.id, label: c.name, ...(sub.length ? { children: sub } : {}) };
      });
  return children(null);
}

/** Counties with their towns/streets as a two-level cascade (issue 14: where the problem is, without a map). */
function placeOptions(all: PublicRegion[]) {
  return all
    .filter((r) => r.parentCode === null)
    .map((county) => {
      const towns = all.filter((r) => r.parentCode === county.code).map((t) => ({ value: t.code, label: t.name }));
      return { value: county.code, label: county.name, ...(towns.length ? { children: towns } : {}) };
    });
}

/** 第十三条(一): the numbers to call instead of writing, at once, while the citizen is still typing. */
export function EmergencyGuidance({ line, label }: { line: string; label: string }) {
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="portal-emergency"
      style={{ marginBottom: 12 }}
      message={
        <span>
          您描述的情况可能需要紧急处置：请立即拨打{' '}
          <a href={`tel:${line}`} style={{ fontSize: 18, fontWeight: 600 }}>
            {line}
          </a>
          （{label}）
        </span>
      }
      description="网上留言由话务员按顺序处理，不能代替报警和急救。火警 119、报警 110、急救 120、交通事故 122。"
    />
  );
}
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
  const [categories, setCategories] = useState<PublicCategory[]>([]);
  const [regions, setRegions] = useState<PublicRegion[]>([]);
  const content = Form.useWatch('content', form);
  const emergency = suggestEmergency(content ?? '');
  useEffect(() => {
    api.public.categories().then(setCategories, () => setCategories([]));
    api.public.regions().then(setRegions, () => setRegions([]));
  }, []);

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
      const picked = v.category?.[v.category.length - 1];
      if (picked) fd.set('categoryId', String(picked));
      const place = v.place?.[v.place.length - 1];
      if (place) fd.set('regionCode', place);
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
      <>
        <h1 className="portal-title">我要留言</h1>
        {/* 无障碍: the result takes the focus and is read out (the focus no longer falls to the page body) */}
        <ResultFocus
          focusKey={done.reference}
          announceText={`留言已提交，留言编号 ${done.reference}${done.code ? `，查询码 ${done.code}` : ''}`}
        >
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
                  {done.code && (
                    <>
                      {'　'}查询码{' '}
                      <Typography.Text strong copyable data-testid="portal-code">
                        {done.code}
                      </Typography.Text>
                    </>
                  )}
                </span>
              }
              extra={[
                <Button
                  key="track"
                  type="primary"
                  onClick={() => nav('/portal/track', { state: { number: done.reference, code: done.code ?? '' } })}
                >
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
              {done.emergency && <EmergencyGuidance line={done.emergency.line} label={done.emergency.label} />}
              <Typography.Paragraph data-testid="portal-submitted-message">{done.message}</Typography.Paragraph>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                话务员将尽快受理您的留言：能当场答复的直接答复；需要有关单位办理的形成工单，工单号和查询码以短信发送到您留下的手机号，凭此可在“查询进度”中查看办理情况并评价。凭上面的留言编号和查询码，现在就可以查询留言的处理情况；也可拨打12345报留言编号查询。
              </Typography.Paragraph>
            </Result>
          </Card>
        </ResultFocus>
      </>
    );
  }

  return (
    <>
      <h1 className="portal-title">我要留言</h1>
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
          {emergency && <EmergencyGuidance line={emergency.line} label={emergency.label} />}
          <Form.Item name="place" label="所在区域" extra="县区，或具体到乡镇（街道）">
            <Cascader
              allowClear
              changeOnSelect
              placeholder="可不选，如：牡丹区 / 东城街道"
              options={placeOptions(regions)}
              expandTrigger="hover"
              showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
            />
          </Form.Item>
          <Form.Item name="address" label="地址" rules={[{ max: 200, message: '地址过长' }]}>
            <Input placeholder="问题发生的地点，如：牡丹区和平路与中华路交叉口" />
          </Form.Item>
          <Form.Item name="category" label="诉求类别">
            <Cascader
              allowClear
              changeOnSelect
              placeholder="可不选"
              options={categoryOptions(categories)}
              expandTrigger="hover"
            />
          </Form.Item>
          <Form.Item label="图片" extra={`最多 ${MAX_PICTURES} 张，每张不超过 10 MB`}>
            <Upload
              listType="picture-card"
              // 无障碍: the tile has no button inside, so the upload itself is the Tab stop (role=button, Enter opens)
              hasControlInside={false}
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
          <Typography.Paragraph type="secondary" style={{ fontSize: '1em' }}>
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
