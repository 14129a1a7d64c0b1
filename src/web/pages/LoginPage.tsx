import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, RightOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useSession } from '../auth/session';
import { ApiError, errorMessage } from '../api/client';
import { isTotpChallenge } from '../api/account';
import type { Me } from '../api/types';
import { homePath } from '../lib/permissions';
import { useRouteTitle } from '../lib/use-route-title';

export default function LoginPage() {
  const { me, login, loginTotp, expired } = useSession();
  const nav = useNavigate();
  // Back to the page that asked for a login (e.g. a ticket link), else the role's first screen.
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // 等保 2.0: the password was right and the account has a second factor: the code is the second step
  const [challenge, setChallenge] = useState<string | null>(null);
  useRouteTitle();
  if (me) return <Navigate to={homePath(me)} replace />;

  const enter = (m: Me) => nav(from && from !== '/' ? from : homePath(m), { replace: true });
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await login(v.username.trim(), v.password);
      if (isTotpChallenge(r)) setChallenge(r.challenge);
      else enter(r);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const submitCode = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      enter(await loginTotp(challenge!, v.code.trim()));
    } catch (e) {
      // an expired challenge (five minutes, or five wrong codes) starts over at the password
      if (e instanceof ApiError && (e.details as { reason?: string } | undefined)?.reason === 'challenge_expired')
        setChallenge(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #e6f0ff 0%, #f5f7fa 60%)',
      }}
    >
      <Card style={{ width: 380 }} styles={{ body: { padding: 32 } }}>
        <Typography.Title level={1} className="page-h1" style={{ textAlign: 'center', marginBottom: 4 }}>
          菏泽市12345
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 24 }}>
          政务服务便民热线 · 工单系统
        </Typography.Paragraph>
        {expired && !error && (
          <Alert type="warning" showIcon message="登录已过期，请重新登录" style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
        {challenge ? (
          <Form layout="vertical" onFinish={submitCode} requiredMark={false} autoComplete="off" key="totp">
            <Typography.Paragraph>
              请打开手机上的身份验证器，输入“菏泽12345热线”当前显示的 6 位动态验证码。
            </Typography.Paragraph>
            <Form.Item
              name="code"
              label="动态验证码"
              rules={[
                { required: true, message: '请输入动态验证码' },
                { pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字验证码' },
              ]}
            >
              <Input
                prefix={<SafetyOutlined />}
                autoFocus
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder="6 位数字"
                size="large"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} size="large">
              验证并登录
            </Button>
            <Button
              type="link"
              block
              style={{ marginTop: 8 }}
              onClick={() => {
                setChallenge(null);
                setError(null);
              }}
            >
              返回重新输入密码
            </Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item
              name="username"
              label="用户名"
              rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
            >
              <Input prefix={<UserOutlined />} autoFocus autoComplete="username" placeholder="用户名" />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} size="large">
              登录
            </Button>
          </Form>
        )}
        <div style={{ marginTop: 20, paddingTop: 16, borderTop: '1px solid #f0f0f0', textAlign: 'center' }}>
          <Link to="/portal" data-testid="portal-link">
            公众服务：网上留言、查询办理进度 <RightOutlined />
          </Link>
        </div>
      </Card>
    </div>
  );
}
