import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../../api/client';
import {
  authoringApi,
  type ArticleDetail,
  type ArticleState,
  type ArticleVersion,
  type KnowledgeAttachment,
} from '../../../api/knowledge-authoring';
import type { PolicyBasis } from '../../../api/knowledge-answering';
import { useMe } from '../../../auth/session';
import { KNOWLEDGE_LIMITS as L } from '../../../../shared/contracts/knowledge';
import { fmtSize, readBase64 } from '../../../lib/files';
import { hasRole } from '../../../lib/permissions';
import { useReference } from '../../../lib/reference';

// 第十八条: writing an article — every change is a new version with its reason, sent with the lockVersion the
// screen read so that an edit made meanwhile by someone else is never silently overwritten (409).

export const CONFLICT_TEXT = '该知识已被他人修改，请刷新后再编辑';
const ATTACH_ACCEPT = '.pdf,.doc,.docx,image/*';
const ATTACH_TYPES =
  /^(application\/pdf|application\/msword|application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document|image\/)/;

interface Values {
  title: string;
  aliases: string[];
  shortAnswer: string;
  answer: string;
  visibility: 'internal' | 'public';
  publicAnswer?: string;
  policyBasis: PolicyBasis[];
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom?: Dayjs;
  expiresOn?: Dayjs | null;
  policyChangedOn?: Dayjs | null;
  reviewCycleDays?: number | null;
  changeReason?: string;
  ownerUnitId?: number;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

function initialValues(v: ArticleVersion | null | undefined, reviewCycleDays?: number): Values {
  if (!v)
    return {
      title: '',
      aliases: [],
      shortAnswer: '',
      answer: '',
      visibility: 'internal',
      policyBasis: [],
      categoryIds: [],
      regionCodes: [],
      effectiveFrom: dayjs(),
    };
  return {
    title: v.title,
    aliases: v.aliases,
    shortAnswer: v.shortAnswer,
    answer: v.answer,
    visibility: v.visibility,
    publicAnswer: v.publicAnswer ?? undefined,
    policyBasis: v.policyBasis,
    categoryIds: v.categoryIds,
    regionCodes: v.regionCodes,
    effectiveFrom: dayjs(v.effectiveFrom),
    expiresOn: v.expiresOn ? dayjs(v.expiresOn) : null,
    policyChangedOn: v.policyChangedOn ? dayjs(v.policyChangedOn) : null,
    reviewCycleDays: reviewCycleDays ?? null,
  };
}

type TreeNode = { value: string | number; title: string; children?: TreeNode[] };
function buildTree<T>(
  rows: T[],
  id: (r: T) => string | number,
  parent: (r: T) => string | number | null,
  name: (r: T) => string,
): TreeNode[] {
  const by = new Map<string | number | null, T[]>();
  const known = new Set(rows.map(id));
  for (const r of rows) {
    const p = parent(r);
    const k = p !== null && known.has(p) ? p : null;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const make = (p: string | number | null): TreeNode[] =>
    (by.get(p) ?? []).map((r) => {
      const children = make(id(r));
      return children.length ? { value: id(r), title: name(r), children } : { value: id(r), title: name(r) };
    });
  return make(null);
}

/**
 * The create/edit drawer. `article` absent: a new article. Edit starts from the version being worked on (the
 * pending one) or else the published one.
 */
export function ArticleFormDrawer({
  open,
  article,
  onClose,
  onSaved,
  onReload,
}: {
  open: boolean;
  article?: ArticleDetail | null;
  onClose: () => void;
  onSaved: (s: ArticleState) => void;
  /** reloads the article after a conflict (the drawer then starts again from what is saved) */
  onReload?: () => void;
}) {
  const me = useMe();
  const ref = useReference();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [lockVersion, setLockVersion] = useState(0);
  const [attachments, setAttachments] = useState<KnowledgeAttachment[]>([]);
  const [carried, setCarried] = useState<number[]>([]);
  const [uploading, setUploading] = useState(false);
  const reviewer = hasRole(me, 'knowledge_reviewer');
  const editing = !!article;
  const base = article ? (article.pending ?? article.published) : null;
  const visibility = Form.useWatch('visibility', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(initialValues(base, article?.reviewCycleDays));
    setLockVersion(article?.lockVersion ?? 0);
    setAttachments(article?.attachments ?? []);
    setCarried(base?.attachmentIds ?? []);
    setError(null);
    setConflict(false);
    // the article object changes identity on every reload: that is when the form starts again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, article]);

  const categoryTree = useMemo(
    () =>
      buildTree(
        ref.categories.filter((c) => c.active),
        (c) => c.id,
        (c) => c.parent_id,
        (c) => c.name,
      ),
    [ref.categories],
  );
  const regionTree = useMemo(
    () =>
      buildTree(
        ref.regions,
        (r) => r.code,
        (r) => r.parent_code,
        (r) => r.name,
      ),
    [ref.regions],
  );
  const unitOptions = useMemo(
    () => ref.units.filter((u) => u.active && u.kind !== 'centre').map((u) => ({ value: u.id, label: u.name })),
    [ref.units],
  );

  const showServerError = (e: unknown) => {
    if (e instanceof ApiError && e.code === 'conflict') {
      setConflict(true);
      setError(null);
      return;
    }
    setError(errorMessage(e));
    const errs = (e instanceof ApiError ? (e.details as { errors?: Array<{ field: string; message: string }> }) : null)
      ?.errors;
    if (errs?.length)
      form.setFields(
        errs
          .filter((x) => x.field in initialValues(null))
          .map((x) => ({ name: x.field as keyof Values, errors: [x.message] })),
      );
  };

  const save = async (submit: boolean) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const content = {
      title: v.title,
      aliases: (v.aliases ?? []).map((a) => a.trim()).filter(Boolean),
      answer: v.answer,
      shortAnswer: v.shortAnswer,
      publicAnswer: v.visibility === 'public' ? v.publicAnswer?.trim() || null : null,
      visibility: v.visibility,
      policyBasis: (v.policyBasis ?? [])
        .filter((p) => p?.document?.trim())
        .map((p) => ({
          document: p.document.trim(),
          number: p.number?.trim() || null,
          clause: p.clause?.trim() || null,
        })),
      categoryIds: v.categoryIds ?? [],
      regionCodes: v.regionCodes ?? [],
      effectiveFrom: day(v.effectiveFrom)!,
      expiresOn: day(v.expiresOn),
      policyChangedOn: day(v.policyChangedOn),
      reviewCycleDays: v.reviewCycleDays ?? null,
    };
    setSaving(true);
    setError(null);
    try {
      const s = article
        ? await authoringApi.update(article.id, {
            ...content,
            attachmentIds: carried,
            changeReason: v.changeReason!.trim(),
            lockVersion,
            submit: submit || undefined,
          })
        : await authoringApi.create({
            ...content,
            changeReason: v.changeReason?.trim() || undefined,
            ownerUnitId: reviewer ? v.ownerUnitId : undefined,
            submit: submit || undefined,
          });
      message.success(submit ? '已保存并提交审核' : reviewer ? '已保存，待中心审核' : '已保存草稿');
      onSaved(s);
    } catch (e) {
      showServerError(e);
    } finally {
      setSaving(false);
    }
  };

  const pickFile = async (file: File) => {
    if (!article) return false;
    if (!ATTACH_TYPES.test(file.type)) {
      message.error(`「${file.name}」不是支持的附件类型：仅支持 PDF、Word 文档和图片`);
      return false;
    }
    if (file.size > L.attachmentBytes) {
      message.error(`「${file.name}」过大：政策文件不能超过 ${L.attachmentBytes / 1024 / 1024} MB`);
      return false;
    }
    setUploading(true);
    try {
      const up = await authoringApi.uploadAttachment(article.id, file.name, await readBase64(file));
      // the upload is a write of the article: the next save carries the lockVersion it answered
      setLockVersion(up.lockVersion);
      setAttachments((xs) => [...xs, up]);
      setCarried((xs) => [...xs, up.id]);
      message.success(`已上传「${file.name}」`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
    }
    return false;
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={760}
      title={article ? `编辑知识：${article.workingTitle}` : '新建知识'}
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>取消</Button>
          {reviewer ? (
            <Button type="primary" loading={saving} disabled={conflict} onClick={() => void save(false)}>
              保存（待中心审核）
            </Button>
          ) : (
            <>
              <Button loading={saving} disabled={conflict} onClick={() => void save(false)}>
                保存草稿
              </Button>
              <Button type="primary" loading={saving} disabled={conflict} onClick={() => void save(true)}>
                保存并提交审核
              </Button>
            </>
          )}
        </Flex>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="knowledge-conflict"
          message={CONFLICT_TEXT}
          description="刷新后将显示最新内容，您尚未保存的修改需要重新填写。"
          action={
            <Button size="small" onClick={() => onReload?.()}>
              刷新
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" requiredMark>
        {reviewer && !editing && (
          <Form.Item name="ownerUnitId" label="所属单位" rules={[{ required: true, message: '请选择知识的所属单位' }]}>
            <Select options={unitOptions} showSearch optionFilterProp="label" placeholder="请选择承办单位" />
          </Form.Item>
        )}
        <Form.Item
          name="title"
          label="标题（按群众的问法）"
          rules={[{ required: true, whitespace: true, message: '请填写标题' }]}
        >
          <Input maxLength={L.title} showCount placeholder="如：住房公积金怎么提取" />
        </Form.Item>
        <Form.Item
          name="aliases"
          label="别名（其他问法）"
          extra={`输入后按回车添加，最多 ${L.aliases} 个，每个不超过 ${L.alias} 字`}
          rules={[
            {
              validator: async (_r, v: string[] | undefined) => {
                if ((v ?? []).length > L.aliases) throw new Error(`别名最多 ${L.aliases} 个`);
                if ((v ?? []).some((a) => a.length > L.alias)) throw new Error(`每个别名不能超过 ${L.alias} 字`);
              },
            },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={['，', ',']} placeholder="如：公积金提取、取公积金" />
        </Form.Item>
        <Form.Item
          name="shortAnswer"
          label="简短答复"
          extra="可宣读 / 短信发送：话务员向来电人宣读，或随答复短信、微信发送"
          rules={[{ required: true, whitespace: true, message: '请填写简短答复' }]}
        >
          <Input.TextArea rows={3} maxLength={L.shortAnswer} showCount />
        </Form.Item>
        <Form.Item
          name="answer"
          label="答复内容（供话务员使用）"
          rules={[{ required: true, whitespace: true, message: '请填写答复内容' }]}
        >
          <Input.TextArea rows={7} maxLength={L.answer} showCount />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="visibility" label="公开范围" rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'internal', label: '内部' },
                  { value: 'public', label: '公开' },
                ]}
                optionType="button"
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              公开的知识在发布后出现在公众服务网页；内部答复内容不会对外公开。
            </Typography.Text>
          </Col>
        </Row>
        {visibility === 'public' && (
          <Form.Item name="publicAnswer" label="公开答复（公众服务网页显示）" extra="不填则显示简短答复">
            <Input.TextArea rows={3} maxLength={L.publicAnswer} showCount />
          </Form.Item>
        )}
        <Form.Item label="政策依据（文件名称、文号、条款）">
          <Form.List name="policyBasis">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="start">
                    <Form.Item
                      name={[f.name, 'document']}
                      style={{ flex: 3, marginBottom: 0 }}
                      rules={[{ required: true, whitespace: true, message: '请填写政策文件名称' }]}
                    >
                      <Input placeholder="文件名称" maxLength={L.document} aria-label="政策文件名称" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'number']} style={{ flex: 2, marginBottom: 0 }}>
                      <Input placeholder="文号" maxLength={L.number} aria-label="文号" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'clause']} style={{ flex: 2, marginBottom: 0 }}>
                      <Input placeholder="条款" maxLength={L.clause} aria-label="条款" />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除政策依据" />
                  </Flex>
                ))}
                {fields.length < L.policyBasis && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ document: '' })} block>
                    添加政策依据
                  </Button>
                )}
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="categoryIds" label="事项分类">
              <TreeSelect
                treeData={categoryTree}
                multiple
                showSearch
                treeNodeFilterProp="title"
                placeholder="请选择（可输入搜索）"
                maxTagCount="responsive"
                allowClear
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="regionCodes" label="适用区域" extra="不选表示全市适用">
              <TreeSelect
                treeData={regionTree}
                multiple
                showSearch
                treeNodeFilterProp="title"
                placeholder="全市"
                maxTagCount="responsive"
                allowClear
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name="effectiveFrom" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="expiresOn"
              label="失效日期"
              dependencies={['effectiveFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, v: Dayjs | null | undefined) => {
                    const from = getFieldValue('effectiveFrom') as Dayjs | undefined;
                    if (v && from && !v.isAfter(from, 'day')) throw new Error('失效日期须晚于生效日期');
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} placeholder="长期有效" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="policyChangedOn" label="政策变化日期">
              <DatePicker style={{ width: '100%' }} placeholder="无" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="reviewCycleDays" label="复核周期（天）">
              <InputNumber min={7} max={1095} precision={0} style={{ width: '100%' }} placeholder="默认" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="政策文件（附件）">
          {editing ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              {attachments.map((a) => (
                <Checkbox
                  key={a.id}
                  checked={carried.includes(a.id)}
                  onChange={(e) =>
                    setCarried((xs) => (e.target.checked ? [...xs, a.id] : xs.filter((x) => x !== a.id)))
                  }
                >
                  {a.name}（{fmtSize(a.size)}）
                </Checkbox>
              ))}
              <Upload accept={ATTACH_ACCEPT} showUploadList={false} beforeUpload={(f) => pickFile(f)} multiple>
                <Button icon={<UploadOutlined />} loading={uploading} disabled={conflict}>
                  上传政策文件
                </Button>
              </Upload>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                PDF、Word 文档或图片，每个不超过 10 MB；勾选的文件随本版本发布。
              </Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary">保存后可在编辑时上传政策文件。</Typography.Text>
          )}
        </Form.Item>
        <Form.Item
          name="changeReason"
          label="修改原因"
          rules={editing ? [{ required: true, whitespace: true, message: '请填写修改原因' }] : []}
          extra={editing ? '每次修改都生成新版本，并记录修改人、时间和原因' : '选填，默认为“新建”'}
        >
          <Input.TextArea rows={2} maxLength={L.reason} showCount placeholder="如：2025年缴费基数调整" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
