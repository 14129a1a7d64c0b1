import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  classify,
  trainClassifier,
  type CategoryPrior,
  type LabelledText,
} from '../src/server/domain/classifier/classifier.js';
import {
  bootstrapInterval,
  calibration,
  percentile,
  score,
  stratifiedFolds,
} from '../src/server/domain/classifier/evaluation.js';
import { csvRecords } from '../src/server/domain/classifier/csv-table.js';
import { baselineLines } from './classify-baselines.js';

// npm run classify:eval -- --data FILE.csv [--categories TREE.csv] [--folds 5] [--seed 1] [--baselines]
// Trains and tests the platform's own classifier (src/server/domain/classifier) in stratified k-fold
// cross-validation on a labelled file. FILE.csv: UTF-8, header row, columns title, body, label (others ignored).
// TREE.csv: header row, columns level1, level2, level3; a label is a level1 value and the lower levels are its
// keywords (the same prior the platform takes from its own category tree). --baselines: also issue 13's two reference
// baselines (TF-IDF centroids; keyword matching on the tree alone, which needs TREE.csv) in the same folds, as a
// block before the last line (classify-baselines.ts). The last line is exactly "accuracy A macro-F1 F top3 T" (the
// product's classifier).

function table(path: string, required: string[]): Array<Record<string, string>> {
  return csvRecords(readFileSync(path, 'utf8'), required, path);
}

function treePrior(path: string): CategoryPrior[] {
  const keywords = new Map<string, Set<string>>();
  for (const r of table(path, ['level1', 'level2', 'level3'])) {
    const l1 = r.level1!.trim();
    if (!l1) continue;
    const set = keywords.get(l1) ?? new Set([l1]);
    for (const k of [r.level2, r.level3]) if (k?.trim()) set.add(k.trim());
    keywords.set(l1, set);
  }
  return [...keywords].map(([label, set]) => ({ label, keywords: [...set] }));
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
/** Pads to a terminal width where a Chinese character takes two columns. */
const padDisplay = (s: string, width: number) =>
  s + ' '.repeat(Math.max(1, width - [...s].reduce((w, c) => w + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0)));

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        data: { type: 'string' },
        categories: { type: 'string' },
        folds: { type: 'string', default: '5' },
        seed: { type: 'string', default: '1' },
        baselines: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const folds = Number(args.folds);
  const seed = Number(args.seed);
  if (!args.data || !Number.isInteger(folds) || folds < 2 || !Number.isInteger(seed)) {
    console.error(
      'usage: npm run classify:eval -- --data FILE.csv [--categories TREE.csv] [--folds 5] [--seed 1] [--baselines]',
    );
    return 2;
  }
  const data: LabelledText[] = table(args.data, ['title', 'body', 'label'])
    .filter((r) => r.label!.trim() && (r.title!.trim() || r.body!.trim()))
    .map((r) => ({ title: r.title!, body: r.body!, label: r.label!.trim() }));
  const prior = args.categories ? treePrior(args.categories) : [];
  // the prior speaks only for the labels being evaluated (a tree may list more classes than the file uses)
  const used = new Set(data.map((d) => d.label));
  const relevantPrior = prior.filter((p) => used.has(p.label));
  console.log(
    `${data.length} labelled texts, ${used.size} classes, ${folds}-fold stratified, seed ${seed}` +
      (args.categories ? `, category prior for ${relevantPrior.length} of them` : ', no category prior'),
  );

  const fold = stratifiedFolds(
    data.map((d) => d.label),
    folds,
    seed,
  );
  const ranked: string[][] = Array.from({ length: data.length }, () => []);
  // the first suggestion's confidence, for the calibration table (undefined: no suggestion)
  const firstConfidence: Array<number | undefined> = data.map(() => undefined);
  const trainMs: number[] = [];
  const predictMs: number[] = [];
  // CPU time as well as wall time: on a machine shared with other jobs the wall time of one prediction includes the
  // time the process waited for a core; the CPU time is what the prediction costs on one core (the figure)
  const predictCpuMs: number[] = [];
  for (let f = 0; f < folds; f++) {
    const train = data.filter((_, i) => fold[i] !== f);
    const t0 = performance.now();
    const model = trainClassifier(train, relevantPrior);
    trainMs.push(performance.now() - t0);
    data.forEach((d, i) => {
      if (fold[i] !== f) return;
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      const p = classify(model, d, { top: 3 });
      predictMs.push(performance.now() - t1);
      const c2 = process.cpuUsage(c1);
      predictCpuMs.push((c2.user + c2.system) / 1000);
      ranked[i] = p.kind === 'suggestions' ? p.suggestions.map((s) => s.label) : [];
      firstConfidence[i] = p.kind === 'suggestions' ? p.suggestions[0]!.confidence : undefined;
    });
  }
  const s = score(
    data.map((d) => d.label),
    ranked,
  );

  console.log(`\n${padDisplay('class', 24)}precision  recall      F1  support`);
  for (const c of s.perClass)
    console.log(
      `${padDisplay(c.label, 24)}  ${pct(c.precision)} % ${pct(c.recall)} % ${pct(c.f1)} %  ${String(c.support).padStart(6)}`,
    );
  console.log('\nconfusion (rows: true class, columns: predicted, in the order above)');
  s.confusion.forEach((row, i) =>
    console.log(`${String(i + 1).padStart(3)} ${row.map((n) => String(n).padStart(5)).join('')}`),
  );
  console.log(
    `\ntraining: ${(trainMs.reduce((a, b) => a + b, 0) / trainMs.length / 1000).toFixed(2)} s per fold on ~${Math.round((data.length * (folds - 1)) / folds)} texts` +
      `\nprediction: p50 ${percentile(predictMs, 50).toFixed(2)} ms, p95 ${percentile(predictMs, 95).toFixed(2)} ms (one text, segmentation included)` +
      `\nprediction CPU time: p50 ${percentile(predictCpuMs, 50).toFixed(2)} ms, p95 ${percentile(predictCpuMs, 95).toFixed(2)} ms (on one core, whatever else the machine runs)`,
  );
  const cal = calibration(
    data.flatMap((d, i) => {
      const confidence = firstConfidence[i];
      return confidence === undefined ? [] : [{ confidence, correct: ranked[i]![0] === d.label }];
    }),
  );
  console.log(
    `\ncalibration of the first suggestion's confidence: expected calibration error ${cal.ece.toFixed(3)}` +
      `\n  confidence    texts  mean confidence  right` +
      cal.bins
        .map(
          (b) =>
            `\n  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.count).padStart(9)}  ${pct(b.meanConfidence)} %       ${pct(b.accuracy)} %`,
        )
        .join(''),
  );
  const ci = bootstrapInterval(
    data.map((d) => d.label),
    ranked,
    { seed },
  );
  console.log(
    `95 % interval over the texts (bootstrap, 1000 resamples, predictions fixed): ` +
      `macro-F1 ${ci.macroF1[0].toFixed(3)}–${ci.macroF1[1].toFixed(3)}, accuracy ${ci.accuracy[0].toFixed(3)}–${ci.accuracy[1].toFixed(3)}`,
  );
  if (args.baselines) {
    const tree = args.categories ? table(args.categories, ['level1', 'level2', 'level3']) : null;
    console.log(`\n${baselineLines(data, fold, folds, tree).join('\n')}`);
  }
  console.log(`accuracy ${s.accuracy.toFixed(4)} macro-F1 ${s.macroF1.toFixed(4)} top3 ${s.top3.toFixed(4)}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
