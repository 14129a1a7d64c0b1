import { Button, Card } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useMe } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { TotpPanel } from './TotpPanel';

/** 账户安全: the second factor (TOTP) and the way to 修改密码 (等保 2.0 身份鉴别). */
export default function AccountSecurityPage() {
  const me = useMe();
  const nav = useNavigate();
  return (
    <>
      <PageHeader title="账户安全" sub={`${me.displayName}（${me.username}）的登录方式`} />
      <Card size="small" title="二次验证（动态验证码）" style={{ marginBottom: 12 }}>
        <TotpPanel me={me} />
      </Card>
      <Card size="small" title="登录密码">
        <Button onClick={() => nav('/account/password')}>修改密码</Button>
      </Card>
    </>
  );
}
