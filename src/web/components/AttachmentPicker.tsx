import { App, Button, Upload, type UploadFile } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { ACCEPT, fileProblem, MAX_FILES } from '../lib/files';

/**
 * Attachments kept in the browser until the form is submitted (no upload on pick): each file is checked
 * against the server's limits at once, and the list shows thumbnails for pictures.
 */
export function AttachmentPicker({
  value = [],
  onChange,
  disabled,
  id,
}: {
  value?: UploadFile[];
  onChange?: (v: UploadFile[]) => void;
  disabled?: boolean;
  id?: string;
}) {
  const { message } = App.useApp();
  const files = () => value.map((f) => f.originFileObj as File).filter(Boolean);
  return (
    <Upload
      id={id}
      multiple
      accept={ACCEPT}
      listType="picture"
      fileList={value}
      disabled={disabled}
      beforeUpload={(file) => {
        const problem = fileProblem(file, files());
        if (problem) {
          message.error(problem);
          return Upload.LIST_IGNORE;
        }
        return false; // keep it in the list; it is sent with the form
      }}
      onChange={({ fileList }) => onChange?.(fileList.slice(0, MAX_FILES))}
    >
      <Button icon={<PaperClipOutlined />} disabled={disabled || value.length >= MAX_FILES}>
        添加附件（图片、语音、视频、文档，最多 {MAX_FILES} 个）
      </Button>
    </Upload>
  );
}
