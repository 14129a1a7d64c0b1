import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Realistic ticket texts for the benchmark: the 2020 TipDM "智慧政务" corpus of citizens' messages to a
// municipal hotline (../shared/data/tipdm2020/, outside the repository). A fresh clone has no such
// directory, so a small template generator produces plausible hotline texts instead.

export interface TicketText {
  title: string;
  content: string;
}

export interface TextCorpus {
  source: string;
  messages: TicketText[];
  /** Unit replies, used as reply_result of replied/closed bulk tickets. */
  replies: string[];
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TIPDM_DIR = resolve(REPO_ROOT, '../shared/data/tipdm2020');

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Returns rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header line; rows with a wrong field count are dropped. */
export function readCsvObjects(path: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i]!])));
}

// The corpus is anonymised as "A市A3区…"; naming the city Heze makes the texts read like local tickets.
const localise = (s: string) => s.replace(/A市/g, '菏泽市').replace(/\s+/g, ' ').trim();

function fromTipdm(dir: string): TextCorpus | null {
  const path = join(dir, 'messages.csv');
  if (!existsSync(path)) return null;
  const messages = readCsvObjects(path)
    .map((r) => ({ title: localise(r.title ?? '').slice(0, 200), content: localise(r.body ?? '').slice(0, 10000) }))
    .filter((m) => m.title.length > 0 && m.content.length > 0);
  if (messages.length === 0) return null;
  const repliesPath = join(dir, 'replies.csv');
  const replies = existsSync(repliesPath)
    ? readCsvObjects(repliesPath)
        .map((r) => localise(r.reply ?? '').slice(0, 10000))
        .filter((s) => s.length > 0)
    : [];
  return {
    source: `${path} (${messages.length} messages, ${replies.length} replies)`,
    messages,
    replies: replies.length ? replies : generatedReplies(500),
  };
}

// ---- fallback: templates × places × problems

const PLACES = [
  '牡丹区东城街道和平社区',
  '牡丹区西城街道丹阳路',
  '牡丹区南城街道中华路',
  '牡丹区北城街道人民路',
  '定陶区天中街道陶朱公路',
  '曹县倪集街道青菏路',
  '曹县磐石街道普连集路',
  '单县园艺街道东城路',
  '郓城县郓州街道金河路',
  '巨野县永丰街道新华路',
  '成武县文亭街道永昌路',
  '鄄城县古泉街道箕山路',
  '东明县城关街道五四路',
  '开发区丹阳办事处长江路',
  '高新区万福办事处黄河路',
];
const ESTATES = [
  '万达广场',
  '中央公馆',
  '锦绣花园',
  '长城小区',
  '阳光水岸',
  '书香苑',
  '银座华府',
  '金色家园',
  '东方明珠小区',
  '牡丹新城',
];
const PROBLEMS: Array<[string, string]> = [
  [
    '小区停水',
    '从昨天早上开始一直停水，没有任何通知，家里有老人小孩，生活非常不便，希望供水公司尽快恢复供水并说明原因。',
  ],
  ['夜间施工噪音扰民', '附近工地每天晚上十一点以后还在施工，噪音很大，严重影响周边居民休息，希望有关部门依法查处。'],
  ['拖欠农民工工资', '我们在该项目干活半年，包工头至今拖欠工资三万余元，多次讨要无果，请求劳动监察部门帮助追讨。'],
  ['路灯不亮', '这段路的路灯已经坏了两个多月，晚上一片漆黑，行人和车辆通行存在安全隐患，请尽快维修。'],
  ['物业乱收费', '物业公司擅自上调物业费和停车费，没有经过业主大会同意，服务质量也很差，请相关部门调查处理。'],
  ['道路坑洼积水', '路面破损严重，下雨后大面积积水，电动车经常摔倒，希望尽快修补路面、疏通排水。'],
  ['垃圾清运不及时', '小区门口垃圾桶满了好几天没人清运，气味难闻，招来很多蚊虫，请环卫部门及时处理。'],
  ['冬季供暖温度不达标', '家里暖气温度只有十五度左右，远低于规定标准，已经交了取暖费，请热力公司上门检查。'],
  ['餐馆油烟污染', '楼下餐馆没有安装油烟净化设备，油烟直排进居民家中，多次沟通无果，请环保部门查处。'],
  ['孩子入学咨询', '咨询今年小学一年级招生的学区划分和报名时间，需要准备哪些材料，房产证还没办下来能否入学。'],
  ['社保转移咨询', '本人从外地回菏泽工作，想咨询养老保险关系转移接续需要办理哪些手续，在哪里办理。'],
  ['违章搭建', '小区一楼住户私自在公共绿地上搭建彩钢房，影响其他业主通行和采光，请城管部门依法拆除。'],
  ['燃气表故障', '家里燃气表显示异常，充值后仍然无法使用，联系燃气公司多次未上门，请协调尽快处理。'],
  ['宽带经常断网', '家里宽带近一个月频繁断网，报修多次仍未解决，影响孩子上网课，请运营商尽快处理。'],
  ['出租车拒载', '在火车站打车，出租车司机嫌距离近拒绝载客，态度恶劣，请交通运输部门调查处理。'],
];
const OPENERS = ['您好，我是', '市民反映：', '来电人反映，', '本人居住在', '我家住在'];
const CLOSERS = ['恳请相关部门重视，尽快解决。', '希望尽快给予答复。', '请有关部门核实处理，谢谢！', '盼复。', ''];

function pick<T>(xs: readonly T[], n: number): T {
  return xs[n % xs.length]!;
}

export function generatedTexts(count: number): TicketText[] {
  const out: TicketText[] = [];
  for (let i = 0; i < count; i++) {
    const place = pick(PLACES, i * 7 + 3);
    const estate = pick(ESTATES, i * 13 + 1);
    const [problem, detail] = pick(PROBLEMS, i);
    out.push({
      title: `反映${place}${estate}${problem}的问题`,
      content: `${pick(OPENERS, i * 3)}${place}${estate}，${detail}${pick(CLOSERS, i * 11)}`,
    });
  }
  return out;
}

function generatedReplies(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const [problem] = pick(PROBLEMS, i);
    out.push(
      `您好！您反映的“${problem}”问题已收悉。经工作人员现场核实，情况基本属实。我单位已责成相关责任方限期整改，` +
        `目前问题${i % 3 === 0 ? '已解决' : '正在处理中'}。感谢您对我们工作的监督和支持。`,
    );
  }
  return out;
}

/** The TipDM corpus when present, else 2,000 generated texts. */
export function loadTicketTexts(dir = process.env.BENCH_TEXTS_DIR ?? TIPDM_DIR): TextCorpus {
  return (
    fromTipdm(dir) ?? {
      source: `built-in generator (no ${join(dir, 'messages.csv')})`,
      messages: generatedTexts(2000),
      replies: generatedReplies(500),
    }
  );
}
