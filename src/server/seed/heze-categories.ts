// A two-level matter taxonomy (事项分类) written for the demo, in the style of real 12345 catalogues. Each leaf has the
// words citizens use for it (第四条 智能分类: the prior a new centre's suggestions start from, edited on 事项分类).
export const CATEGORIES: Array<{
  code: string;
  name: string;
  children: Array<{ code: string; name: string; keywords?: string[] }>;
}> = [
  {
    code: 'CX',
    name: '城乡建设',
    children: [
      { code: 'CX-GS', name: '供水', keywords: ['停水', '自来水', '水压', '水管', '漏水', '水质', '水表', '水费'] },
      { code: 'CX-GD', name: '供电', keywords: ['停电', '断电', '电压', '电线', '电表', '电费', '变压器'] },
      { code: 'CX-RQ', name: '燃气', keywords: ['天然气', '煤气', '燃气灶', '漏气', '燃气费', '燃气管道'] },
      { code: 'CX-GN', name: '供暖', keywords: ['暖气', '供热', '室温', '暖气片', '取暖费', '不热'] },
      { code: 'CX-SZ', name: '市政设施', keywords: ['路灯', '井盖', '下水道', '排水', '积水', '人行道', '窨井'] },
      { code: 'CX-WJ', name: '违章建筑', keywords: ['违建', '私搭乱建', '乱搭乱建', '加盖', '侵占', '拆除'] },
      { code: 'CX-WY', name: '物业管理', keywords: ['物业', '物业费', '电梯', '小区', '业委会', '停车位'] },
      { code: 'CX-FC', name: '房产交易', keywords: ['房产证', '不动产', '网签', '购房', '开发商', '交房', '过户'] },
    ],
  },
  {
    code: 'HB',
    name: '环境保护',
    children: [
      { code: 'HB-ZS', name: '噪声污染', keywords: ['噪音', '扰民', '施工噪音', '夜间施工', '广场舞', '音响'] },
      { code: 'HB-DQ', name: '大气污染', keywords: ['烟尘', '扬尘', '废气', '焚烧', '油烟', '臭味'] },
      { code: 'HB-SW', name: '水污染', keywords: ['污水', '排污', '河道', '黑臭', '水体', '直排'] },
      { code: 'HB-LJ', name: '垃圾清运', keywords: ['垃圾', '垃圾桶', '环卫', '清运', '堆放', '建筑垃圾'] },
    ],
  },
  {
    code: 'JT',
    name: '交通运输',
    children: [
      { code: 'JT-GJ', name: '公交客运', keywords: ['公交', '公交车', '线路', '站点', '班次', '客运'] },
      { code: 'JT-CZ', name: '出租车', keywords: ['打车', '拒载', '绕路', '计价器', '网约车'] },
      { code: 'JT-DL', name: '道路养护', keywords: ['坑洼', '路面', '破损', '修路', '塌陷', '道路'] },
    ],
  },
  {
    code: 'LD',
    name: '劳动和社会保障',
    children: [
      { code: 'LD-QX', name: '拖欠工资', keywords: ['欠薪', '讨薪', '农民工', '工钱', '包工头', '工资'] },
      { code: 'LD-SB', name: '社会保险', keywords: ['社保', '养老保险', '失业保险', '工伤', '退休', '养老金'] },
      { code: 'LD-JY', name: '就业创业', keywords: ['就业', '创业', '招聘', '职业培训', '失业登记', '创业贷款'] },
    ],
  },
  {
    code: 'JY',
    name: '教育文体',
    children: [
      { code: 'JY-ZS', name: '招生入学', keywords: ['入学', '报名', '学区', '招生', '转学', '学籍'] },
      { code: 'JY-XX', name: '学校管理', keywords: ['学校', '老师', '教师', '食堂', '校车', '作业'] },
      { code: 'JY-PX', name: '校外培训', keywords: ['培训机构', '补课', '辅导班', '课外培训', '培训退费'] },
    ],
  },
  {
    code: 'WS',
    name: '卫生健康',
    children: [
      { code: 'WS-YL', name: '医疗服务', keywords: ['医院', '医生', '看病', '挂号', '诊所', '医疗纠纷'] },
      { code: 'WS-YB', name: '医疗保障', keywords: ['医保', '报销', '新农合', '医保卡', '住院报销'] },
      { code: 'WS-GG', name: '公共卫生', keywords: ['疫苗', '接种', '防疫', '传染病', '消杀'] },
    ],
  },
  {
    code: 'SC',
    name: '市场监管',
    children: [
      { code: 'SC-SP', name: '食品安全', keywords: ['食品', '过期', '变质', '餐馆', '饭店', '无证经营'] },
      { code: 'SC-JG', name: '价格收费', keywords: ['价格', '乱收费', '涨价', '标价', '物价'] },
      { code: 'SC-XF', name: '消费维权', keywords: ['退款', '假货', '质量问题', '售后', '预付卡', '商家'] },
    ],
  },
  {
    code: 'GA',
    name: '公安政法',
    children: [
      { code: 'GA-HJ', name: '户籍证件', keywords: ['户口', '身份证', '落户', '迁户', '户籍', '居住证'] },
      { code: 'GA-ZA', name: '社会治安', keywords: ['治安', '打架', '盗窃', '诈骗', '赌博', '报警'] },
      { code: 'GA-JT', name: '交通管理', keywords: ['违章', '驾驶证', '行驶证', '红绿灯', '违停', '交警'] },
    ],
  },
  {
    code: 'NY',
    name: '农业农村',
    children: [
      { code: 'NY-BT', name: '惠农补贴', keywords: ['补贴', '种粮补贴', '惠农', '补助'] },
      { code: 'NY-TD', name: '土地承包', keywords: ['承包地', '土地', '流转', '宅基地', '确权', '征地'] },
    ],
  },
  {
    code: 'TX',
    name: '通信网络',
    children: [
      { code: 'TX-KD', name: '宽带故障', keywords: ['宽带', '断网', '网速', '光纤', '上网'] },
      { code: 'TX-XH', name: '移动信号', keywords: ['信号', '基站', '手机信号', '无信号', '通话'] },
    ],
  },
  { code: 'QT', name: '其他', children: [{ code: 'QT-QT', name: '其他事项' }] },
];

/** Catalogue rules by codes: [category code or null, region code or null, basis, tier, lead unit code, assisting unit codes]. */
export const CATALOGUE: Array<
  [string | null, string | null, 'statutory' | 'territorial' | 'tiered', 'city' | 'county' | 'town', string, string[]]
> = [
  // 职权法定: duties fixed by law or licence, wherever the matter is.
  ['CX-GS', null, 'statutory', 'city', 'water', []],
  ['CX-GD', null, 'statutory', 'city', 'power', []],
  ['CX-RQ', null, 'statutory', 'city', 'gas', []],
  ['CX-GN', null, 'statutory', 'city', 'heat', []],
  ['TX', null, 'statutory', 'city', 'telecom', []],
  ['LD-QX', null, 'statutory', 'city', 'rsj', ['zjj']],
  ['SC-SP', null, 'statutory', 'city', 'scjgj', []],
  ['HB-ZS', null, 'statutory', 'city', 'sthjj', ['cgj']],
  ['GA-HJ', null, 'statutory', 'city', 'gaj', []],
  // 属地管理: the street or the county government where it happens.
  ['CX-WY', '371702001', 'territorial', 'town', 'jd-dc', []],
  ['CX-SZ', '371702001', 'territorial', 'town', 'jd-dc', ['cgj']],
  ['CX-WY', '371702002', 'territorial', 'town', 'jd-xc', []],
  [null, '371702', 'territorial', 'county', 'gov-md', []],
  [null, '371703', 'territorial', 'county', 'gov-dt', []],
  [null, '371721', 'territorial', 'county', 'gov-cx', []],
  [null, '371722', 'territorial', 'county', 'gov-sx', []],
  [null, '371723', 'territorial', 'county', 'gov-cw', []],
  [null, '371724', 'territorial', 'county', 'gov-jy', []],
  [null, '371725', 'territorial', 'county', 'gov-yc', []],
  [null, '371726', 'territorial', 'county', 'gov-jc', []],
  [null, '371728', 'territorial', 'county', 'gov-dm', []],
  // 分级负责: city departments for matters raised at city level.
  ['CX', '371700', 'tiered', 'city', 'zjj', []],
  ['HB', '371700', 'tiered', 'city', 'sthjj', []],
  ['JT', '371700', 'tiered', 'city', 'jtysj', []],
  ['LD', '371700', 'tiered', 'city', 'rsj', []],
  ['JY', '371700', 'tiered', 'city', 'jyj', []],
  ['WS', '371700', 'tiered', 'city', 'wjw', []],
  ['SC', '371700', 'tiered', 'city', 'scjgj', []],
  ['GA', '371700', 'tiered', 'city', 'gaj', []],
  ['NY', '371700', 'tiered', 'city', 'nyncj', []],
  [null, '371700', 'tiered', 'city', 'cgj', []],
];
