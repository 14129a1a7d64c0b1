import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { classify, type LabelledText } from '../src/server/domain/classifier/classifier.js';
import { percentile } from '../src/server/domain/classifier/evaluation.js';
import { decodeModel } from '../src/server/domain/classifier/model-codec.js';
import { prng } from '../src/server/domain/classifier/softmax-model.js';
import { tokenize } from '../src/server/domain/text-tokens.js';
import { trainAndGate } from '../src/server/modules/classification/classifier-training.js';
import { loadCategoryTree } from '../src/server/modules/classification/classification.repository.js';
import { viewTree } from '../src/server/domain/classifier/category-prior.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { TicketGenerator } from './generate.js';
import { loadTicketTexts, type TextCorpus } from './ticket-texts.js';

// 第四条 智能分类, issue 13: training on 100 000 tickets under 60 s and 300 MB, prediction under 5 ms p95.
//   node --import tsx bench/classifier-training.ts [N] [--db postgres|pglite] [--texts synthetic|tipdm]
// It measures the product's own path, the one the scheduler runs: N tickets are loaded into a throw-away database
// (PostgreSQL at BENCH_DATABASE_URL, default the local server; or an embedded PGlite directory) by a first child
// process, then a fresh process trains once so that a model is in use (a centre's retraining always has one, and the
// gate reads and scores it too), then another fresh process calls trainAndGate() — tickets streamed from the database,
// segmented, trained, scored on the holdout with the model in use, stored — and reports its time and the peak RSS of
// the whole process (VmHWM: Node, the modules, the database pool or PGlite, jieba's dictionary, the training).
// `--phase train` alone measures one more retraining on a database already loaded (`--phase load`).
// Texts: `synthetic` (default) — 30 matters, each with its own phrases, sharing places and filler, one ticket in
// ten mixing in another matter's phrase, each matter mapped to a leaf category, so the model must weigh; `tipdm` —
// the real citizens' messages of bench/ticket-texts.ts (longer, a real vocabulary; categories at random, so only
// time and memory mean anything).

const CATEGORIES: Record<string, string[]> = {
  供水: ['停水', '自来水发黄', '水压太小', '水管爆裂', '水表计费', '二次供水'],
  供电: ['停电', '电压不稳', '电表跳闸', '电线老化', '变压器噪音', '电费异常'],
  燃气: ['燃气泄漏', '天然气开户', '燃气费', '燃气管道', '液化气', '燃气表'],
  供暖: ['暖气不热', '供暖费', '暖气漏水', '集中供热', '地暖', '停暖'],
  市政设施: ['路灯不亮', '井盖丢失', '人行道破损', '下水道堵塞', '路面塌陷', '护栏损坏'],
  违章建筑: ['私搭乱建', '违建', '楼顶加盖', '占用绿地', '违规扩建', '侵占楼道'],
  物业管理: ['物业费', '物业不作为', '电梯故障', '小区保安', '业委会', '维修基金'],
  房产交易: ['房产证', '不动产登记', '购房合同', '开发商延期交房', '网签备案', '学区房'],
  噪声污染: ['噪音扰民', '夜间施工', '广场舞', '烧烤店噪音', '装修噪音', '鸣笛'],
  大气污染: ['焚烧秸秆', '工厂排放', '油烟扰民', '扬尘', '异味', '锅炉冒黑烟'],
  水污染: ['河道污染', '污水直排', '黑臭水体', '养殖污水', '排污口', '水质变差'],
  垃圾清运: ['垃圾堆放', '垃圾桶满了', '垃圾清运不及时', '建筑垃圾', '垃圾分类', '垃圾站臭'],
  公交客运: ['公交车晚点', '公交线路', '公交司机', '站牌', '公交卡', '末班车'],
  出租车: ['出租车拒载', '出租车绕路', '网约车', '出租车计价', '出租车司机态度', '黑车'],
  道路养护: ['道路坑洼', '路面破损', '道路积水', '桥梁', '乡村道路', '道路施工'],
  拖欠工资: ['拖欠工资', '农民工工资', '讨薪', '加班费', '包工头', '工资不发'],
  社会保险: ['社保缴纳', '养老保险', '医保报销', '失业保险', '社保转移', '退休金'],
  就业创业: ['创业贷款', '就业补贴', '招聘会', '技能培训', '人才引进', '灵活就业'],
  招生入学: ['入学报名', '学区划分', '幼儿园入园', '随迁子女', '招生政策', '转学'],
  学校管理: ['学校收费', '校车', '食堂', '补课', '教师体罚', '作业太多'],
  校外培训: ['培训机构', '退费', '课外辅导', '培训班跑路', '预付费', '违规培训'],
  医疗服务: ['医院服务态度', '看病难', '挂号', '医疗纠纷', '乱收费', '医生'],
  食品安全: ['过期食品', '食物中毒', '无证经营', '餐馆卫生', '假冒食品', '添加剂'],
  价格收费: ['乱收费', '价格欺诈', '停车收费', '物价', '明码标价', '收费标准'],
  消费维权: ['退货', '虚假宣传', '预付卡', '商家欺诈', '售后服务', '质量问题'],
  户籍证件: ['户口迁移', '身份证办理', '居住证', '落户', '户籍证明', '出生登记'],
  社会治安: ['打架斗殴', '盗窃', '诈骗', '赌博', '治安隐患', '寻衅滋事'],
  惠农补贴: ['种粮补贴', '农机补贴', '低保', '扶贫', '惠农资金', '耕地补贴'],
  宽带故障: ['宽带断网', '网速慢', '宽带安装', '光纤', '宽带费', '网络故障'],
  移动信号: ['手机没信号', '基站', '信号差', '通话中断', '5G', '流量'],
};
const PLACES = ['牡丹区', '曹县', '单县', '成武县', '巨野县', '郓城县', '鄄城县', '东明县', '定陶区'];
const FILLER = ['情况严重', '多次反映无果', '希望尽快处理', '请有关部门管一管', '已经好几天了', '影响正常生活'];

function corpus(n: number, seed: number): LabelledText[] {
  const random = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
  const labels = Object.keys(CATEGORIES);
  const out: LabelledText[] = [];
  for (let i = 0; i < n; i++) {
    const label = pick(labels);
    const own = CATEGORIES[label]!;
    const noise = random() < 0.1 ? `，另外${pick(CATEGORIES[pick(labels)]!)}` : '';
    out.push({
      label,
      title: `${pick(own)}问题`,
      body: `${pick(PLACES)}某小区${pick(own)}，${pick(own)}${noise}，${pick(FILLER)}，${pick(FILLER)}。`,
    });
  }
  return out;
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'postgres' },
    texts: { type: 'string', default: 'synthetic' },
    phase: { type: 'string' },
    url: { type: 'string' },
    dir: { type: 'string' },
    warmup: { type: 'boolean', default: false },
  },
});
const n = Number(positionals[0] ?? 100_000);
const NOW = '2026-12-01T09:00:00+08:00';
const self = fileURLToPath(import.meta.url);
const mb = (bytes: number) => bytes / 1048576;
/** peak resident set of this process so far, from the kernel (everything the process holds, not only the JS heap) */
const peakMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

async function open() {
  return openDatabase(args.url ? { url: args.url, poolSize: 2 } : { dataDir: args.dir! });
}

/** The labels of the synthetic matters as leaf category ids (matter i → the i-th leaf of the seeded tree). */
async function leafIds(db: Awaited<ReturnType<typeof open>>['db']): Promise<Map<string, number>> {
  const leaves = [...viewTree(await loadCategoryTree(db)).leaves].sort((a, b) => a - b);
  return new Map(Object.keys(CATEGORIES).map((label, i) => [label, leaves[i % leaves.length]!]));
}

/** First child: a migrated, seeded database with n bulk tickets (bench/generate.ts) and their texts. */
async function load(): Promise<void> {
  const handle = await open();
  const { db } = handle;
  const clock = new ManualClock(NOW);
  await migrateToLatest(db);
  await seedReferenceData(db);
  const ids = (await seedDemo(db, clock.now(), DEMO_PASSWORD))!;
  let texts: TextCorpus;
  let labels: string[] = [];
  if (args.texts === 'tipdm') texts = loadTicketTexts();
  else {
    const data = corpus(n, 1);
    texts = {
      source: 'synthetic',
      messages: data.map((d) => ({ title: d.title!, content: d.body })),
      replies: ['已处理。'],
    };
    labels = data.map((d) => d.label);
  }
  const gen = new TicketGenerator(db, ids, texts);
  await gen.prepare();
  const r = await gen.loadTo(n, clock.now());
  if (labels.length) {
    // bulk ticket g has text g mod n (generate.ts); its category is that text's matter
    const leaf = await leafIds(db);
    await sql`CREATE TABLE bench_text_cats (i int PRIMARY KEY, category_id int NOT NULL)`.execute(db);
    for (let i = 0; i < labels.length; i += 5_000)
      await sql`INSERT INTO bench_text_cats (i, category_id) SELECT * FROM unnest(${Array.from(
        { length: Math.min(5_000, labels.length - i) },
        (_, k) => i + k,
      )}::int[], ${labels.slice(i, i + 5_000).map((l) => leaf.get(l)!)}::int[])`.execute(db);
    await sql`UPDATE tickets t SET category_id = c.category_id FROM bench_text_cats c
              WHERE t.number LIKE 'HZB%' AND c.i = (substr(t.number, 4)::bigint % ${labels.length})::int`.execute(db);
  }
  await handle.close();
  console.log(`loaded ${r.tickets} tickets (${texts.source}) in ${r.seconds.toFixed(0)} s`);
}

/** Second child, a fresh process: the scheduler's training, measured. */
async function train(): Promise<void> {
  const handle = await open();
  const { db } = handle;
  // A run killed mid-training leaves its claim, and the bench's clock stands still, so that claim would never expire
  // and every later run would answer 'busy': the bench's own database, so a stale claim is dropped here.
  await db.updateTable('classifier_training').set({ claimed_until: null, claimed_by: null }).execute();
  const atStart = process.memoryUsage().rss;
  tokenize('路灯不亮'); // jieba loads its dictionary on first use
  const withJieba = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await trainAndGate({ db, clock: new ManualClock(NOW) }, null);
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peak = peakMb();
  if (r.outcome !== 'active' && r.outcome !== 'rejected') throw new Error(`training answered ${r.outcome}`);
  if (args.warmup) {
    // a centre's retraining always has a model in use, which the gate reads and scores too: the measured run below
    // gets this one (its figures say nothing of a retraining's peak)
    console.log(
      `warm-up training, no model in use (its model is the one in use for the next run): CPU ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, peak RSS ${peak.toFixed(0)} MB`,
    );
    await handle.close();
    return;
  }
  const row = await db
    .selectFrom('classifier_models')
    .select('model')
    .where('id', '=', r.modelId)
    .executeTakeFirstOrThrow();
  const t1 = performance.now();
  const model = decodeModel(row.model);
  const decodeMs = performance.now() - t1;
  const leaf = await leafIds(db);
  const test: LabelledText[] =
    args.texts === 'tipdm'
      ? loadTicketTexts()
          .messages.slice(0, 2000)
          .map((m) => ({ title: m.title, body: m.content, label: '' }))
      : corpus(2000, 2).map((t) => ({ ...t, label: String(leaf.get(t.label)) }));
  const lat: number[] = [];
  let correct = 0;
  for (const t of test) {
    const s = performance.now();
    const p = classify(model, t);
    lat.push(performance.now() - s);
    if (p.kind === 'suggestions' && p.suggestions[0]!.label === t.label) correct++;
  }
  await handle.close();
  const e = r.evaluation;
  console.log(
    `tickets ${n} (${args.texts}, ${args.db}), learned from ${r.examples}, held out ${e.holdout}; ` +
      `categories ${model.labels.length}, vocabulary ${model.vocab.terms.length}`,
  );
  console.log(
    `trainAndGate ${(totalMs / 1000).toFixed(1)} s (reading, segmenting and training ${((e.trainingMs ?? 0) / 1000).toFixed(1)} s; ` +
      `the rest is scoring the holdout and storing), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, ` +
      `peak RSS ${peak.toFixed(0)} MB`,
  );
  console.log(
    `the process before training: ${mb(atStart).toFixed(0)} MB (Node, modules, database), ` +
      `${mb(withJieba).toFixed(0)} MB with jieba's dictionary loaded`,
  );
  console.log(
    `model ${mb(row.model.byteLength).toFixed(1)} MB stored, decode ${decodeMs.toFixed(0)} ms; holdout macro-F1 ${e.model?.macroF1}`,
  );
  console.log(
    `prediction p50 ${percentile(lat, 50).toFixed(2)} ms, p95 ${percentile(lat, 95).toFixed(2)} ms (top 3 with explanations)` +
      (args.texts === 'tipdm' ? '' : `; accuracy on 2000 fresh synthetic texts ${(correct / test.length).toFixed(3)}`),
  );
}

function child(phase: string, where: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [...process.execArgv, self, String(n), '--db', args.db, '--texts', args.texts, '--phase', phase, ...where],
      { stdio: 'inherit' },
    );
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${phase} exited with ${code}`))));
  });
}

if (args.phase === 'load') await load();
else if (args.phase === 'train') await train();
else if (args.db === 'pglite') {
  const dir = mkdtempSync(join(tmpdir(), 'hz-bench-classifier-'));
  try {
    await child('load', ['--dir', dir]);
    await child('train', ['--dir', dir, '--warmup']);
    await child('train', ['--dir', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const pg = await createThrowawayPgDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    'hz_bench_classifier',
  );
  try {
    await child('load', ['--url', pg.url]);
    await child('train', ['--url', pg.url, '--warmup']);
    await child('train', ['--url', pg.url]);
  } finally {
    await pg.drop();
  }
}
