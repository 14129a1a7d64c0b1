import { describe, expect, it } from 'vitest';
import { suggestEmergency } from './emergency.js';

describe('第十三条(一) emergency transfer suggestion', () => {
  it.each([
    ['小区3号楼5楼着火了，有浓烟冒出来', '119'],
    ['楼道里闻到煤气味，怀疑燃气泄漏', '119'],
    ['我爸突然晕倒了，叫不醒', '120'],
    ['中华路路口发生车祸，有人被车撞了', '122'],
    ['有人在店门口持刀威胁店员', '110'],
    ['邻居家暴，正在打孩子', '110'],
  ])('%s → %s', (text, line) => {
    expect(suggestEmergency(text)?.line).toBe(line);
  });

  it('fire wins over injury when both appear', () => {
    expect(suggestEmergency('厨房起火，有人受伤')?.line).toBe('119');
  });

  it('ordinary requests get no suggestion', () => {
    for (const t of ['路灯不亮已经一周', '咨询社保缴费基数怎么调整', '小区物业乱收停车费', '孩子入学需要什么材料']) {
      expect(suggestEmergency(t)).toBeNull();
    }
  });

  it('reports the cue that triggered it', () => {
    expect(suggestEmergency('电梯故障，老人被困电梯里')).toEqual({ line: '119', label: '火警', cue: '被困电梯' });
  });
});
