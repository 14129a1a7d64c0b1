import {
  classify,
  trainClassifier,
  type CategoryPrior,
  type LabelledText,
} from '../src/server/domain/classifier/classifier.js';
import { percentile } from '../src/server/domain/classifier/evaluation.js';
import { decodeModel, encodeModel } from '../src/server/domain/classifier/model-codec.js';
import { prng } from '../src/server/domain/classifier/softmax-model.js';

// 第四条 智能分类: training time and memory on N synthetic tickets (default 100 000), prediction latency p50/p95 and
// the stored model's size. The issue asks for training under 60 s and 300 MB, prediction under 5 ms p95 on one core.
//   node --import tsx bench/classifier-training.ts [N]
// The texts are generated (a fresh clone has no citizen data): 30 categories, each with its own phrases, sharing
// places and filler, and one ticket in ten mixing in a phrase of another category, so the model must weigh.

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

const n = Number(process.argv[2] ?? 100_000);
const prior: CategoryPrior[] = Object.entries(CATEGORIES).map(([label, k]) => ({ label, keywords: [label, ...k] }));
const data = corpus(n, 1);
const test = corpus(2000, 2);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const model = trainClassifier(data, prior);
const trainMs = performance.now() - t0;
const peakMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
const t1 = performance.now();
const bytes = encodeModel(model);
const encodeMs = performance.now() - t1;
const t2 = performance.now();
decodeModel(bytes);
const decodeMs = performance.now() - t2;
const lat: number[] = [];
let correct = 0;
for (const t of test) {
  const s = performance.now();
  const p = classify(model, t);
  lat.push(performance.now() - s);
  if (p.kind === 'suggestions' && p.suggestions[0]!.label === t.label) correct++;
}
console.log(`tickets ${n}, categories ${model.labels.length}, vocabulary ${model.vocab.terms.length}`);
console.log(
  `training ${(trainMs / 1000).toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB (RSS before training ${(rssBefore / 1048576).toFixed(0)} MB)`,
);
console.log(
  `model ${(bytes.byteLength / 1048576).toFixed(1)} MB stored; encode ${encodeMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms`,
);
console.log(
  `prediction p50 ${percentile(lat, 50).toFixed(2)} ms, p95 ${percentile(lat, 95).toFixed(2)} ms (top 3 with explanations)`,
);
console.log(`accuracy on 2000 fresh synthetic texts ${(correct / test.length).toFixed(3)}`);
