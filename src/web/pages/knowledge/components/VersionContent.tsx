import { Descriptions, Space, Tag, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { authoringApi, type ArticleVersion, type KnowledgeAttachment } from '../../../api/knowledge-authoring';
import { fmtSize } from '../../../lib/files';
import { fmtDateTime } from '../../../lib/format';
import { useReference } from '../../../lib/reference';
import { SOURCE_LABELS, VERSION_STATE_LABELS, VISIBILITY_LABELS } from './labels';

/** One version of an article as written: every field, its policy basis and the files it carries. */
export function VersionContent({
  v,
  attachments,
  testId,
}: {
  v: ArticleVersion;
  attachments: KnowledgeAttachment[];
  testId?: string;
}) {
  const ref = useReference();
  const files = attachments.filter((a) => v.attachmentIds.includes(a.id));
  return (
    <Descriptions size="small" column={2} bordered data-testid={testId} styles={{ label: { width: 110 } }}>
      <Descriptions.Item label="标题" span={2}>
        <Typography.Text strong>{v.title}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="别名" span={2}>
        {v.aliases.length ? (
          <Space size={[4, 4]} wrap>
            {v.aliases.map((a) => (
              <Tag key={a}>{a}</Tag>
            ))}
          </Space>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="简短答复" span={2}>
        <div className="pre-wrap">{v.shortAnswer}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          可宣读 / 短信发送 · {Array.from(v.shortAnswer).length} 字
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="答复内容" span={2}>
        <div className="pre-wrap">{v.answer}</div>
      </Descriptions.Item>
      <Descriptions.Item label="公开范围">{VISIBILITY_LABELS[v.visibility]}</Descriptions.Item>
      <Descriptions.Item label="生效 / 失效">
        {v.effectiveFrom} 至 {v.expiresOn ?? '长期'}
      </Descriptions.Item>
      {v.visibility === 'public' && (
        <Descriptions.Item label="公开答复" span={2}>
          <div className="pre-wrap">{v.publicAnswer ?? '（显示简短答复）'}</div>
        </Descriptions.Item>
      )}
      <Descriptions.Item label="政策依据" span={2}>
        {v.policyBasis.length
          ? v.policyBasis.map((p, i) => (
              <div key={i}>
                《{p.document.replace(/^《|》$/g, '')}》{p.number ? ` ${p.number}` : ''}
                {p.clause ? ` ${p.clause}` : ''}
              </div>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label="事项分类">
        {v.categoryIds.map((c) => ref.categoryPath(c)).join('；') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label="适用区域">
        {v.regionCodes.length ? v.regionCodes.map((c) => ref.regionPath(c)).join('；') : '全市'}
      </Descriptions.Item>
      <Descriptions.Item label="政策文件" span={2}>
        {files.length
          ? files.map((f) => (
              <div key={f.id}>
                <a href={authoringApi.attachmentUrl(f.id)} target="_blank" rel="noreferrer">
                  <PaperClipOutlined /> {f.name}
                </a>{' '}
                <Typography.Text type="secondary">（{fmtSize(f.size)}）</Typography.Text>
              </div>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label="版本" span={2}>
        第 {v.versionNo} 版 · {VERSION_STATE_LABELS[v.state]} · {SOURCE_LABELS[v.source] ?? v.source} ·{' '}
        {v.authorName ?? '—'} {fmtDateTime(v.createdAt)} · 修改原因：{v.changeReason}
        {v.policyChangedOn ? ` · 政策变化日期 ${v.policyChangedOn}` : ''}
        {v.unitApprovedBy ? ` · 单位审核：${v.unitApprovedBy}` : ''}
        {v.reviewedBy ? ` · 中心审核：${v.reviewedBy}` : ''}
        {v.reviewNote ? ` · 审核意见：${v.reviewNote}` : ''}
      </Descriptions.Item>
    </Descriptions>
  );
}
