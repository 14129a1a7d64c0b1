import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, QRCode, Space, Steps, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { account, type TotpSetup } from '../../api/account';
import type { Me } from '../../api/types';
import { useSession } from '../../auth/session';
import { errorMessage } from '../../api/client';
import { showFieldErrors } from '../admin/serverErrors';

const CODE_RULES = [
  { required: true, message: '请输入动态验证码' },
  { pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字验证码' },
];

/** The secret in groups of four, as a person types it into an app without a camera. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * 二次验证 (等保 2.0 身份鉴别): enrol an authenticator app — the secret as a QR code and as text, confirmed with a code —
 * or switch it off with a code. `forced`: the user's role requires it and nothing else is open until it is done.
 */
export function TotpPanel({ me, forced = false }: { me: Me; forced?: boolean }) {
  const { message } = App.useApp();
  const { update } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ code: string }>();

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await account.totpSetup());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (v: { code: string }) => {
    try {
      const next = await account.totpEnable(v.code.trim());
      setSetup(null);
      update(next);
      message.success('已启用二次验证：以后登录须输入验证器中的动态验证码');
    } catch (e) {
      try {
        showFieldErrors(confirmForm, e);
      } catch (shown) {
        setError(errorMessage(shown));
      }
    }
  };
  const disable = async (v: { code: string }) => {
    try {
      update(await account.totpDisable(v.code.trim()));
      disableForm.resetFields();
      message.success('已停用二次验证');
    } catch (e) {
      try {
        showFieldErrors(disableForm, e);
      } catch (shown) {
        setError(errorMessage(shown));
      }
    }
  };

  if (me.totpEnabled)
    return (
      <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="totp-enabled">
        <Space>
          <SafetyCertificateOutlined style={{ color: '#52c41a', fontSize: 18 }} />
          <Typography.Text>二次验证</Typography.Text>
          <Tag color="green">已启用</Tag>
        </Space>
        <Typography.Text type="secondary">
          登录时在密码之后输入验证器中的 6
          位动态验证码。更换手机时请先停用，再重新绑定；验证器丢失时请联系系统管理员重置。
        </Typography.Text>
        {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} />}
        <Form form={disableForm} layout="inline" onFinish={disable} requiredMark={false}>
          <Form.Item name="code" label="当前动态验证码" rules={CODE_RULES}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 140 }} />
          </Form.Item>
          <Button danger htmlType="submit">
            停用二次验证
          </Button>
        </Form>
      </Space>
    );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {forced && (
        <Alert
          type="warning"
          showIcon
          message="您的角色须使用二次验证"
          description="系统安全策略要求您的角色在登录时同时使用密码和手机验证器生成的动态验证码。请先完成绑定，绑定后即可继续使用系统。"
        />
      )}
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} />}
      {!setup ? (
        <Space direction="vertical">
          <Space>
            <SafetyCertificateOutlined style={{ fontSize: 18 }} />
            <Typography.Text>二次验证</Typography.Text>
            <Tag>未启用</Tag>
          </Space>
          <Typography.Text type="secondary">
            启用后，登录时除密码外还须输入手机验证器（如“腾讯身份验证器”、Google Authenticator、Microsoft
            Authenticator）每 30 秒更新一次的 6 位动态验证码，密码泄露也无法登录。
          </Typography.Text>
          <Button type="primary" onClick={() => void start()} loading={busy}>
            绑定验证器
          </Button>
        </Space>
      ) : (
        <>
          <Steps
            direction="vertical"
            size="small"
            current={1}
            items={[
              { title: '在手机上安装身份验证器应用' },
              {
                title: '扫描二维码或手动输入密钥',
                description: (
                  <Flex gap={24} align="center" wrap style={{ margin: '8px 0' }}>
                    <QRCode value={setup.otpauthUri} size={176} bordered data-testid="totp-qr" />
                    <Space direction="vertical" size={4}>
                      <Typography.Text type="secondary">无法扫码时，在验证器中选择“手动输入”：</Typography.Text>
                      <Typography.Text>账户：{setup.account}</Typography.Text>
                      <Typography.Text>发行方：{setup.issuer}</Typography.Text>
                      <Typography.Text>
                        密钥：
                        <Typography.Text code copyable={{ text: setup.secret }} data-testid="totp-secret">
                          {grouped(setup.secret)}
                        </Typography.Text>
                      </Typography.Text>
                      <Typography.Text type="secondary">类型：基于时间，6 位数字，每 30 秒更新</Typography.Text>
                    </Space>
                  </Flex>
                ),
              },
              {
                title: '输入验证器显示的动态验证码完成绑定',
                description: (
                  <Form
                    form={confirmForm}
                    layout="inline"
                    onFinish={confirm}
                    requiredMark={false}
                    style={{ marginTop: 8 }}
                  >
                    <Form.Item name="code" label="动态验证码" rules={CODE_RULES}>
                      <Input
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        maxLength={6}
                        style={{ width: 140 }}
                        autoFocus
                      />
                    </Form.Item>
                    <Button type="primary" htmlType="submit">
                      确认绑定
                    </Button>
                  </Form>
                ),
              },
            ]}
          />
          <Typography.Text type="secondary">密钥只在此显示，离开本页后须重新生成。请勿截图或转发。</Typography.Text>
        </>
      )}
    </Space>
  );
}
