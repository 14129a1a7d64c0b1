import type { ThemeConfig } from 'antd';

// 无障碍 (GB/T 37668-2019 5.2, WCAG 2.1 AA 1.4.3 / 1.4.11 / 2.4.7): every text colour the theme hands out reaches
// 4.5:1 on white and on the light greys the components put behind it; the focus ring is the primary blue, 6:1 on
// white. The ratios are written beside each token; docs/accessibility.md lists them.

/** 6.2:1 on white, 5.7:1 on the portal's #f3f6fb, white on it 6.2:1 (antd's #1677ff was 4.1:1). */
export const PRIMARY = '#0958d9';
/** The focus ring: the primary blue, 6.2:1 on white (a ring needs 3:1). */
export const FOCUS_RING = PRIMARY;

export const A11Y_TOKENS: ThemeConfig['token'] = {
  colorPrimary: PRIMARY,
  // hover and press go darker, not lighter (antd's lighter hover blue is 4.2:1 as text on white): 9.0:1 and 12:1
  colorPrimaryHover: '#003eb3',
  colorPrimaryActive: '#002c8c',
  colorLink: PRIMARY,
  colorLinkHover: '#003eb3',
  colorLinkActive: '#002c8c',
  colorInfo: PRIMARY,
  // the light blue behind a selected row, option or menu item carries blue links and text: #e6f4ff (the primary blue
  // on it 5.5:1) and, hovered, #d6e8ff (4.9:1); the palette's #add8ff for #0958d9 gave 4.1:1
  colorPrimaryBg: '#e6f4ff',
  colorPrimaryBgHover: '#d6e8ff',
  // secondary and description text: #595959, 7.0:1 on white, 6.4:1 on #f5f5f5 (antd's #8c8c8c was 3.4:1)
  colorTextSecondary: '#595959',
  colorTextDescription: '#595959',
  // tertiary (empty states, statistics' titles): #666, 5.7:1 on white, 5.3:1 on #f5f5f5
  colorTextTertiary: '#666666',
  // placeholders are read as text too: #6b6b6b, 5.3:1 on white and 4.9:1 on a disabled field's #f5f5f5 (antd's #bfbfbf
  // was 1.8:1)
  colorTextPlaceholder: '#6b6b6b',
  // disabled text: #6b6b6b, 4.9:1 on the disabled grey #f5f5f5 (antd's rgba(0,0,0,.25) was 1.9:1). WCAG exempts a
  // disabled control, but not the unit after it (「小时」) nor a read-only form's values, which must stay readable
  colorTextDisabled: '#6b6b6b',
  // 危险/错误: #cf1322, 5.6:1 on white, white on it 5.6:1
  colorError: '#cf1322',
  colorErrorText: '#cf1322',
  // status texts (Typography type, Tag success/warning): the palettes' darker shades
  colorSuccessText: '#237804',
  colorWarningText: '#ad4e00',
};

/** Inputs, selects and pickers show a solid 2 px ring in the primary blue when focused, not antd's 10 % tint. */
const ACTIVE_SHADOW = `0 0 0 2px ${FOCUS_RING}`;

export const A11Y_COMPONENTS: ThemeConfig['components'] = {
  Input: { activeShadow: ACTIVE_SHADOW },
  InputNumber: { activeShadow: ACTIVE_SHADOW },
  Select: { activeOutlineColor: FOCUS_RING },
  DatePicker: { activeShadow: ACTIVE_SHADOW },
  Mentions: { activeShadow: ACTIVE_SHADOW },
  // an unchecked switch's track carries its white label (「使用中」): #6b6b6b gives 5.3:1, hovered #595959 7.0:1
  // (antd's #bfbfbf: 1.8:1)
  Switch: { colorTextQuaternary: '#6b6b6b', colorTextTertiary: '#595959' },
};
