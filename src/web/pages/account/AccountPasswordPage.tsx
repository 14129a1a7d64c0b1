import { Card } from 'antd';
import { useMe } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ChangePasswordForm } from './ChangePasswordForm';

/** 修改密码, from the user menu at any time (第六条, 等保 2.0 身份鉴别). */
export default function AccountPasswordPage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="修改密码" sub={`${me.displayName}（${me.username}）`} />
      <Card size="small">
        <ChangePasswordForm me={me} />
      </Card>
    </>
  );
}
