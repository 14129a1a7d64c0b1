import { describe, expect, it } from 'vitest';
import { holdsPersonalNumber } from './report-text.js';

describe('第三十三条 the unit text of a 举报 holds no personal number', () => {
  it.each([
    '举报人电话13905301234，反映窗口索要好处费',
    '联系139****1234',
    '座机 0530-123-4567',
    '身份证372901199001011234',
    '电话 139 0530 1234',
    '尾号＊＊＊＊1234',
  ])('refuses %s', (t) => expect(holdsPersonalNumber(t)).toBe(true));
  it.each([
    '反映区政府窗口工作人员于2025-03-01办理营业执照时索要好处费',
    '和平路128号门前',
    '索要好处费2000元',
    '2025年3月1日上午',
  ])('accepts %s', (t) => expect(holdsPersonalNumber(t)).toBe(false));
});
