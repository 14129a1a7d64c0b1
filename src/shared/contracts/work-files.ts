import { z } from 'zod';
import { dbId, dbIdParam } from './common.js';

// 第十四、十五、二十四条: files a unit uploads as the materials of an application, the photos of a reply's result and
// the evidence of an appeal. Uploaded first (POST /api/work-files), then named by id in the body that uses them.

export const WORK_FILE_LIMITS = {
  /** files on one reply (photos of the result) */
  replyFiles: 9,
  /** materials on one application or appeal (text entries and files together) */
  materials: 20,
  imageMb: 10,
  documentMb: 20,
  nameChars: 200,
} as const;

/** What the upload accepts, for the browser's file picker (the server sniffs the bytes whatever the name says). */
export const WORK_FILE_ACCEPT = '.jpg,.jpeg,.png,.gif,.webp,.bmp,.heic,.pdf,.doc,.docx,.xls,.xlsx';
export const WORK_FILE_ACCEPTED_TEXT = '图片、PDF 和 Word/Excel 文档';

export const workFileId = dbId('文件编号不正确');
export const workFileParams = z.object({ id: dbIdParam('文件编号不正确') });

export const workFileIds = z
  .array(workFileId)
  .max(WORK_FILE_LIMITS.replyFiles, `答复照片最多 ${WORK_FILE_LIMITS.replyFiles} 个`)
  .refine((ids) => new Set(ids).size === ids.length, '同一文件不能重复添加')
  .optional()
  .describe('ids of files uploaded with POST /api/work-files (photos of the result)');

/** An uploaded file as the server answers it and as applications, replies and appeals list it. */
export interface WorkFileInfo {
  fileId: number;
  name: string;
  mime: string;
  size: number;
}
