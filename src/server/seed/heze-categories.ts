// A two-level matter taxonomy (事项分类) written for the demo, in the style of real 12345 catalogues.
export const CATEGORIES: Array<{ code: string; name: string; children: Array<{ code: string; name: string }> }> = [
  {
    code: 'CX',
    name: '城乡建设',
    children: [
      { code: 'CX-GS', name: '供水' },
      { code: 'CX-GD', name: '供电' },
      { code: 'CX-RQ', name: '燃气' },
      { code: 'CX-GN', name: '供暖' },
      { code: 'CX-SZ', name: '市政设施' },
      { code: 'CX-WJ', name: '违章建筑' },
      { code: 'CX-WY', name: '物业管理' },
      { code: 'CX-FC', name: '房产交易' },
    ],
  },
  {
    code: 'HB',
    name: '环境保护',
    children: [
      { code: 'HB-ZS', name: '噪声污染' },
      { code: 'HB-DQ', name: '大气污染' },
      { code: 'HB-SW', name: '水污染' },
      { code: 'HB-LJ', name: '垃圾清运' },
    ],
  },
  {
    code: 'JT',
    name: '交通运输',
    children: [
      { code: 'JT-GJ', name: '公交客运' },
      { code: 'JT-CZ', name: '出租车' },
      { code: 'JT-DL', name: '道路养护' },
    ],
  },
  {
    code: 'LD',
    name: '劳动和社会保障',
    children: [
      { code: 'LD-QX', name: '拖欠工资' },
      { code: 'LD-SB', name: '社会保险' },
      { code: 'LD-JY', name: '就业创业' },
    ],
  },
  {
    code: 'JY',
    name: '教育文体',
    children: [
      { code: 'JY-ZS', name: '招生入学' },
      { code: 'JY-XX', name: '学校管理' },
      { code: 'JY-PX', name: '校外培训' },
    ],
  },
  {
    code: 'WS',
    name: '卫生健康',
    children: [
      { code: 'WS-YL', name: '医疗服务' },
      { code: 'WS-YB', name: '医疗保障' },
      { code: 'WS-GG', name: '公共卫生' },
    ],
  },
  {
    code: 'SC',
    name: '市场监管',
    children: [
      { code: 'SC-SP', name: '食品安全' },
      { code: 'SC-JG', name: '价格收费' },
      { code: 'SC-XF', name: '消费维权' },
    ],
  },
  {
    code: 'GA',
    name: '公安政法',
    children: [
      { code: 'GA-HJ', name: '户籍证件' },
      { code: 'GA-ZA', name: '社会治安' },
      { code: 'GA-JT', name: '交通管理' },
    ],
  },
  {
    code: 'NY',
    name: '农业农村',
    children: [
      { code: 'NY-BT', name: '惠农补贴' },
      { code: 'NY-TD', name: '土地承包' },
    ],
  },
  {
    code: 'TX',
    name: '通信网络',
    children: [
      { code: 'TX-KD', name: '宽带故障' },
      { code: 'TX-XH', name: '移动信号' },
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
