import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Card, Empty, Flex, List, Segmented, Spin, Tag, Typography } from 'antd';
import { BarChartOutlined } from '@ant-design/icons';
import { disclosureApi } from '../../api/disclosure';
import { useAsync } from '../../lib/useAsync';

const monthLabel = (m: string) => `${m.slice(0, 4)} 年 ${Number(m.slice(5))} 月`;

/** 数据公开 (第二十一条): the published monthly reports, newest first; every earlier month stays available. */
export default function DisclosureListPage() {
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? undefined;
  const res = useAsync(() => disclosureApi.public.months(region), [region]);
  const d = res.data;
  return (
    <>
      <h1 className="portal-title">数据公开</h1>
      <Typography.Paragraph type="secondary">
        依据《菏泽市12345政务服务便民热线条例》第二十一条，热线工作机构按月向社会公布热线工作情况和承办单位诉求办理情况，接受公众和新闻媒体监督。
      </Typography.Paragraph>
      {d && d.regions.length > 1 && (
        <Segmented
          style={{ marginBottom: 12 }}
          value={d.region.code}
          options={d.regions.map((r) => ({ value: r.code, label: r.name }))}
          onChange={(v) => setParams({ region: String(v) })}
        />
      )}
      {res.errorText && <Alert type="error" showIcon message={res.errorText} style={{ marginBottom: 12 }} />}
      {res.loading && !d ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : d && d.months.length === 0 ? (
        <Card>
          <Empty description="暂无已公布的月度报告" />
        </Card>
      ) : (
        <Card size="small">
          <List
            dataSource={d?.months ?? []}
            renderItem={(m) => (
              <List.Item>
                <Link
                  to={`/portal/disclosure/${m.month}${region ? `?region=${region}` : ''}`}
                  aria-label={`${monthLabel(m.month)}报告`}
                >
                  <Flex gap={8} align="center">
                    <BarChartOutlined style={{ color: '#1456c8' }} />
                    <Typography.Text strong>
                      {d?.region.name ?? ''} {monthLabel(m.month)}热线工作情况
                    </Typography.Text>
                    {m.corrected && <Tag color="orange">已更正</Tag>}
                  </Flex>
                </Link>
                <Typography.Text type="secondary">
                  {new Date(m.publishedAt).toLocaleDateString('zh-CN')} 发布
                </Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}
    </>
  );
}
