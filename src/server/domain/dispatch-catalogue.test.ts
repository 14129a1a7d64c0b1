import { describe, expect, it } from 'vitest';
import { resolveDispatch, type CatalogueRule } from './dispatch-catalogue.js';

const rule = (over: Partial<CatalogueRule> & Pick<CatalogueRule, 'id' | 'leadUnitId'>): CatalogueRule => ({
  categoryId: null,
  regionCode: null,
  tier: 'city',
  basis: 'tiered',
  assistUnitIds: [],
  priority: 0,
  active: true,
  ...over,
});

// Categories: 30 供电 ⊂ 3 城乡建设; regions: 371702001 东城街道 ⊂ 371702 牡丹区 ⊂ 3717 菏泽市
const input = { categoryChain: [30, 3], regionChain: ['371702001', '371702', '371700'] };

describe('第十二条 派单目录 — 职权法定、属地管理、分级负责', () => {
  it('statutory duty wins over territory and tier even when less specific', () => {
    const rules = [
      rule({ id: 1, leadUnitId: 100, basis: 'territorial', regionCode: '371702001', categoryId: 30 }),
      rule({ id: 2, leadUnitId: 200, basis: 'statutory', categoryId: 30 }),
      rule({ id: 3, leadUnitId: 300, basis: 'tiered' }),
    ];
    const r = resolveDispatch(rules, input)!;
    expect(r.leadUnitId).toBe(200);
    expect(r.rule.id).toBe(2);
    expect(r.explanation).toContain('职权法定');
    expect(r.alternatives.map((a) => a.id)).toEqual([1, 3]);
  });

  it('territory wins over tier', () => {
    const rules = [
      rule({ id: 3, leadUnitId: 300, basis: 'tiered', categoryId: 30 }),
      rule({ id: 4, leadUnitId: 400, basis: 'territorial', regionCode: '371702' }),
    ];
    expect(resolveDispatch(rules, input)!.leadUnitId).toBe(400);
  });

  it('within one basis the more specific category, then the more specific region wins', () => {
    const rules = [
      rule({ id: 5, leadUnitId: 500, basis: 'territorial', regionCode: '371702001', categoryId: 3 }),
      rule({ id: 6, leadUnitId: 600, basis: 'territorial', regionCode: '371702', categoryId: 30 }),
      rule({ id: 7, leadUnitId: 700, basis: 'territorial', regionCode: '371702001', categoryId: 30 }),
    ];
    expect(resolveDispatch(rules, input)!.leadUnitId).toBe(700);
    expect(resolveDispatch(rules.slice(0, 2), input)!.leadUnitId).toBe(600);
  });

  it('priority then id break remaining ties deterministically', () => {
    const rules = [
      rule({ id: 9, leadUnitId: 9 }),
      rule({ id: 8, leadUnitId: 8 }),
      rule({ id: 10, leadUnitId: 10, priority: 5 }),
    ];
    expect(resolveDispatch(rules, input)!.leadUnitId).toBe(10);
    expect(resolveDispatch(rules.slice(0, 2), input)!.leadUnitId).toBe(8);
  });

  it('ignores inactive rules and rules for other categories or regions', () => {
    const rules = [
      rule({ id: 1, leadUnitId: 1, basis: 'statutory', active: false }),
      rule({ id: 2, leadUnitId: 2, basis: 'statutory', categoryId: 99 }),
      rule({ id: 3, leadUnitId: 3, basis: 'statutory', regionCode: '371721' }),
    ];
    expect(resolveDispatch(rules, input)).toBeNull();
  });

  it('returns default assisting units of the chosen rule', () => {
    const r = resolveDispatch([rule({ id: 1, leadUnitId: 1, assistUnitIds: [2, 3] })], input)!;
    expect(r.assistUnitIds).toEqual([2, 3]);
  });
});
