import { Image, Space, Typography } from 'antd';
import { FileTextOutlined } from '@ant-design/icons';
import type { AttachmentInfo } from '../api/contact-types';

const url = (a: AttachmentInfo) => `/api/attachments/${a.id}`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * 第九条: the requester's pictures (thumbnails with a preview), voice and video (played in the page) and
 * documents (opened or downloaded). The server checks access on every file; a link leaks nothing.
 */
export function AttachmentList({ items }: { items: AttachmentInfo[] }) {
  if (!items.length) return null;
  const images = items.filter((a) => a.kind === 'image');
  const others = items.filter((a) => a.kind !== 'image');
  return (
    <div data-testid="attachments">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Space size={8} wrap>
            {images.map((a) => (
              <Image
                key={a.id}
                src={url(a)}
                width={96}
                height={96}
                style={{ objectFit: 'cover', borderRadius: 4 }}
                alt={a.name ?? '图片'}
                data-attachment-id={a.id}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {others.map((a) => (
        <div key={a.id} style={{ marginTop: 8 }} data-attachment-id={a.id}>
          {a.kind === 'audio' && (
            <audio
              controls
              preload="none"
              src={url(a)}
              aria-label={a.name ?? '语音'}
              style={{ height: 32, verticalAlign: 'middle' }}
            />
          )}
          {a.kind === 'video' && (
            <video
              controls
              preload="metadata"
              src={url(a)}
              aria-label={a.name ?? '视频'}
              style={{ maxWidth: 320, maxHeight: 200, display: 'block' }}
            />
          )}
          {a.kind === 'document' && (
            <a href={url(a)} target="_blank" rel="noreferrer">
              <FileTextOutlined /> {a.name ?? '文档'}
            </a>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
            {a.kind !== 'document' && (a.name ?? '')} {size(a.size)}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}
