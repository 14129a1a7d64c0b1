import { Space, Typography } from 'antd';
import { FileImageOutlined, FileTextOutlined } from '@ant-design/icons';
import type { Material } from '../api/types';
import { fmtSize } from '../lib/files';

/**
 * 第十四、十五、二十四条: materials as they are shown wherever an application, a reply or an appeal is: uploaded
 * files as download links (the server checks who may read them), text-only entries (older ones) as their names.
 */
export function WorkFileLinks({ items, empty }: { items: Material[] | undefined; empty?: string }) {
  const list = items ?? [];
  if (!list.length) return empty ? <span>{empty}</span> : null;
  return (
    <Space size={[12, 2]} wrap data-testid="work-file-links">
      {list.map((m, i) =>
        m.fileId ? (
          <a key={i} href={`/api/work-files/${m.fileId}`} download data-file-id={m.fileId}>
            {m.mime?.startsWith('image/') ? <FileImageOutlined /> : <FileTextOutlined />} {m.name}
            {m.size ? (
              <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 4 }}>
                {fmtSize(m.size)}
              </Typography.Text>
            ) : null}
          </a>
        ) : (
          <span key={i}>
            {m.name}
            {m.description ? `（${m.description}）` : ''}
          </span>
        ),
      )}
    </Space>
  );
}
