import { App, Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import {
  WORK_FILE_ACCEPT,
  WORK_FILE_ACCEPTED_TEXT,
  WORK_FILE_LIMITS,
  type WorkFileInfo,
} from '../../shared/contracts/work-files';
import type { Material } from '../api/types';

// 第十四、十五、二十四条: materials, photos of a result and evidence are uploaded at once when picked (POST
// /api/work-files, one file a request); the form then sends the ids. The server sniffs the bytes and answers a
// Chinese refusal, which is shown here; the browser only checks the size first so nobody waits for a refusal.

const MB = 1024 * 1024;

/** Why the browser will not even send this file, or null. */
function tooLarge(file: File): string | null {
  const image = file.type.startsWith('image/');
  const max = (image ? WORK_FILE_LIMITS.imageMb : WORK_FILE_LIMITS.documentMb) * MB;
  if (file.size === 0) return `「${file.name}」是空文件`;
  if (file.size > max) return `「${file.name}」过大：${image ? '图片' : '文档'}不能超过 ${max / MB} MB`;
  return null;
}

/** The server's Chinese message of a refused upload. */
function refusal(f: UploadFile): string {
  const body = f.response as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `「${f.name}」上传失败，请重试`;
}

export function WorkFileUpload({
  value = [],
  onChange,
  max = WORK_FILE_LIMITS.materials,
  label = '上传材料',
  pictures = false,
  id,
}: {
  value?: UploadFile<WorkFileInfo>[];
  onChange?: (v: UploadFile<WorkFileInfo>[]) => void;
  /** files at most */
  max?: number;
  label?: string;
  /** photos of a result: thumbnails, pictures only */
  pictures?: boolean;
  id?: string;
}) {
  const { message } = App.useApp();
  return (
    <Upload<WorkFileInfo>
      id={id}
      action="/api/work-files"
      name="file"
      multiple
      withCredentials
      accept={pictures ? 'image/*' : WORK_FILE_ACCEPT}
      listType={pictures ? 'picture' : 'text'}
      fileList={value}
      beforeUpload={(file) => {
        const problem = tooLarge(file);
        if (problem) {
          message.error(problem);
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      onChange={({ file, fileList }) => {
        if (file.status === 'error') message.error(refusal(file));
        // a refused file leaves the list: only uploaded ones are sent with the form
        onChange?.(fileList.filter((f) => f.status !== 'error').slice(0, max));
      }}
    >
      <Button icon={<UploadOutlined />} disabled={value.length >= max} data-testid="work-file-upload">
        {label}（{pictures ? '图片' : WORK_FILE_ACCEPTED_TEXT}，最多 {max} 个）
      </Button>
    </Upload>
  );
}

/** The uploaded files, as materials the server accepts (name and file id). */
export function uploadedMaterials(files: UploadFile<WorkFileInfo>[] | undefined): Material[] {
  return (files ?? []).flatMap((f) =>
    f.status === 'done' && f.response?.fileId ? [{ name: f.response.name || f.name, fileId: f.response.fileId }] : [],
  );
}

export const uploadedIds = (files: UploadFile<WorkFileInfo>[] | undefined): number[] =>
  uploadedMaterials(files).map((m) => m.fileId!);

/** Whether a file is still being sent (the form waits for it). */
export const stillUploading = (files: UploadFile[] | undefined) => (files ?? []).some((f) => f.status === 'uploading');
