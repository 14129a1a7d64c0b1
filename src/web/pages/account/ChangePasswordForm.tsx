import { App, Button, Form, Input, Typography } from 'antd';
import { account } from '../../api/account';
import type { Me } from '../../api/types';
import { useSession } from '../../auth/session';
import { passwordViolations } from '../../../shared/domain/password-policy';
import { showFieldErrors } from '../admin/serverErrors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export const PASSWORD_HINT =
  '至少 10 位（以系统安全策略为准），须包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，不能与最近使用过的密码相同';

/**
 * 修改密码 (第六条, 等保 2.0 身份鉴别): the current password, then a new one checked as the user types by the same rules
 * the server applies (the server adds the admin's length setting and the password history).
 */
export function ChangePasswordForm({ me, onDone }: { me: Me; onDone?: (me: Me) => void }) {
  const { message } = App.useApp();
  const { update } = useSession();
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    try {
      const next = await account.changePassword(v.currentPassword, v.newPassword);
      form.resetFields();
      update(next);
      message.success('密码已修改，您在其他设备上的登录已退出');
      onDone?.(next);
    } catch (e) {
      try {
        showFieldErrors(form, e);
      } catch (shown) {
        message.error(shown instanceof Error ? shown.message : '修改失败，请稍后重试');
      }
    }
  };
  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} style={{ maxWidth: 420 }}>
      {/* the browser's password manager fills and saves by these names */}
      <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
      <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra={PASSWORD_HINT}
        rules={[
          { required: true, message: '请输入新密码' },
          {
            validator: async (_r, v?: string) => {
              const broken = v ? passwordViolations(v, { username: me.username }) : [];
              if (broken.length) throw new Error(broken[0]!.message);
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_r, v?: string) => {
              if (v && v !== getFieldValue('newPassword')) throw new Error('两次输入的密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        修改密码
      </Button>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        修改后，除当前页面外，您在其他浏览器或设备上的登录将全部退出。
      </Typography.Paragraph>
    </Form>
  );
}
