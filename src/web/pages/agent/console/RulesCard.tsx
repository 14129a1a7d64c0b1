import { Card, List, Typography } from 'antd';
import { DISPOSITIONS } from '../../../lib/dispositions';

/** While no contact is open: the dispositions of 第十二、十三条 at a glance, with their shortcuts. */
export function RulesCard() {
  return (
    <Card size="small" title="处置方式速查">
      <List
        size="small"
        dataSource={DISPOSITIONS}
        renderItem={(d, i) => (
          <List.Item style={{ display: 'block', padding: '6px 0' }}>
            <Typography.Text strong>{d.label}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              · {d.article} · Alt+{i + 1}
            </Typography.Text>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.65)' }}>{d.hint}</div>
          </List.Item>
        )}
      />
    </Card>
  );
}
