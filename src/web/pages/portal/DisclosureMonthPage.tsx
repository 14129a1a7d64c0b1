import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Flex, Select, Spin, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { disclosureApi } from '../../api/disclosure';
import { useAsync } from '../../lib/useAsync';
import { DisclosureReportView } from './DisclosureReportView';

/** One published month (第二十一条): charts, rankings, red and black lists, cases, and its open data. */
export default function DisclosureMonthPage() {
  const { month = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? undefined;
  const version = params.get('version') ? Number(params.get('version')) : undefined;
  const res = useAsync(() => disclosureApi.public.month(month, region, version), [month, region, version]);
  const d = res.data;
  const r = d?.report;
  return (
    <>
      <Link to={`/portal/disclosure${region ? `?region=${region}` : ''}`}>
        <ArrowLeftOutlined /> 全部月份
      </Link>
      <h1 className="portal-title">
        {r ? `${r.region.name} ${r.month.slice(0, 4)} 年 ${Number(r.month.slice(5))} 月热线工作情况` : '月度报告'}
      </h1>
      {res.errorText && <Alert type="error" showIcon message={res.errorText} style={{ marginBottom: 12 }} />}
      {res.loading && !d ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : (
        d &&
        r && (
          <>
            <Card size="small" style={{ marginBottom: 12 }}>
              <Flex gap={8} wrap align="center" justify="space-between">
                <Typography.Text type="secondary">
                  {r.publishedAt && `${new Date(r.publishedAt).toLocaleDateString('zh-CN')} 发布`}
                  {r.version < d.latestVersion && '（此为历史版本）'}
                </Typography.Text>
                <Flex gap={8} wrap>
                  {d.versions.length > 1 && (
                    <Select
                      size="small"
                      aria-label="版本"
                      value={r.version}
                      style={{ width: 150 }}
                      options={d.versions.map((v) => ({
                        value: v.version,
                        label: v.version === d.latestVersion ? `第 ${v.version} 版（最新）` : `第 ${v.version} 版`,
                      }))}
                      onChange={(v) => {
                        const next = new URLSearchParams(params);
                        if (v === d.latestVersion) next.delete('version');
                        else next.set('version', String(v));
                        setParams(next);
                      }}
                    />
                  )}
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={disclosureApi.public.dataUrl(r.month, 'csv', region, version)}
                  >
                    CSV 数据
                  </Button>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={disclosureApi.public.dataUrl(r.month, 'json', region, version)}
                  >
                    JSON 数据
                  </Button>
                </Flex>
              </Flex>
            </Card>
            <DisclosureReportView report={r} />
          </>
        )
      )}
    </>
  );
}
