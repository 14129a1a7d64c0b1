import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Flex, Result, Space, Spin, Typography } from 'antd';
import { DislikeOutlined, FileTextOutlined, LikeOutlined } from '@ant-design/icons';
import { ApiError, errorMessage } from '../../api/client';
import { knowledgeApi } from '../../api/knowledge-answering';
import { useAsync } from '../../lib/useAsync';

/** One public answer: the public text, its policy basis (文件名称、文号), the owner unit and the update date. */
export default function KnowledgeArticlePage() {
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
  const res = useAsync(
    () =>
      valid ? knowledgeApi.public.article(id) : Promise.reject(new ApiError(404, 'not_found', '该知识不存在或已下架')),
    [id],
  );
  const [voted, setVoted] = useState<boolean | null>(null);
  const [voteError, setVoteError] = useState<string | null>(null);
  const vote = async (helpful: boolean) => {
    try {
      await knowledgeApi.public.feedback(id, helpful);
      setVoted(helpful);
      setVoteError(null);
    } catch (e) {
      setVoteError(errorMessage(e));
    }
  };
  if (res.loading && !res.data)
    return (
      <Flex justify="center" style={{ padding: 24 }}>
        <Spin />
      </Flex>
    );
  const a = res.data;
  if (!a)
    return (
      <Card>
        <Result
          status="404"
          title="该答复不存在或已下架"
          subTitle={res.errorText}
          extra={
            <Link to="/portal/knowledge">
              <Button type="primary">返回查一查</Button>
            </Link>
          }
        />
      </Card>
    );
  return (
    <>
      <h1 className="portal-title">{a.title}</h1>
      <Card data-testid="portal-article">
        <Typography.Paragraph style={{ fontSize: '1em', whiteSpace: 'pre-wrap' }} data-testid="portal-article-answer">
          {a.answer}
        </Typography.Paragraph>
        <Descriptions size="small" column={1} bordered>
          {a.policyBasis.length > 0 && (
            <Descriptions.Item label="政策依据">
              {a.policyBasis.map((p, i) => (
                <div key={i}>
                  《{p.document}》{p.number ? `（${p.number}）` : ''}
                  {p.clause ?? ''}
                </div>
              ))}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="主管单位">{a.ownerUnit}</Descriptions.Item>
          <Descriptions.Item label="更新日期">{a.updatedOn}</Descriptions.Item>
          {a.attachments.length > 0 && (
            <Descriptions.Item label="政策文件">
              <Space direction="vertical" size={2}>
                {a.attachments.map((f) => (
                  <a key={f.id} href={f.url} target="_blank" rel="noreferrer">
                    <FileTextOutlined /> {f.name}
                  </a>
                ))}
              </Space>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" style={{ marginTop: 12 }} data-testid="portal-feedback">
        {voted === null ? (
          <Flex align="center" gap={12} wrap>
            <Typography.Text strong>这条答复是否解决了您的问题？</Typography.Text>
            <Button icon={<LikeOutlined />} onClick={() => void vote(true)}>
              有用
            </Button>
            <Button icon={<DislikeOutlined />} onClick={() => void vote(false)}>
              没用
            </Button>
          </Flex>
        ) : (
          <Typography.Text data-testid="portal-feedback-thanks">
            感谢您的反馈！
            {!voted && (
              <>
                {' '}
                问题仍未解决，可以<Link to="/portal/submit">留言</Link>或拨打 <a href="tel:12345">12345</a>。
              </>
            )}
          </Typography.Text>
        )}
        {voteError && <Alert type="error" showIcon message={voteError} style={{ marginTop: 8 }} />}
      </Card>
      <div style={{ marginTop: 12 }}>
        <Link to="/portal/knowledge">← 返回查一查</Link>
      </div>
    </>
  );
}
