import type { Tier, UnitKind } from '../db/schema.js';

// Demo organisation for Heze (菏泽市). City and county/district codes are the real administrative division
// codes; town/street codes follow the statistical scheme (county code + 3 digits) but are illustrative —
// load the official list before production.
export const REGIONS: Array<{ code: string; name: string; level: number; parent: string | null }> = [
  { code: '371700', name: '菏泽市', level: 1, parent: null },
  { code: '371702', name: '牡丹区', level: 2, parent: '371700' },
  { code: '371703', name: '定陶区', level: 2, parent: '371700' },
  { code: '371721', name: '曹县', level: 2, parent: '371700' },
  { code: '371722', name: '单县', level: 2, parent: '371700' },
  { code: '371723', name: '成武县', level: 2, parent: '371700' },
  { code: '371724', name: '巨野县', level: 2, parent: '371700' },
  { code: '371725', name: '郓城县', level: 2, parent: '371700' },
  { code: '371726', name: '鄄城县', level: 2, parent: '371700' },
  { code: '371728', name: '东明县', level: 2, parent: '371700' },
  { code: '371702001', name: '东城街道', level: 3, parent: '371702' },
  { code: '371702002', name: '西城街道', level: 3, parent: '371702' },
  { code: '371702003', name: '南城街道', level: 3, parent: '371702' },
  { code: '371702004', name: '北城街道', level: 3, parent: '371702' },
  { code: '371702005', name: '牡丹街道', level: 3, parent: '371702' },
  { code: '371703001', name: '天中街道', level: 3, parent: '371703' },
  { code: '371721001', name: '倪集街道', level: 3, parent: '371721' },
  { code: '371721002', name: '磐石街道', level: 3, parent: '371721' },
  { code: '371722001', name: '园艺街道', level: 3, parent: '371722' },
  { code: '371725001', name: '郓州街道', level: 3, parent: '371725' },
  { code: '371702001001', name: '东城街道和平社区', level: 4, parent: '371702001' },
  { code: '371702001002', name: '东城街道丹阳社区', level: 4, parent: '371702001' },
  // 第二十九条 网格化管理: grid cells (网格) of three streets of 牡丹区, town code + 1xx (illustrative, as the towns')
  { code: '371702001101', name: '东城街道第一网格', level: 4, parent: '371702001' },
  { code: '371702001102', name: '东城街道第二网格', level: 4, parent: '371702001' },
  { code: '371702001103', name: '东城街道第三网格', level: 4, parent: '371702001' },
  { code: '371702001104', name: '东城街道第四网格', level: 4, parent: '371702001' },
  { code: '371702002101', name: '西城街道第一网格', level: 4, parent: '371702002' },
  { code: '371702002102', name: '西城街道第二网格', level: 4, parent: '371702002' },
  { code: '371702002103', name: '西城街道第三网格', level: 4, parent: '371702002' },
  { code: '371702003101', name: '南城街道第一网格', level: 4, parent: '371702003' },
  { code: '371702003102', name: '南城街道第二网格', level: 4, parent: '371702003' },
];

export interface UnitSeed {
  code: string;
  name: string;
  kind: UnitKind;
  tier: Tier;
  regions: string[];
  is24x7?: boolean;
  parent?: string;
}

export const UNITS: UnitSeed[] = [
  { code: 'centre', name: '菏泽市12345政务服务便民热线工作机构', kind: 'centre', tier: 'city', regions: ['371700'] },
  { code: 'centre-cx', name: '曹县12345热线工作机构', kind: 'centre', tier: 'county', regions: ['371721'] },
  { code: 'zjj', name: '菏泽市住房和城乡建设局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'cgj', name: '菏泽市城市管理局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'sthjj', name: '菏泽市生态环境局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'jtysj', name: '菏泽市交通运输局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'rsj', name: '菏泽市人力资源和社会保障局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'jyj', name: '菏泽市教育局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'wjw', name: '菏泽市卫生健康委员会', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'scjgj', name: '菏泽市市场监督管理局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'gaj', name: '菏泽市公安局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'nyncj', name: '菏泽市农业农村局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'zrzyj', name: '菏泽市自然资源和规划局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'gov-md', name: '牡丹区人民政府', kind: 'department', tier: 'county', regions: ['371702'] },
  { code: 'gov-dt', name: '定陶区人民政府', kind: 'department', tier: 'county', regions: ['371703'] },
  { code: 'gov-cx', name: '曹县人民政府', kind: 'department', tier: 'county', regions: ['371721'] },
  { code: 'gov-sx', name: '单县人民政府', kind: 'department', tier: 'county', regions: ['371722'] },
  { code: 'gov-cw', name: '成武县人民政府', kind: 'department', tier: 'county', regions: ['371723'] },
  { code: 'gov-jy', name: '巨野县人民政府', kind: 'department', tier: 'county', regions: ['371724'] },
  { code: 'gov-yc', name: '郓城县人民政府', kind: 'department', tier: 'county', regions: ['371725'] },
  { code: 'gov-jc', name: '鄄城县人民政府', kind: 'department', tier: 'county', regions: ['371726'] },
  { code: 'gov-dm', name: '东明县人民政府', kind: 'department', tier: 'county', regions: ['371728'] },
  { code: 'jd-dc', name: '牡丹区东城街道办事处', kind: 'town', tier: 'town', regions: ['371702001'], parent: 'gov-md' },
  { code: 'jd-xc', name: '牡丹区西城街道办事处', kind: 'town', tier: 'town', regions: ['371702002'], parent: 'gov-md' },
  { code: 'jd-nc', name: '牡丹区南城街道办事处', kind: 'town', tier: 'town', regions: ['371702003'], parent: 'gov-md' },
  { code: 'jd-bc', name: '牡丹区北城街道办事处', kind: 'town', tier: 'town', regions: ['371702004'], parent: 'gov-md' },
  { code: 'jd-nj', name: '曹县倪集街道办事处', kind: 'town', tier: 'town', regions: ['371721001'], parent: 'gov-cx' },
  // 第二十条: water, power, gas, heating and telecoms serve round the clock.
  { code: 'water', name: '菏泽市供水有限公司', kind: 'utility', tier: 'city', regions: ['371700'], is24x7: true },
  { code: 'power', name: '国网菏泽供电公司', kind: 'utility', tier: 'city', regions: ['371700'], is24x7: true },
  { code: 'gas', name: '菏泽市燃气有限公司', kind: 'utility', tier: 'city', regions: ['371700'], is24x7: true },
  { code: 'heat', name: '菏泽市热力有限公司', kind: 'utility', tier: 'city', regions: ['371700'], is24x7: true },
  { code: 'telecom', name: '中国电信菏泽分公司', kind: 'utility', tier: 'city', regions: ['371700'], is24x7: true },
  // 第二十六条第二款 联合协调处置: the bodies a centre coordinates with on 公益诉讼, 矛盾纠纷多元化解 and 行政执法监督
  // matters (they receive no tickets from the dispatch catalogue;
  // last, so the units above keep their ids)
  { code: 'sfj', name: '菏泽市司法局', kind: 'department', tier: 'city', regions: ['371700'] },
  { code: 'jcy', name: '菏泽市人民检察院', kind: 'other', tier: 'city', regions: ['371700'] },
  { code: 'mtzx', name: '菏泽市社会矛盾纠纷调处化解中心', kind: 'other', tier: 'city', regions: ['371700'] },
];

export const DEMO_PASSWORD = 'Heze12345!';

export const USERS: Array<{
  username: string;
  name: string;
  unit: string;
  roles: string[];
  scope: 'unit' | 'region';
  machine?: boolean;
}> = [
  { username: 'agent', name: '王话务', unit: 'centre', roles: ['agent'], scope: 'region' },
  { username: 'dispatcher', name: '李派单', unit: 'centre', roles: ['dispatcher'], scope: 'region' },
  { username: 'callback', name: '赵回访', unit: 'centre', roles: ['callback_agent'], scope: 'region' },
  { username: 'supervisor', name: '孙督办', unit: 'centre', roles: ['supervisor'], scope: 'region' },
  { username: 'analyst', name: '周分析', unit: 'centre', roles: ['analyst'], scope: 'region' },
  { username: 'auditor', name: '吴审计', unit: 'centre', roles: ['auditor'], scope: 'region' },
  { username: 'admin', name: '郑管理', unit: 'centre', roles: ['admin'], scope: 'region' },
  { username: 'knowledge', name: '冯知识', unit: 'centre', roles: ['knowledge_reviewer'], scope: 'region' },
  { username: 'agent_cx', name: '钱话务', unit: 'centre-cx', roles: ['agent'], scope: 'region' },
  { username: 'handler_md', name: '陈承办', unit: 'gov-md', roles: ['handler'], scope: 'unit' },
  { username: 'manager_md', name: '刘主任', unit: 'gov-md', roles: ['unit_manager'], scope: 'unit' },
  { username: 'handler_dc', name: '杨承办', unit: 'jd-dc', roles: ['handler'], scope: 'unit' },
  // 第二十九条: 东城街道's manager, who keeps the street's grids and assigns its grid workers (网格管理)
  { username: 'manager_dc', name: '许主任', unit: 'jd-dc', roles: ['unit_manager'], scope: 'unit' },
  { username: 'handler_zj', name: '黄承办', unit: 'zjj', roles: ['handler'], scope: 'unit' },
  { username: 'handler_cg', name: '林承办', unit: 'cgj', roles: ['handler'], scope: 'unit' },
  { username: 'handler_rs', name: '何承办', unit: 'rsj', roles: ['handler'], scope: 'unit' },
  { username: 'handler_sthj', name: '高承办', unit: 'sthjj', roles: ['handler'], scope: 'unit' },
  { username: 'handler_water', name: '罗承办', unit: 'water', roles: ['handler'], scope: 'unit' },
  { username: 'handler_power', name: '梁承办', unit: 'power', roles: ['handler'], scope: 'unit' },
  { username: 'handler_cx', name: '宋承办', unit: 'gov-cx', roles: ['handler'], scope: 'unit' },
  // 第二十九条: grid workers (网格员) of 东城街道 and 西城街道, each answering for grids of their own street
  { username: 'grid_dc', name: '韩网格', unit: 'jd-dc', roles: ['grid_worker'], scope: 'unit' },
  { username: 'grid_xc', name: '曹网格', unit: 'jd-xc', roles: ['grid_worker'], scope: 'unit' },
  // Machine users: they authenticate with API tokens an admin issues (POST /api/auth/tokens), not passwords.
  { username: 'gateway', name: '渠道网关', unit: 'centre', roles: ['gateway'], scope: 'region', machine: true },
  { username: 'partner', name: 'Open311 对接系统', unit: 'centre', roles: ['partner'], scope: 'region', machine: true },
  // 第十八条第二款: 人社局's own system pushes its knowledge articles (a partner of a unit, not of the centre)
  { username: 'kb_rsj', name: '人社局知识库对接', unit: 'rsj', roles: ['partner'], scope: 'unit', machine: true },
];

/** 第二十九条: the grids each demo grid worker answers for (all in the town of the worker's unit). */
export const GRID_WORKERS: Array<{ username: string; grids: string[] }> = [
  { username: 'grid_dc', grids: ['371702001101', '371702001102'] },
  { username: 'grid_xc', grids: ['371702002101', '371702002102', '371702002103'] },
];
