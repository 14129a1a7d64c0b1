import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

export function PageHeader({ title, extra, sub }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} gap={12} wrap>
      <div>
        {/* 无障碍: the page's one <h1> (WCAG 2.1 1.3.1 / 2.4.6); styles.css .page-h1 keeps it at 20 px */}
        <Typography.Title level={1} className="page-h1" style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && (
        <Flex gap={8} align="center" wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
