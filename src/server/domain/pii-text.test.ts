import { describe, expect, it } from 'vitest';
import { maskPiiInText } from './pii-text.js';

describe('第六条 自由文本中的个人信息', () => {
  it.each([
    ['联系人李先生13800001111，请尽快处理', '联系人李先生138****1111，请尽快处理', ['mobile']],
    ['电话 138-0000-1111 或 +86 139 0000 2222', '电话 138****1111 或 139****2222', ['mobile', 'mobile']],
    ['座机0530-5551234，白天有人', '座机0530-*****34，白天有人', ['landline']],
    ['(0530)5551234', '0530-*****34', ['landline']],
    ['身份证号372901198807151234，社保卡办不下来', '身份证号3729**********1234，社保卡办不下来', ['id_card']],
    ['身份证37290119880715123X', '身份证3729**********123X', ['id_card']],
    ['工资卡6222 0212 3456 7890 123 被冻结', '工资卡***************0123 被冻结', ['bank_card']],
    ['卡号6222021234567890', '卡号************7890', ['bank_card']],
  ])('%j → %j', (input, masked, kinds) => {
    const r = maskPiiInText(input);
    expect(r.text).toBe(masked);
    expect(r.found).toEqual(kinds);
  });

  it.each([
    '工单号HZ20250311-000001还没有答复',
    '请拨打12345或者110',
    '2025年3月12日下午3点',
    '户号12345678，水费多扣了200元',
    '和平路128号3单元502室',
    '订单A6222021234567890B', // digits glued to letters are an identifier, not a card
  ])('%j is left alone', (input) => {
    expect(maskPiiInText(input)).toEqual({ text: input, found: [] });
  });

  it('a 19-digit run in prose is treated as a card number: masking a false positive loses nothing, the original is kept encrypted', () => {
    expect(maskPiiInText('编号6054768590064713728').text).toBe('编号***************3728');
  });
});
