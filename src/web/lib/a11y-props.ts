import type { CheckboxProps } from 'antd';

// 无障碍 (WCAG 2.1 4.1.2): antd's Form.Item marks a required control with aria-required; a Radio.Group is a plain
// <div>, where aria-required is not allowed without a role (axe: aria-allowed-attr, critical). Spread this on a
// required Radio.Group: `<Radio.Group {...RADIO_GROUP} …>`. (RadioGroupProps has no `role`, antd passes it on.)
export const RADIO_GROUP = { role: 'radiogroup' } as object;

/**
 * 无障碍 (WCAG 2.1 4.1.2, axe label): antd's row-selection checkboxes have no name. `rowSelection={{ …,
 * getCheckboxProps: namedRowCheckbox((r) => r.number) }}` names each one 「选择 HZ…」 (the attribute reaches the input).
 */
export function namedRowCheckbox<T>(name: (row: T) => string) {
  return (row: T) =>
    ({ 'aria-label': `选择 ${name(row)}` }) as Partial<Omit<CheckboxProps, 'checked' | 'defaultChecked'>>;
}
