import { useState } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input } from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { MessageTracking, Tracking } from '../../api/contact-types';
import { ResultFocus } from '../../components/ResultFocus';
import { MessageTrackResult, TrackResult } from './TrackResult';

interface Key {
  number: string;
  code: string;
}

/**
 * 第九条 知情权: progress and result by ticket number and tracking code, then evaluation and complaints — or, from the
 * moment a portal message is sent, by its 留言编号 and the code shown then (issue 14), before and after it is a ticket.
 */
export default function TrackPage() {
  const [params] = useSearchParams();
  // from the portal's submission result: the 留言编号 and its code, carried in the navigation (not the URL)
  const carried = (useLocation().state ?? {}) as { number?: string; code?: string };
  const [form] = Form.useForm<Key>();
  const [key, setKey] = useState<Key | null>(null);
  const [data, setData] = useState<Tracking | MessageTracking | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // a new query (not a reload after an evaluation) moves the focus to its result
  const [queries, setQueries] = useState(0);
  const load = async (k: Key, fresh = true) => {
    setBusy(true);
    setError(null);
    try {
      setData(await api.public.tracking(k.number, k.code));
      setKey(k);
      if (fresh) setQueries((n) => n + 1);
    } catch (e) {
      setError(errorMessage(e));
      setData(null);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) await load({ number: v.number.trim().toUpperCase(), code: v.code.trim().toUpperCase() });
  };

  return (
    <>
      <h1 className="portal-title">查询办理进度</h1>
      <Card style={{ marginBottom: 12 }}>
        <Form<Key>
          form={form}
          layout="vertical"
          name="portal-track"
          initialValues={{ number: carried.number ?? params.get('number') ?? '', code: carried.code ?? '' }}
          onFinish={() => void submit()}
        >
          <Form.Item
            name="number"
            label="工单号或留言编号"
            rules={[
              { required: true, whitespace: true, message: '请输入工单号或留言编号' },
              {
                pattern: /^\s*(HZ\d{8}-\d{6}|WEB-\d{1,12})\s*$/i,
                message: '格式不正确：工单号如 HZ20250312-000123，网上留言编号如 WEB-1024',
              },
            ]}
          >
            <Input placeholder="HZ20250312-000123 或 WEB-1024" autoCapitalize="characters" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="code"
            label="查询码"
            rules={[
              { required: true, whitespace: true, message: '请输入查询码' },
              { min: 6, max: 12, message: '查询码不正确' },
            ]}
            extra="工单号和查询码在受理短信中，或由话务员告知；网上留言的编号和查询码在提交成功时显示"
          >
            <Input placeholder="短信中的查询码" autoCapitalize="characters" autoComplete="off" />
          </Form.Item>
          <Button type="primary" size="large" block htmlType="submit" loading={busy}>
            查询
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {data && key && (
        // 无障碍: the result takes the focus and is read out once per query
        <ResultFocus focusKey={`${key.number}/${key.code}/${queries}`} announceText={`已查到 ${key.number} 的办理情况`}>
          {data.kind === 'message' ? (
            <MessageTrackResult data={data} />
          ) : (
            <TrackResult data={data} trackingKey={key} onChanged={() => void load(key, false)} />
          )}
        </ResultFocus>
      )}
    </>
  );
}
