import { describe, expect, it } from 'vitest';
import { maskPiiInText, namesRequester } from './pii-text.js';

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
    '订单A6222021234567890B', // digits glued to letters are an identifier, not a card
  ])('%j is left alone', (input) => {
    expect(maskPiiInText(input)).toEqual({ text: input, found: [] });
  });

  it.each([
    // 第六条: an address down to the household; the road, the compound and the building stay (a unit must find them)
    ['和平路128号3单元502室', '和平路128号*单元***室', ['address']],
    ['牡丹小区3号楼2单元501室暖气不热', '牡丹小区*号楼*单元***室暖气不热', ['address']],
    ['我住5栋1202，楼上漏水', '我住*栋****，楼上漏水', ['address']],
    ['幸福家园3-2-501的住户', '幸福家园*-*-***的住户', ['address']],
    ['隔壁301室天天装修', '隔壁***室天天装修', ['address']],
    ['李庄村3组15号', '李庄村*组**号', ['address']],
    ['王楼村27号门口积水', '王楼村**号门口积水', ['address']],
  ])('address %j → %j', (input, masked, kinds) => {
    const r = maskPiiInText(input);
    expect(r.text).toBe(masked);
    expect(r.found).toEqual(kinds);
  });

  it.each([
    '3号楼楼道的灯坏了', // a building names no one
    '小区18栋966户居民用水困难', // a count of households, not a door
    '14栋到18栋180余人', // people, not a room
    '7栋2单元20层电梯坏了', // a floor
    '2025-3-12下午', // a date
    '49-51-56平户型', // sizes
    '和平路128号门口', // a street number
    '工单号HZ20250311-000001',
  ])('address: %j is left alone', (input) => {
    expect(maskPiiInText(input)).toEqual({ text: input, found: [] });
  });

  it.each([
    // 第六条: a name introduced as one
    ['您好，我叫王建国，家住东城街道', '您好，我叫王**，家住东城街道'],
    ['我是欧阳娜娜，想咨询社保', '我是欧阳**，想咨询社保'],
    ['投诉人：刘严联系电话', '投诉人：刘*联系电话'],
    ['姓名：何艳银，于2011年结婚', '姓名：何**，于2011年结婚'],
    ['本人杨俊，身份证丢了', '本人杨*，身份证丢了'],
    ['联系人：梁国建，电话', '联系人：梁**，电话'],
    ['我妈叫张秀英，今年八十岁', '我妈叫张**，今年八十岁'],
    ['我叫张伟住在3号楼', '我叫张*住在3号楼'],
    // a full name before 先生/女士
    ['请转告王建国先生', '请转告王**先生'],
  ])('name %j → %j', (input, masked) => {
    const r = maskPiiInText(input);
    expect(r.text).toBe(masked);
    expect(r.found).toEqual(['name']);
  });

  it.each([
    '联系人李先生，请尽快回复', // a surname and a form of address name no one
    '我是王庄村村民', // a village
    '我是黄河小区的业主', // a compound
    '我是张店人', // a place
    '我是石家庄的', // a city
    '我是房东，租客不交房租',
    '我是司机，被拒载',
    '我是马上要毕业的学生',
    '本人曾多次反映',
    '本人车辆被锁',
    '本人向您反映一个问题',
    '业主向物业反映多次', // 业主 introduces a name only with a colon or 是
    '企业主管部门不作为',
    '如何保障老人出行',
    '我是东城街道居民',
  ])('name: %j is left alone', (input) => {
    expect(maskPiiInText(input)).toEqual({ text: input, found: [] });
  });

  it('the requester’s own name is masked wherever it appears, as the screens mask the requester (王**, 欧阳**)', () => {
    expect(maskPiiInText('赵铁柱家门口的路灯不亮，赵铁柱说已经一周了', { names: ['赵铁柱'] })).toEqual({
      text: '赵**家门口的路灯不亮，赵**说已经一周了',
      found: ['name', 'name'],
    });
    expect(maskPiiInText('欧阳娜娜反映', { names: ['欧阳娜娜'] }).text).toBe('欧阳**反映');
    // one character, or Latin letters, would match inside other words: not used
    expect(maskPiiInText('王先生说李子树倒了', { names: ['王', 'Li', null, undefined, ''] }).found).toEqual([]);
    // a name with regex characters is taken literally
    expect(maskPiiInText('a.b 反映', { names: ['王(芳'] }).found).toEqual([]);
  });

  it('第三十三条 a text for the reported unit names the requester when it holds their name or one introduced as theirs', () => {
    expect(namesRequester('王建国反映窗口索要好处费', '王建国')).toBe(true);
    expect(namesRequester('举报人：李四海，反映窗口索要好处费', null)).toBe(true);
    expect(namesRequester('我叫李四海，反映窗口索要好处费', undefined)).toBe(true);
    // the person reported on, a surname and a form of address, the place: not the requester
    expect(namesRequester('反映窗口工作人员张建军先生索要好处费', '王建国')).toBe(false);
    expect(namesRequester('反映王先生所在窗口索要好处费', '王建国')).toBe(false);
    expect(namesRequester('反映3号楼501室有人聚众赌博', '王建国')).toBe(false);
    // asked twice: no state is carried from one call to the next
    expect(namesRequester('王建国反映', '王建国')).toBe(true);
    expect(namesRequester('王建国反映', '王建国')).toBe(true);
  });

  it('numbers are masked before addresses and names, and never twice', () => {
    const r = maskPiiInText('我叫王建国，电话13800001111，住幸福小区3号楼2单元501室', { names: ['王建国'] });
    expect(r.text).toBe('我叫王**，电话138****1111，住幸福小区*号楼*单元***室');
    expect(r.found).toEqual(['mobile', 'address', 'name']);
  });

  it('a 19-digit run in prose is treated as a card number: masking a false positive loses nothing, the original is kept encrypted', () => {
    expect(maskPiiInText('编号6054768590064713728').text).toBe('编号***************3728');
  });
});
