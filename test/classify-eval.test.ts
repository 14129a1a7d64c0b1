import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// 第四条 智能分类: `npm run classify:eval` as issue 13 specifies it — anyone runs the product's classifier on their own
// labelled file and reads the figures, the last line exactly "accuracy A macro-F1 F top3 T". Run as a child process,
// the way a user runs it, on constructed files (the real TipDM figures are in docs/classification.md).

const dir = mkdtempSync(join(tmpdir(), 'classify-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MATTERS: Record<string, string[]> = {
  城乡建设: ['小区路灯不亮', '楼道灯坏了', '小区道路破损', '井盖丢失', '路面塌陷'],
  环境保护: ['工地夜间施工噪音', '工厂排放黑烟', '河道污水发臭', '餐馆油烟扰民', '垃圾焚烧异味'],
  教育文体: ['学校乱收补课费', '幼儿园学位紧张', '学生课业负担重', '体育场馆收费', '校车接送不安全'],
};
const PLACES = ['牡丹区', '曹县', '单县', '成武县', '巨野县', '郓城县'];

function labelledCsv(): string {
  const rows = ['id,title,body,label'];
  let id = 0;
  for (const [label, phrases] of Object.entries(MATTERS))
    for (const place of PLACES)
      for (const phrase of phrases)
        rows.push(`${++id},"${place}${phrase}","${place}居民反映${phrase}，已有一段时间",${label}`);
  return rows.join('\n');
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('scripts/classify-eval.ts'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('第四条 智能分类：评估命令 classify:eval', () => {
  it('trains and tests in k folds and ends with exactly "accuracy A macro-F1 F top3 T"', () => {
    const data = join(dir, 'labelled.csv');
    const tree = join(dir, 'tree.csv');
    writeFileSync(data, labelledCsv());
    writeFileSync(
      tree,
      'level1,level2,level3\n城乡建设,市政设施,路灯\n环境保护,噪声污染,施工噪音\n教育文体,教育收费,补课费\n交通运输,出租车,拒载\n',
    );
    const r = run('--data', data, '--categories', tree, '--folds', '3', '--seed', '2');
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    // a tree class the file does not use (交通运输) is not part of the evaluation
    expect(lines[0]).toBe('90 labelled texts, 3 classes, 3-fold stratified, seed 2, category prior for 3 of them');
    const last = lines.at(-1)!;
    expect(last).toMatch(/^accuracy (\d\.\d{4}) macro-F1 (\d\.\d{4}) top3 (\d\.\d{4})$/);
    const [accuracy, macroF1, top3] = last.match(/\d\.\d{4}/g)!.map(Number);
    for (const x of [accuracy!, macroF1!, top3!]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    // three matters with their own words: the classifier learns them
    expect(macroF1).toBeGreaterThan(0.9);
    expect(top3).toBe(1);
    for (const label of Object.keys(MATTERS)) expect(r.out).toMatch(new RegExp(`^${label}\\s+[\\d.]+ %`, 'm'));
    expect(r.out).toContain('confusion (rows: true class');
    expect(r.out).toMatch(/training: [\d.]+ s per fold on ~60 texts/);
    expect(r.out).toMatch(/prediction CPU time: p50 [\d.]+ ms, p95 [\d.]+ ms/);
    expect(r.out).toMatch(/expected calibration error 0\.\d{3}/);
    expect(r.out).toMatch(/95 % interval over the texts .*macro-F1 \d\.\d{3}–\d\.\d{3}/);
    // the same file and seed give the same figures
    expect(
      run('--data', data, '--categories', tree, '--folds', '3', '--seed', '2').out.trimEnd().split('\n').at(-1),
    ).toBe(last);
  }, 120_000);

  it('a file without the required columns, or wrong arguments, is refused with a clear message', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'text,category\n路灯不亮,城乡建设\n');
    const missing = run('--data', bad);
    expect(missing.status).toBe(1);
    expect(missing.err).toMatch(/lacks the column\(s\) title, body, label/);
    const usage = run('--folds', '1', '--data', bad);
    expect(usage.status).toBe(2);
    expect(usage.err).toMatch(/usage: npm run classify:eval/);
    expect(run('--data', bad, '--colour').status).toBe(2);
  }, 120_000);
});
