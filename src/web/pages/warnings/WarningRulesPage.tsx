import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { WARNING_LEVEL_NAMES, WARNING_LEVELS, type WarningLevel } from '../../../shared/domain/warnings';
import { errorMessage } from '../../api/client';
import { warningsApi, type WarningSettings, type WarningWord } from '../../api/warnings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { WarningLevelTag } from './warning-labels';

const LEVEL_OPTIONS = WARNING_LEVELS.map((l) => ({ value: l, label: WARNING_LEVEL_NAMES[l] }));

/**
 * 预警规则 (第二十七条): the sensitive-risk words matched at intake and the thresholds of the scheduler's job. Admins
 * edit (each change audited); supervisors and analysts read.
 */
export default function WarningRulesPage() {
  const { message, modal } = App.useApp();
  const rules = useAsync(() => warningsApi.rules(), []);
  const [adding] = Form.useForm<{ word: string; level: WarningLevel }>();
  const [settings] = Form.useForm<WarningSettings>();
  const [busy, setBusy] = useState(false);
  const editable = !!rules.data?.canEdit;
  const act = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await f();
      void message.success(done);
      await rules.reload();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="预警规则"
        sub="第二十七条 风险预警：受理时匹配的敏感风险词，以及集体诉求、诉求量突增的预警阈值；每次修改均记入操作审计"
      />
      <ErrorAlert message={rules.errorText} onRetry={() => void rules.reload()} />
      {rules.data && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card title="预警阈值" size="small">
            <Form<WarningSettings>
              form={settings}
              layout="inline"
              initialValues={rules.data.settings}
              disabled={!editable}
              onFinish={(v) =>
                void act(
                  () => warningsApi.updateSettings({ ...v, version: rules.data!.settings.version }),
                  '预警阈值已保存',
                )
              }
            >
              <Form.Item
                name="collectiveRequesters"
                label="集体诉求人数"
                rules={[{ required: true, message: '请填写' }]}
              >
                <InputNumber min={2} max={100} addonAfter="人" />
              </Form.Item>
              <Form.Item name="collectiveHours" label="时间范围" rules={[{ required: true, message: '请填写' }]}>
                <InputNumber min={1} max={168} addonAfter="小时" />
              </Form.Item>
              <Form.Item name="spikeSeries" label="突增监测序列数" rules={[{ required: true, message: '请填写' }]}>
                <InputNumber min={1} max={2000} addonAfter="个" />
              </Form.Item>
              {editable && (
                <Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>
                    保存
                  </Button>
                </Form.Item>
              )}
            </Form>
          </Card>
          <Card title="敏感风险词" size="small">
            {editable && (
              <Form
                form={adding}
                layout="inline"
                style={{ marginBottom: 12 }}
                initialValues={{ level: 'orange' }}
                onFinish={(v) =>
                  void act(async () => {
                    await warningsApi.addWord({ word: v.word.trim(), level: v.level, active: true });
                    adding.resetFields();
                  }, '敏感词已添加')
                }
              >
                <Form.Item name="word" rules={[{ required: true, message: '请填写敏感词' }]}>
                  <Input placeholder="敏感词" maxLength={20} aria-label="敏感词" />
                </Form.Item>
                <Form.Item name="level">
                  <Select options={LEVEL_OPTIONS} style={{ width: 100 }} aria-label="级别" />
                </Form.Item>
                <Form.Item>
                  <Button htmlType="submit" icon={<PlusOutlined />} loading={busy}>
                    添加
                  </Button>
                </Form.Item>
              </Form>
            )}
            <Table<WarningWord>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={rules.data.words}
              columns={[
                { title: '敏感词', dataIndex: 'word' },
                {
                  title: '级别',
                  dataIndex: 'level',
                  width: 140,
                  render: (l: WarningLevel, w) =>
                    editable ? (
                      <Select
                        size="small"
                        value={l}
                        aria-label={`「${w.word}」的级别`}
                        options={LEVEL_OPTIONS}
                        style={{ width: 100 }}
                        onChange={(level) => void act(() => warningsApi.updateWord(w.id, { level }), '已修改')}
                      />
                    ) : (
                      <WarningLevelTag level={l} />
                    ),
                },
                {
                  title: '启用',
                  dataIndex: 'active',
                  width: 90,
                  render: (a: boolean, w) => (
                    <Switch
                      size="small"
                      checked={a}
                      aria-label={`启用「${w.word}」`}
                      disabled={!editable}
                      onChange={(active) =>
                        active
                          ? void act(() => warningsApi.updateWord(w.id, { active }), '已启用')
                          : // issue 14: a consequential change asks first — the word stops raising warnings
                            modal.confirm({
                              title: `停用敏感词「${w.word}」？`,
                              content: '停用后，含该词的诉求不再触发预警；可随时重新启用。',
                              okText: '停用',
                              okButtonProps: { danger: true },
                              cancelText: '取消',
                              onOk: () => act(() => warningsApi.updateWord(w.id, { active }), '已停用'),
                            })
                      }
                    />
                  ),
                },
                { title: '修改时间', dataIndex: 'updatedAt', width: 170, render: fmtDateTime },
              ]}
            />
          </Card>
        </Space>
      )}
    </>
  );
}
