// The demo history's matters: what Heze's citizens call about, in our own words (no real message is copied), with
// how often and when. `weight` is a matter's share of an ordinary day; `season(d)` multiplies it by the time of
// year, so heating complaints start in November, flooding and power cuts come with the summer rains, school
// enrolment peaks in August and wage arrears pile up before the Spring Festival.

import type { RequestType } from '../db/schema.js';

export interface Matter {
  key: string;
  category: string;
  type: RequestType;
  weight: number;
  /** the multiplier for a day (1 = an ordinary day) */
  season: (d: DayFacts) => number;
  titles: string[];
  /** {place} is a road or residential compound, {town} the street or town */
  contents: string[];
  /**
   * The matter mentioned in passing in a call about another one ("另外，{aside}。"): real messages often raise two
   * things, and which of them the agent files it under is a judgement (MIXED_TEXTS below).
   */
  aside?: string;
  /** keys of the matters a call about this one often also raises (weighed by their season on the day) */
  neighbours?: string[];
  urgent?: number;
}

/**
 * How the demo's texts vary beyond the matter itself (issue 13): one ordinary call in `share` raises a neighbouring
 * matter too, and one of those in `filedAsAside` is filed under the matter raised in passing — an agent's honest
 * judgement of which is the main one. Without it the demo's texts were a few templates per category, and its
 * classifier scored 100 % on its holdout: a figure no centre sees, and one that hid the admin page's confusions.
 */
export const MIXED_TEXTS = { share: 0.22, filedAsAside: 0.3 };

/** How citizens open and close a call or message (agents note the words as said); '' is none. */
export const OPENINGS = [
  '',
  '',
  '',
  '您好，',
  '你好，我想反映个问题：',
  '我是{town}的居民，',
  '来电人称，',
  '市民反映：',
];
export const ASIDE_LINKS = ['另外，', '还有，', '同时', '而且'];
export const CLOSINGS = [
  '',
  '',
  '请相关部门尽快处理。',
  '希望尽快给个答复。',
  '麻烦尽快安排人员处理，谢谢！',
  '之前已经反映过一次，到现在也没有结果。',
  '谢谢。',
];

export interface DayFacts {
  month: number; // 1–12
  /** days until the next Spring Festival (0 on the day), and since the last one */
  toSpringFestival: number;
  sinceSpringFestival: number;
}

/** 春节 (first day of the lunar year): wage arrears rise in the weeks before it. */
export const SPRING_FESTIVALS = ['2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26'];

const always = () => 1;
const months = (m: Record<number, number>) => (d: DayFacts) => m[d.month] ?? 1;

export const MATTERS: Matter[] = [
  {
    key: 'heating',
    category: 'CX-GN',
    type: 'complaint',
    weight: 3,
    season: months({ 1: 7, 2: 5, 3: 2.5, 4: 0.2, 5: 0.05, 6: 0.05, 7: 0.05, 8: 0.05, 9: 0.1, 10: 0.6, 11: 6, 12: 8 }),
    titles: ['暖气不热', '供暖温度不达标', '小区暖气至今未通'],
    aside: '暖气到现在也不热',
    neighbours: ['property', 'power'],
    contents: [
      '{place}家中暖气片温度很低，室内只有十四五度，老人孩子受不了，希望供热公司尽快上门排查。',
      '{place}这个采暖季暖气一直不热，已交采暖费，多次联系物业无果，请相关部门督促解决。',
      '{town}{place}部分楼栋到现在还没有通暖，晚上室内很冷，请尽快安排。',
    ],
  },
  {
    key: 'flooding',
    category: 'CX-SZ',
    type: 'help',
    weight: 1,
    season: months({ 6: 3, 7: 9, 8: 7, 9: 2, 12: 0.2, 1: 0.2, 2: 0.2 }),
    titles: ['暴雨后路口积水严重', '雨水井堵塞积水', '小区门口积水无法通行'],
    aside: '一下雨门口就积水',
    neighbours: ['roads', 'lamp', 'property'],
    contents: [
      '昨晚下大雨后{place}路口积水没过小腿，车辆熄火，行人无法通过，请尽快排水疏通。',
      '{town}{place}雨水井堵塞，一下雨就积水，已经好几天了，请市政部门清理。',
    ],
    urgent: 0.3,
  },
  {
    key: 'power',
    category: 'CX-GD',
    type: 'help',
    weight: 1.5,
    season: months({ 6: 2, 7: 4, 8: 3.5, 1: 1.5, 12: 1.3 }),
    titles: ['小区突然停电', '频繁停电影响生活', '电压不稳家电无法使用'],
    aside: '前几天还停了一次电',
    neighbours: ['property', 'heating', 'water'],
    contents: [
      '{place}从下午开始停电，没有接到任何通知，天气炎热家里有老人，请尽快恢复供电。',
      '{town}{place}这一周已经停电三四次，冰箱里的东西都坏了，希望供电公司查明原因。',
    ],
    urgent: 0.4,
  },
  {
    key: 'water',
    category: 'CX-GS',
    type: 'help',
    weight: 1.5,
    season: months({ 7: 1.5, 8: 1.4, 1: 1.3 }),
    titles: ['小区停水无通知', '自来水发黄有异味', '水压太低高层用不上水'],
    aside: '这几天还经常停水',
    neighbours: ['property', 'heating', 'power'],
    contents: [
      '{place}从早上开始停水，没有看到停水通知，请问什么时候恢复？',
      '{town}{place}自来水放出来发黄，还有一股味道，不敢饮用，请供水公司检测。',
    ],
    urgent: 0.2,
  },
  {
    key: 'enrolment',
    category: 'JY-ZS',
    type: 'consult',
    weight: 0.8,
    season: months({ 6: 2, 7: 5, 8: 9, 9: 2.5, 12: 0.3, 1: 0.3, 2: 0.3 }),
    titles: ['孩子入学划片咨询', '一年级报名材料咨询', '随迁子女入学问题'],
    aside: '孩子今年就要上学了',
    neighbours: ['household'],
    contents: [
      '孩子今年该上一年级，户口在{town}，房子在{place}，请问应该划到哪所学校，需要准备哪些材料？',
      '我们是外地来菏泽务工人员，孩子随迁入学需要办理哪些手续，居住证还没办下来怎么办？',
    ],
  },
  {
    key: 'wages',
    category: 'LD-QX',
    type: 'complaint',
    weight: 1.2,
    season: (d) => (d.toSpringFestival <= 50 ? 2 + (50 - d.toSpringFestival) / 8 : d.sinceSpringFestival <= 10 ? 2 : 1),
    titles: ['工地拖欠农民工工资', '公司拖欠工资不发', '年底讨要工资无果'],
    aside: '工资也拖着一直没发',
    neighbours: ['social-insurance'],
    contents: [
      '我在{town}{place}附近的工地干活，老板拖欠我们十几个人的工资大半年了，快过年了还不给，请帮忙。',
      '原单位拖欠三个月工资，多次讨要一直推脱，请劳动监察部门处理。',
    ],
  },
  {
    key: 'lamp',
    category: 'CX-SZ',
    type: 'complaint',
    weight: 2,
    season: months({ 11: 1.3, 12: 1.3, 1: 1.2 }),
    titles: ['路灯不亮', '路灯长明浪费电', '路段路灯损坏'],
    aside: '晚上路灯也不亮',
    neighbours: ['roads', 'flooding'],
    contents: [
      '{place}一段路灯晚上全部不亮，已经一个多星期了，夜里走路很危险，请尽快维修。',
      '{town}{place}路灯白天也亮着，浪费电，请有关部门处理。',
    ],
  },
  {
    key: 'noise',
    category: 'HB-ZS',
    type: 'complaint',
    weight: 2.2,
    season: months({ 5: 1.3, 6: 1.6, 7: 1.8, 8: 1.7, 9: 1.3, 1: 0.6, 2: 0.6 }),
    titles: ['夜间施工噪音扰民', '广场舞音响声音太大', '商户音响噪音扰民'],
    aside: '晚上噪音吵得睡不着觉',
    neighbours: ['property', 'illegal-building', 'garbage'],
    contents: [
      '{place}旁边的工地每天夜里十一点以后还在施工，噪音很大，严重影响休息。',
      '{town}{place}广场每天晚上跳舞音响开得很大，一直到十点多，家里孩子没法学习。',
    ],
  },
  {
    key: 'garbage',
    category: 'HB-LJ',
    type: 'complaint',
    weight: 1.5,
    season: months({ 7: 1.5, 8: 1.5, 2: 1.3 }),
    titles: ['垃圾长时间未清运', '垃圾桶满溢无人管', '建筑垃圾乱堆乱放'],
    aside: '垃圾也堆着没人清运',
    neighbours: ['property', 'illegal-building', 'noise'],
    contents: [
      '{place}门口的垃圾桶已经好几天没人清运，天热发臭，蚊蝇很多。',
      '{town}{place}路边有人乱倒建筑垃圾，越堆越多，请尽快清理。',
    ],
  },
  {
    key: 'property',
    category: 'CX-WY',
    type: 'complaint',
    weight: 2.5,
    season: always,
    titles: ['物业服务差', '物业乱收费', '电梯经常故障物业不管'],
    aside: '物业对这些事不管不问',
    neighbours: ['heating', 'water', 'power', 'garbage', 'price'],
    contents: [
      '{place}物业不作为，楼道卫生没人打扫，电梯坏了好几天也不修，业主意见很大。',
      '{town}{place}物业今年突然上调物业费，没有召开业主大会，请相关部门核查。',
    ],
  },
  {
    key: 'illegal-building',
    category: 'CX-WJ',
    type: 'report',
    weight: 0.8,
    season: months({ 3: 1.4, 4: 1.5, 5: 1.3 }),
    titles: ['小区内违建', '楼顶私搭乱建'],
    aside: '楼顶还有人私搭乱建',
    neighbours: ['property', 'garbage'],
    contents: ['{place}有住户在楼顶私自搭建彩钢房，存在安全隐患，请城管部门查处。'],
  },
  {
    key: 'roads',
    category: 'JT-DL',
    type: 'complaint',
    weight: 1.3,
    season: months({ 3: 1.4, 7: 1.3, 8: 1.3 }),
    titles: ['道路坑洼不平', '井盖缺失', '路面塌陷'],
    aside: '路面坑坑洼洼也没人修',
    neighbours: ['flooding', 'lamp'],
    contents: ['{town}{place}路面有好几个大坑，下雨后看不见，电动车经常摔倒，请尽快修补。'],
    urgent: 0.1,
  },
  {
    key: 'bus',
    category: 'JT-GJ',
    type: 'suggestion',
    weight: 0.7,
    season: always,
    titles: ['建议增加公交线路', '公交车不按时发车'],
    aside: '公交车也很难等到',
    neighbours: ['roads'],
    contents: ['{place}附近新建小区多，上下班没有公交车，建议增设线路或站点。'],
  },
  {
    key: 'social-insurance',
    category: 'LD-SB',
    type: 'consult',
    weight: 1.5,
    season: months({ 1: 1.3, 12: 1.4 }),
    titles: ['社保缴费咨询', '灵活就业社保怎么交', '养老金认证咨询'],
    aside: '单位也没给缴社保',
    neighbours: ['medical-insurance', 'wages'],
    contents: ['请问灵活就业人员在菏泽怎么缴纳养老保险，今年的缴费基数是多少？'],
  },
  {
    key: 'medical-insurance',
    category: 'WS-YB',
    type: 'consult',
    weight: 1.3,
    season: months({ 11: 1.6, 12: 1.8, 1: 1.2 }),
    titles: ['居民医保缴费咨询', '异地就医备案咨询'],
    aside: '医保报销也办不下来',
    neighbours: ['social-insurance'],
    contents: ['请问明年的城乡居民医保什么时候开始交，在哪里交，每人多少钱？'],
  },
  {
    key: 'food',
    category: 'SC-SP',
    type: 'complaint',
    weight: 0.9,
    season: months({ 6: 1.3, 7: 1.4, 8: 1.3 }),
    titles: ['餐馆卫生差', '超市销售过期食品'],
    aside: '饭菜卫生也让人担心',
    neighbours: ['price'],
    contents: ['在{town}{place}的一家饭店吃饭，后厨卫生很差，吃完后肚子疼，请市场监管部门检查。'],
  },
  {
    key: 'price',
    category: 'SC-JG',
    type: 'complaint',
    weight: 0.7,
    season: months({ 1: 1.4, 2: 1.5, 10: 1.3 }),
    titles: ['停车场乱收费', '节日期间商品涨价'],
    aside: '收费也不明码标价',
    neighbours: ['food', 'property'],
    contents: ['{place}附近停车场收费没有明码标价，收费比规定高很多。'],
  },
  {
    key: 'household',
    category: 'GA-HJ',
    type: 'consult',
    weight: 1,
    season: months({ 7: 1.3, 8: 1.4 }),
    titles: ['户口迁移咨询', '身份证补办咨询'],
    aside: '户口也还没迁过来',
    neighbours: ['enrolment', 'social-insurance'],
    contents: ['请问在{town}买房后户口怎么迁过来，需要带哪些材料到哪里办理？'],
  },
  {
    key: 'broadband',
    category: 'TX-KD',
    type: 'complaint',
    weight: 0.8,
    season: always,
    titles: ['宽带经常断网', '报修宽带迟迟无人上门'],
    aside: '家里宽带也三天两头断网',
    neighbours: ['property'],
    contents: ['{place}家里宽带三天两头断网，报修好几次都没人上门，请督促运营商处理。'],
  },
  {
    key: 'subsidy',
    category: 'NY-BT',
    type: 'consult',
    weight: 0.6,
    season: months({ 3: 1.6, 4: 1.5, 9: 1.3, 10: 1.4 }),
    titles: ['耕地地力补贴未到账', '惠农补贴发放咨询'],
    aside: '种粮补贴也一直没到账',
    neighbours: ['social-insurance', 'wages'],
    contents: ['我是{town}的村民，今年的耕地地力保护补贴还没有到账，请问什么时候发放？'],
  },
  {
    key: 'praise',
    category: 'QT-QT',
    type: 'praise',
    weight: 0.4,
    season: always,
    titles: ['感谢工作人员热情服务'],
    contents: ['上次反映的问题很快就解决了，工作人员态度很好，特此表扬。'],
  },
];

/** A matter that kept coming back all year: the same compound, the same smell, many of the same people. */
export const LONG_RUNNING: Matter = {
  key: 'long-running-sewer',
  category: 'HB-SW',
  type: 'complaint',
  weight: 0,
  season: months({ 6: 1.5, 7: 2, 8: 2 }),
  titles: ['丹阳社区老旧小区污水管网堵塞返味', '小区污水外溢问题反复出现'],
  contents: [
    '东城街道丹阳社区老旧小区的污水管道又堵了，下水道返味，污水漫到楼道口，反映过很多次，修了没几天又坏。',
    '丹阳社区的污水管网老化，一到雨天就外溢，希望彻底改造而不是每次临时疏通。',
  ],
};

/** Emerging clusters: the same place and category rising over the last weeks (for the early-warning screens). */
export const CLUSTERS: Array<{ matter: Matter; region: string; place: string; days: number; peakPerDay: number }> = [
  {
    matter: {
      key: 'cluster-odour',
      category: 'HB-DQ',
      type: 'complaint',
      weight: 0,
      season: always,
      titles: ['工业园区夜间排放异味', '夜里刺鼻气味'],
      contents: ['最近一到晚上{town}附近就有刺鼻的化工味，开着窗睡觉嗓子疼，怀疑园区企业偷排，请环保部门查一查。'],
    },
    region: '371703001',
    place: '天中街道开发区',
    days: 21,
    peakPerDay: 6,
  },
  {
    matter: {
      key: 'cluster-water-cut',
      category: 'CX-GS',
      type: 'help',
      weight: 0,
      season: always,
      titles: ['西城街道反复停水', '停水多日无人解释'],
      contents: ['{town}{place}这两周已经停水好几次，每次都没有通知，家里老人做饭都成问题。'],
      urgent: 0.3,
    },
    region: '371702002',
    place: '西城街道中华西路一带',
    days: 14,
    peakPerDay: 5,
  },
];

/**
 * 第二十八条(三) 新业态、新领域: matters the history did not know until its last weeks, rising across the whole city (not
 * one place, unlike CLUSTERS): a chain of prepaid gyms and beauty salons closing, and electric bikes charged from
 * flats. They are filed under old categories (消费维权, 物业管理), so only their words show them (新兴诉求词).
 */
export const NEW_FORMS: Array<{ matter: Matter; days: number; peakPerDay: number }> = [
  {
    matter: {
      key: 'new-prepaid-cards',
      category: 'SC-XF',
      type: 'complaint',
      weight: 0,
      season: always,
      titles: ['健身房突然闭店预付卡无法退费', '美容店关门储值卡余额不退', '办了预付卡商家跑路'],
      contents: [
        '我在{town}一家健身房办了年卡，交了三千多元，上周突然闭店，老板联系不上，预付卡里的钱退不了，请市场监管部门处理。',
        '{place}附近的美容店关门了，储值卡里还有两千元余额，店家说换了老板不认账，这种预付卡消费纠纷该找谁？',
        '孩子在{town}的培训机构预交了一年课时费，机构突然停课跑路，几十个家长的预付费用都没退，请有关部门介入。',
      ],
    },
    days: 35,
    peakPerDay: 1.4,
  },
  {
    matter: {
      key: 'new-ebike-charging',
      category: 'CX-WY',
      type: 'complaint',
      weight: 0,
      season: always,
      titles: ['楼道电动车飞线充电有火灾隐患', '小区没有电动自行车充电桩'],
      contents: [
        '{place}有住户从楼上拉电线给电动车飞线充电，电线垂到一楼，晚上还在楼道里充电，火灾隐患很大，请物业和消防部门管一管。',
        '{town}{place}小区没有电动自行车集中充电桩，大家只能把电动车推进楼道充电，很不安全，希望尽快安装充电设施。',
      ],
      urgent: 0.1,
    },
    days: 28,
    peakPerDay: 1,
  },
];

export const PLACES = [
  '和平路',
  '中华路',
  '丹阳路',
  '人民路',
  '长江路',
  '黄河路',
  '牡丹路',
  '八一路',
  '青年路',
  '双河路',
  '昆明路',
  '广州路',
  '天香公园',
  '万福小区',
  '东方红小区',
  '锦绣华城',
  '书香苑',
  '城建新村',
  '供销社家属院',
  '桂陵小区',
];

export const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段';
export const GIVEN =
  '秀英桂英建华玉兰志强海燕丽娟文军国庆红梅建军春梅晓东明辉淑珍德胜金凤少华永刚雪梅立新凤英艳芳子涵浩然欣怡宇轩雨涵梓萱';

export const REPLIES: Array<{ result: string; solved: boolean; explanation?: string }> = [
  { result: '经现场核实，已安排人员处理完毕，并电话告知诉求人处理结果。', solved: true },
  { result: '已联系相关责任方整改，问题已解决，诉求人表示认可。', solved: true },
  { result: '已派员实地查看并完成维修，后续将加强日常巡查。', solved: true },
  {
    result: '经核查，该事项涉及多方权属，已协调相关单位研究解决方案。',
    solved: false,
    explanation: '因涉及资金和规划审批，暂无法立即解决，已纳入年度改造计划，并向诉求人作出解释。',
  },
  { result: '已向诉求人详细解释相关政策和办理流程，诉求人表示清楚。', solved: true },
];
