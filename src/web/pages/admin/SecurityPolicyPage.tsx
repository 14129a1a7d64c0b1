import { useEffect } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, InputNumber, Select, Typography } from 'antd';
import { account, type SecuritySettingsInput } from '../../api/account';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { PEOPLE_ROLES, ROLE_LABELS } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { showFieldErrors } from './serverErrors';

const ROLE_OPTIONS = PEOPLE_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/**
 * 安全策略 (等保 2.0 身份鉴别): the password policy and which roles must sign in with a second factor, set by the admin
 * (every change audited); the session limits come from the deployment's settings and are shown read-only. Auditors
 * see the page without changing it.
 */
export default function SecurityPolicyPage() {
  const me = useMe();
  const { message } = App.useApp();
  const canEdit = hasRole(me, 'admin');
  const settings = useAsync(() => account.securitySettings(), []);
  const [form] = Form.useForm<SecuritySettingsInput>();
  const s = settings.data;
  useEffect(() => {
    if (s)
      form.setFieldsValue({
        passwordMinLength: s.passwordMinLength,
        passwordHistory: s.passwordHistory,
        totpRequiredRoles: s.totpRequiredRoles,
      });
  }, [s, form]);

  const save = async (v: SecuritySettingsInput) => {
    try {
      settings.setData(await account.updateSecuritySettings(v));
      message.success('安全策略已保存');
    } catch (e) {
      try {
        showFieldErrors(form, e);
      } catch (shown) {
        message.error(shown instanceof Error ? shown.message : '保存失败');
      }
    }
  };
  const requiresSelf = (Form.useWatch('totpRequiredRoles', form) ?? []).some((r) => me.roles.includes(r));

  return (
    <>
      <PageHeader title="安全策略" sub="身份鉴别：密码复杂度与历史、会话时限、二次验证（等保 2.0）" />
      <ErrorAlert message={settings.errorText} onRetry={() => void settings.reload()} />
      <Card size="small" title="密码与二次验证" style={{ marginBottom: 12 }} loading={!s && settings.loading}>
        <Form<SecuritySettingsInput>
          form={form}
          layout="vertical"
          onFinish={save}
          disabled={!canEdit}
          requiredMark={false}
          style={{ maxWidth: 560 }}
        >
          <Form.Item
            name="passwordMinLength"
            label="密码最小长度"
            extra="不少于 10 位；另须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名"
            rules={[{ required: true, type: 'number', min: 10, max: 64, message: '须为 10 至 64' }]}
          >
            <InputNumber min={10} max={64} precision={0} suffix="位" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="passwordHistory"
            label="不能与最近几次使用过的密码相同"
            rules={[{ required: true, type: 'number', min: 1, max: 24, message: '须为 1 至 24' }]}
          >
            <InputNumber min={1} max={24} precision={0} suffix="次" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="totpRequiredRoles"
            label="须使用二次验证（动态验证码）登录的角色"
            extra="这些角色的用户登录后须先绑定手机验证器，绑定前不能使用其他功能，且不能自行停用。"
          >
            <Select mode="multiple" options={ROLE_OPTIONS} placeholder="不要求（各用户可自行启用）" allowClear />
          </Form.Item>
          {canEdit && requiresSelf && !me.totpEnabled && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message="您本人的角色也在其中且尚未绑定验证器：保存后须先完成绑定才能继续操作。"
            />
          )}
          {canEdit && (
            <Button type="primary" htmlType="submit">
              保存
            </Button>
          )}
        </Form>
      </Card>
      <Card size="small" title="会话时限（部署配置，只读）">
        {s && (
          <Descriptions size="small" column={1} bordered style={{ maxWidth: 560 }}>
            <Descriptions.Item label="空闲超时">
              {s.sessionIdleMinutes} 分钟未操作自动退出（SESSION_IDLE_MINUTES）
            </Descriptions.Item>
            <Descriptions.Item label="最长登录时长">
              登录 {s.sessionTtlHours} 小时后须重新登录（SESSION_TTL_HOURS）
            </Descriptions.Item>
            <Descriptions.Item label="登录失败">
              连续失败 5 次后逐次延时，10 次锁定 15 分钟（见“登录锁定”）
            </Descriptions.Item>
          </Descriptions>
        )}
        {s?.updatedAt && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            策略最近修改于 {fmtDateTime(s.updatedAt)}
          </Typography.Paragraph>
        )}
      </Card>
    </>
  );
}
