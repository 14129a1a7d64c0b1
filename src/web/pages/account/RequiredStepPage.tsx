import { Button, Card, Flex, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { Me } from '../../api/types';
import { useSession } from '../../auth/session';
import { ChangePasswordForm } from './ChangePasswordForm';
import { TotpPanel } from './TotpPanel';

/**
 * 等保 2.0 身份鉴别: what a user must do right after signing in, before any other screen — change a password an admin
 * set (a reset, a new administrator's one-time password), or enrol the second factor their role requires. The
 * server refuses everything else to such a session; this screen is all the app shows until it is done.
 */
export function RequiredStepPage({ me }: { me: Me }) {
  const { logout } = useSession();
  const nav = useNavigate();
  const password = me.mustChangePassword;
  return (
    <Flex
      justify="center"
      align="center"
      style={{ minHeight: '100vh', background: 'linear-gradient(135deg, #e6f0ff 0%, #f5f7fa 60%)', padding: 16 }}
    >
      <Card
        style={{ width: password ? 480 : 720 }}
        title={password ? '请修改密码' : '请绑定二次验证'}
        extra={
          <Button
            icon={<LogoutOutlined />}
            size="small"
            onClick={() => void logout().then(() => nav('/login', { replace: true }))}
          >
            退出
          </Button>
        }
        data-testid="required-step"
      >
        <Typography.Paragraph>
          {me.displayName}（{me.username}），
          {password
            ? '您正在使用系统管理员设置的临时密码。为保证账号安全，请先设置只有您自己知道的新密码，然后才能继续使用系统。'
            : '请用手机验证器完成绑定。'}
        </Typography.Paragraph>
        {password ? <ChangePasswordForm me={me} /> : <TotpPanel me={me} forced />}
      </Card>
    </Flex>
  );
}
