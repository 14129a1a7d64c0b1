import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Card, Input, Typography } from 'antd';

/**
 * 查一查 (第十八条 公众自助): a question typed here opens the answers the hotline has published, before the citizen
 * writes a request. Used on the portal's home and above the submit form.
 */
export function KnowledgeSearchBox({ title = '查一查', hint }: { title?: string; hint?: string }) {
  const nav = useNavigate();
  const [q, setQ] = useState('');
  return (
    <Card size="small" data-testid="portal-knowledge-box">
      <Typography.Text strong style={{ fontSize: '1.125em' }}>
        {title}
      </Typography.Text>
      {hint && <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: '1em', margin: '2px 0 8px' }}>{hint}</div>}
      <Input.Search
        size="large"
        enterButton="搜索"
        maxLength={100}
        placeholder="输入您的问题，如：公积金怎么提取"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => v.trim() && nav(`/portal/knowledge?q=${encodeURIComponent(v.trim())}`)}
        aria-label="搜索常见问题"
        style={{ marginTop: hint ? 0 : 8 }}
      />
    </Card>
  );
}
