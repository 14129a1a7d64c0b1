import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addDays, shanghaiDay } from '../domain/knowledge-workflow.js';
import { publishedCopy } from '../modules/knowledge/knowledge-articles.repository.js';

// 第十八条: the demo knowledge base — about 40 articles a Heze hotline answers every day, written for the demo with
// general, correct procedures (national and Shandong rules), no invented telephone numbers (12345 itself only),
// and "以经办机构最新规定为准" where details change. Where the real owner (市医疗保障局, 住房公积金管理中心, 民政) is not a
// seeded unit, the nearest seeded unit owns it and the text names the real one.
//
// Some are old (reviewed long ago: stale), one expires within 30 days, one is withdrawn, one has an update waiting in
// the centre's review, and one is a unit's draft — so every list of the screens has something in it.

interface Seed {
  owner: string;
  cat: string;
  title: string;
  aliases: string[];
  short: string;
  answer: string;
  public?: boolean;
  regions?: string[];
  basis?: Array<[string, string?, string?]>;
  /** days since the last review (default 20) */
  reviewedDaysAgo?: number;
  expiresInDays?: number;
  withdrawn?: boolean;
  draft?: boolean;
  /** an update waiting in the centre's review: the new short answer */
  pendingShort?: string;
}

const CHECK = '具体以经办机构最新规定为准。';
const visibilityOf = (s: { public?: boolean }): 'public' | 'internal' => (s.public ? 'public' : 'internal');

export const KNOWLEDGE_SEED: Seed[] = [
  {
    owner: 'centre',
    cat: 'QT-QT',
    title: '12345热线受理哪些事项',
    aliases: ['12345能管什么', '什么事可以打12345', '12345受理范围'],
    short: '12345受理企业和群众的咨询、求助、投诉、举报、建议和表扬；紧急警情请拨110、119、120、122。',
    answer:
      '12345政务服务便民热线受理企业和群众对经济调节、市场监管、社会管理、公共服务、生态环境保护等方面的咨询、求助、投诉、举报、建议和表扬。\n' +
      '以下事项不予受理或告知通过其他渠道反映：已经或者依法应当通过诉讼、仲裁、纪检监察、行政复议、政府信息公开等途径解决的；涉及国家秘密、商业秘密、个人隐私的；违反法律法规和社会公序良俗的。\n' +
      '涉及人身、财产安全的紧急事项，请直接拨打110、119、120、122。',
    public: true,
    basis: [['菏泽市12345政务服务便民热线条例', undefined, '第十二条、第十三条']],
  },
  {
    owner: 'centre',
    cat: 'QT-QT',
    title: '反映的问题多久能办结，怎么查询进度',
    aliases: ['工单进度查询', '12345多久回复', '怎么查我反映的问题'],
    short: '受理后会短信告知工单号和查询码，可在12345网站“进度查询”或拨打12345查询办理进度。',
    answer:
      '诉求受理后，系统会以短信告知工单编号和查询码。您可在菏泽12345网上服务平台的“进度查询”栏目输入工单编号和查询码查看办理进度和答复，也可拨打12345查询。\n' +
      '承办单位应在规定时限内办理并答复，答复后热线工作机构会回访，您可对办理结果作出评价。',
    public: true,
    basis: [['菏泽市12345政务服务便民热线条例', undefined, '第十四条至第十七条']],
  },
  {
    owner: 'rsj',
    cat: 'LD-SB',
    title: '灵活就业人员怎么缴纳职工养老保险',
    aliases: ['个体户交社保', '灵活就业交养老保险', '自己怎么交社保'],
    short:
      '在户籍地或居住地社保经办机构办理参保登记后，通过山东省电子税务局、“爱山东”APP或税务窗口缴费。以经办机构最新规定为准。',
    answer:
      '无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员及其他灵活就业人员，可以个人身份参加企业职工基本养老保险。\n' +
      '办理流程：1. 携带身份证到社保经办窗口或通过网上经办平台办理参保登记；2. 在缴费基数上下限范围内自主选择缴费基数；3. 社会保险费由税务部门征收，可通过山东省电子税务局、“爱山东”APP或办税服务厅缴费。\n' +
      CHECK,
    public: true,
    basis: [['中华人民共和国社会保险法', undefined, '第十条']],
  },
  {
    owner: 'rsj',
    cat: 'LD-SB',
    title: '怎么查询个人社保缴费记录',
    aliases: ['社保缴费记录查询', '查社保交了多少年', '社保查询'],
    short: '可通过“掌上12333”APP、国家社会保险公共服务平台、“爱山东”APP查询，也可携身份证到社保窗口打印参保证明。',
    answer:
      '查询渠道：1. “掌上12333”APP或电子社保卡；2. 国家社会保险公共服务平台；3. “爱山东”APP社保专区；4. 携带本人身份证到人社服务窗口或自助终端查询、打印参保缴费证明。\n' +
      '如发现记录缺失，请携带劳动合同、工资发放记录等材料向参保地社保经办机构咨询。',
    public: true,
    reviewedDaysAgo: 260,
  },
  {
    owner: 'rsj',
    cat: 'LD-SB',
    title: '养老金领取资格认证怎么做',
    aliases: ['养老保险认证', '退休人员年审', '领养老金认证', '刷脸认证'],
    short: '每年认证一次，可用“掌上12333”、“爱山东”APP或国家社会保险公共服务平台刷脸认证，行动不便的可申请上门认证。',
    answer:
      '领取养老保险待遇的人员每12个月需进行一次待遇领取资格认证。\n' +
      '认证方式：1. 手机下载“掌上12333”或“爱山东”APP，按提示进行人脸识别认证；2. 到社区（村）或社保经办机构现场认证；3. 年老体弱、行动不便的，可由家属联系社保经办机构申请上门认证。\n' +
      '未按期认证的，将暂停发放待遇，认证通过后可恢复并补发。' +
      CHECK,
    public: true,
    pendingShort:
      '每12个月认证一次，可用“掌上12333”“爱山东”APP刷脸认证；行动不便的可申请上门认证，逾期未认证将暂停发放，认证后补发。',
  },
  {
    owner: 'rsj',
    cat: 'LD-SB',
    title: '城乡居民养老保险怎么参保缴费',
    aliases: ['居民养老保险缴费', '农村养老保险', '新农保怎么交'],
    short:
      '年满16周岁、不符合职工养老保险参保条件的城乡居民可在户籍地参保，按年选择缴费档次缴费。以经办机构最新规定为准。',
    answer:
      '年满16周岁（不含在校学生）、非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可在户籍地参加城乡居民基本养老保险。\n' +
      '参保人每年自主选择缴费档次，多缴多得；可通过“爱山东”APP、银行或村（社区）协办员办理缴费。' +
      CHECK,
    public: true,
    reviewedDaysAgo: 320,
  },
  {
    owner: 'rsj',
    cat: 'LD-SB',
    title: '社保卡丢了怎么补办',
    aliases: ['社保卡挂失', '补办社保卡', '社保卡坏了'],
    short: '先通过“掌上12333”、电子社保卡或合作银行挂失，再携身份证到社保卡服务网点补办。',
    answer:
      '1. 挂失：可通过“掌上12333”APP、电子社保卡、社保卡合作银行网点办理临时挂失；\n' +
      '2. 补办：携带本人有效身份证件到社保卡服务网点或合作银行网点申请补卡，部分网点可即时制卡；\n' +
      '3. 补卡后原卡作废，金融账户按合作银行规定处理。' +
      CHECK,
    public: true,
  },
  {
    owner: 'rsj',
    cat: 'LD-JY',
    title: '失业保险金怎么申领',
    aliases: ['领失业金', '失业补助金', '失业了能领钱吗'],
    short: '非因本人意愿中断就业、失业前缴纳失业保险满1年并已办理失业登记的，可通过线上平台或人社窗口申领失业保险金。',
    answer:
      '申领条件：1. 失业前用人单位和本人已按规定缴纳失业保险费满1年；2. 非因本人意愿中断就业；3. 已办理失业登记并有求职要求。\n' +
      '申领渠道：“掌上12333”APP、“爱山东”APP、国家社会保险公共服务平台或参保地人社服务窗口。领取期限根据缴费年限确定。' +
      CHECK,
    public: true,
    basis: [
      ['失业保险条例', undefined, '第十四条'],
      ['中华人民共和国社会保险法', undefined, '第四十五条'],
    ],
  },
  {
    owner: 'rsj',
    cat: 'LD-QX',
    title: '农民工工资被拖欠怎么投诉',
    aliases: ['拖欠工资', '讨薪', '老板不给工资', '欠薪投诉'],
    short:
      '可向用工所在地人社部门劳动保障监察机构投诉，或通过“全国根治欠薪线索反映平台”、12345反映，请保留劳动合同、考勤、工资条等证据。',
    answer:
      '被拖欠工资时：1. 收集证据：劳动合同、考勤记录、工资条、工作证、聊天记录、证人信息等；2. 向用工所在地人力资源社会保障部门劳动保障监察机构投诉，或通过国务院客户端“全国根治欠薪线索反映平台”、12345热线反映；3. 也可申请劳动争议仲裁。\n' +
      '工程建设领域施工总承包单位对分包单位拖欠农民工工资承担清偿责任。',
    public: true,
    basis: [['保障农民工工资支付条例', '国务院令第724号', '第五十条']],
  },
  {
    owner: 'wjw',
    cat: 'WS-YB',
    title: '异地就医怎么备案和报销',
    aliases: ['异地就医备案', '外地住院报销', '跨省就医直接结算'],
    short:
      '异地就医前可通过“国家医保服务平台”APP或“爱山东”APP办理备案，在已开通直接结算的定点医院就医可直接结算。主管部门为市医疗保障局。',
    answer:
      '本事项由菏泽市医疗保障局负责。\n' +
      '1. 备案：通过“国家医保服务平台”APP、国家异地就医备案小程序、“爱山东”APP或医保经办窗口办理异地就医备案；\n' +
      '2. 就医：到备案地已开通异地就医直接结算的定点医疗机构就医，出院时持医保电子凭证或社保卡直接结算；\n' +
      '3. 未能直接结算的，凭发票、费用清单、病历等材料回参保地医保经办机构手工报销。' +
      CHECK,
    public: true,
    reviewedDaysAgo: 240,
  },
  {
    owner: 'wjw',
    cat: 'WS-YB',
    title: '城乡居民医保怎么缴费',
    aliases: ['居民医保缴费', '新农合缴费', '医保交费时间'],
    short:
      '城乡居民医保一般在每年集中缴费期按年缴纳下一年度费用，可通过“爱山东”APP、山东省电子税务局或银行渠道缴费。主管部门为市医疗保障局。',
    answer:
      '本事项由菏泽市医疗保障局、税务部门负责。\n' +
      '城乡居民基本医疗保险按年度缴费，集中缴费期一般在上一年第四季度，具体时间和标准以当年通知为准。缴费渠道包括“爱山东”APP、山东省电子税务局、微信和支付宝税务缴费小程序、合作银行网点等。\n' +
      '新生儿、大中专学生等特殊人群的参保办法另有规定。' +
      CHECK,
    public: true,
  },
  {
    owner: 'wjw',
    cat: 'WS-YB',
    title: '门诊慢特病怎么申请',
    aliases: ['慢性病门诊报销', '门诊特殊病', '慢病卡办理'],
    short:
      '患有规定病种的参保人可向定点医疗机构或医保经办机构提出门诊慢特病认定申请，认定后门诊费用按规定报销。主管部门为市医疗保障局。',
    answer:
      '本事项由菏泽市医疗保障局负责。参保人员患有门诊慢特病目录内病种的，可携带身份证或医保电子凭证、近期相关病历和检查报告，到具备认定资格的定点医疗机构或医保经办机构申请认定。认定通过后，在定点医疗机构发生的门诊费用按规定比例报销。' +
      CHECK,
    public: false,
  },
  {
    owner: 'wjw',
    cat: 'WS-GG',
    title: '孩子预防接种去哪里打',
    aliases: ['疫苗接种', '儿童打疫苗', '预防针在哪打'],
    short: '儿童预防接种在居住地所属的社区卫生服务中心或乡镇卫生院预防接种门诊进行，请携带预防接种证。',
    answer:
      '儿童免疫规划疫苗在居住地所属的社区卫生服务中心、乡镇卫生院预防接种门诊接种。新生儿出生后，家长应在一个月内到居住地接种门诊建立预防接种证。每次接种请携带预防接种证，接种后在现场留观30分钟。',
    public: true,
  },
  {
    owner: 'wjw',
    cat: 'WS-YL',
    title: '出生医学证明丢失或信息错误怎么办',
    aliases: ['出生证明补办', '出生医学证明更正'],
    short:
      '出生医学证明信息错误或遗失的，向签发机构或县区卫生健康部门指定机构申请更正或补发，需提供父母身份证件等材料。',
    answer:
      '出生医学证明出现信息错误的，由原签发机构核实后办理更正；遗失的，可向县（区）卫生健康部门指定的签发机构申请补发，一般需提供父母身份证件、户口簿、原出生时医疗记录等材料。' +
      CHECK,
    public: true,
    reviewedDaysAgo: 400,
  },
  {
    owner: 'zjj',
    cat: 'CX-FC',
    title: '住房公积金怎么提取',
    aliases: ['公积金提取', '取公积金', '公积金怎么取出来', '租房提取公积金'],
    short:
      '购买、建造、翻建、大修自住住房，偿还购房贷款，租房，退休等情形可提取，可通过公积金网上服务平台、手机APP或服务大厅办理。主管单位为菏泽市住房公积金管理中心。',
    answer:
      '本事项由菏泽市住房公积金管理中心办理。\n' +
      '可以提取的主要情形：购买、建造、翻建、大修自住住房；偿还购房贷款本息；租赁自住住房；离休、退休；完全丧失劳动能力并与单位终止劳动关系；出境定居等。\n' +
      '办理渠道：住房公积金网上服务平台、手机APP、“爱山东”APP或公积金服务大厅。一般需提供本人身份证件及相应证明材料（购房合同、不动产权证、租赁备案等）。' +
      CHECK,
    public: true,
    basis: [['住房公积金管理条例', '国务院令第262号', '第二十四条']],
  },
  {
    owner: 'zjj',
    cat: 'CX-FC',
    title: '住房公积金贷款需要什么条件',
    aliases: ['公积金贷款', '用公积金买房贷款'],
    short:
      '正常连续缴存公积金达到规定期限、购买自住住房的缴存职工可申请公积金贷款，额度和利率按中心规定。主管单位为菏泽市住房公积金管理中心。',
    answer:
      '本事项由菏泽市住房公积金管理中心办理。缴存职工正常连续缴存住房公积金达到规定期限，购买、建造、翻建、大修自住住房时可申请住房公积金贷款。贷款额度与缴存余额、还款能力、房屋价格等相关，首套、二套住房政策不同。' +
      CHECK,
    public: true,
    reviewedDaysAgo: 300,
  },
  {
    owner: 'zjj',
    cat: 'CX-WY',
    title: '对物业服务不满意怎么反映',
    aliases: ['物业不作为', '投诉物业公司', '物业费纠纷'],
    short:
      '可先与物业服务企业、业主委员会协商；协商不成的，可向所在街道办事处（乡镇）或住房城乡建设部门反映，也可拨打12345。',
    answer:
      '1. 先与物业服务企业沟通，或通过业主委员会协调；2. 协商不成的，可向小区所在街道办事处（乡镇人民政府）、社区居委会反映，或向住房城乡建设部门（物业管理主管部门）投诉；3. 涉及合同纠纷的，可依法申请调解或提起诉讼。\n' +
      '反映时请说明小区名称、物业公司名称和具体问题。',
    public: true,
  },
  {
    owner: 'zrzyj',
    cat: 'CX-FC',
    title: '二手房过户怎么办理不动产登记',
    aliases: ['二手房过户', '房产过户', '不动产转移登记'],
    short: '买卖双方携身份证件、不动产权证书、买卖合同等到不动产登记中心“一窗受理”，缴纳税费后办理转移登记。',
    answer:
      '二手房买卖需办理不动产转移登记：买卖双方携带身份证件、户口簿、婚姻状况证明、不动产权证书、房屋买卖合同等材料，到不动产登记中心综合受理窗口“一窗受理”，税费缴纳后办理转移登记，领取新的不动产权证书。部分业务可通过网上“不动产登记”平台预约或办理。' +
      CHECK,
    public: true,
    basis: [['不动产登记暂行条例', '国务院令第656号']],
  },
  {
    owner: 'zrzyj',
    cat: 'CX-FC',
    title: '新房交房后多久能办房产证',
    aliases: ['新房办证', '房产证什么时候下来', '不动产权证办理'],
    short: '开发企业办理项目首次登记后，购房人可申请转移登记；逾期未办的，可向住房城乡建设、自然资源部门反映。',
    answer:
      '新建商品房需先由开发企业完成竣工验收备案和首次登记，之后购房人凭购房合同、完税凭证、身份证件等申请转移登记。办证时限一般以购房合同约定为准；开发企业逾期未办理的，购房人可与开发企业协商，或向住房城乡建设、自然资源部门反映，也可依法主张违约责任。',
    public: true,
    reviewedDaysAgo: 220,
  },
  {
    owner: 'gaj',
    cat: 'GA-HJ',
    title: '新生儿怎么落户',
    aliases: ['孩子上户口', '新生儿户口登记', '宝宝落户'],
    short: '出生后一个月内由监护人持出生医学证明、父母户口簿和身份证等到派出所或通过网上办理出生登记。',
    answer:
      '婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向常住地户口登记机关申报出生登记。\n' +
      '一般需提供：《出生医学证明》、父母双方居民户口簿和居民身份证、结婚证（非婚生育的按规定提供材料）。可到户籍派出所办理，部分地区可通过“爱山东”APP“出生一件事”联办。' +
      CHECK,
    public: true,
    basis: [['中华人民共和国户口登记条例', undefined, '第七条']],
  },
  {
    owner: 'gaj',
    cat: 'GA-HJ',
    title: '居住证怎么办理',
    aliases: ['办居住证', '外地人居住证', '暂住证'],
    short:
      '离开常住户口所在地在菏泽居住半年以上，且有合法稳定就业、合法稳定住所或连续就读之一的，可向居住地派出所申领居住证。',
    answer:
      '公民离开常住户口所在地，到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以依照规定申领居住证。\n' +
      '申领时需提供本人居民身份证、近期照片以及居住地住址、就业、就读等证明材料，向居住地公安派出所（或受委托的社区服务机构）申请。' +
      CHECK,
    public: true,
    basis: [['居住证暂行条例', '国务院令第663号', '第二条']],
  },
  {
    owner: 'gaj',
    cat: 'GA-HJ',
    title: '身份证丢了怎么补办，能异地办吗',
    aliases: ['补办身份证', '身份证异地办理', '身份证挂失'],
    short: '可到任一公安机关户籍窗口申请补领，跨省异地也可办理；急需乘车可办理临时身份证明。',
    answer:
      '居民身份证丢失后，可到户籍所在地或居住地公安机关户籍窗口申请补领，目前可在全国范围内异地办理。办理时现场采集照片和指纹，按规定缴纳工本费。急需乘坐火车、飞机的，可在车站、机场公安机关办理临时乘车（乘机）身份证明。',
    public: true,
    reviewedDaysAgo: 365,
  },
  {
    owner: 'gaj',
    cat: 'GA-JT',
    title: '交通违法怎么处理和缴纳罚款',
    aliases: ['违章处理', '交罚款', '电子眼违章'],
    short: '非现场交通违法可通过“交管12123”APP查询、处理并缴纳罚款，也可到车管所或交警大队窗口办理。',
    answer:
      '机动车所有人、驾驶人可通过“交管12123”APP查询交通违法记录，符合条件的可在线确认处理、缴纳罚款；不符合网上处理条件的，携带驾驶证、行驶证到交警大队或车管所窗口办理。对处罚有异议的，可依法申请行政复议或提起行政诉讼。',
    public: true,
  },
  {
    owner: 'heat',
    cat: 'CX-GN',
    title: '菏泽城区供暖时间是什么时候',
    aliases: ['暖气什么时候来', '供暖期', '什么时候开始供暖', '停暖时间'],
    short: '城区集中供暖期一般为每年11月15日至次年3月15日，遇极端天气可能提前或延长，以供热主管部门通知为准。',
    answer:
      '按照山东省供热有关规定，城区集中供热期一般为每年11月15日至次年3月15日。遇气温异常时，经供热主管部门决定可提前供热或延长供热时间，具体以当年通知为准。\n' +
      '供热期内室温不达标、暖气不热的，可拨打供热企业服务电话或12345报修。',
    public: true,
    basis: [['山东省供热条例']],
  },
  {
    owner: 'heat',
    cat: 'CX-GN',
    title: '暖气不热怎么报修',
    aliases: ['暖气不热', '家里暖气凉', '供暖温度不够'],
    short: '先检查阀门是否全开、排气是否正常；仍不热的，拨打供热企业服务电话或12345报修，供热企业应及时上门检修。',
    answer:
      '1. 自查：确认进回水阀门全部打开，散热器内空气已排出，过滤器无堵塞；\n' +
      '2. 报修：向供热企业客服报修，或拨打12345反映，说明小区、楼号、单元、户号和不热情况；\n' +
      '3. 供热企业应按规定时限上门检修，室温长期不达标的，可要求测温并依规定处理。',
    public: true,
  },
  {
    owner: 'heat',
    cat: 'CX-GN',
    title: '2024—2025供暖季取暖费缴费期限',
    aliases: ['取暖费什么时候交', '暖气费缴费', '供暖费截止时间'],
    short:
      '本供暖季取暖费请在供热企业公布的期限内缴纳，可通过供热企业营业厅、微信公众号或合作银行缴费，收费标准以价格主管部门核定为准。',
    answer:
      '取暖费收费标准由价格主管部门核定。请在供热企业公布的缴费期限内，通过供热企业营业厅、官方微信公众号或合作银行渠道缴费，并保留缴费凭证。符合条件的低保、特困家庭可按规定申请减免。' +
      CHECK,
    public: true,
    expiresInDays: 20,
  },
  {
    owner: 'water',
    cat: 'CX-GS',
    title: '停水信息去哪里查',
    aliases: ['今天停水吗', '停水通知', '什么时候来水'],
    short: '计划停水会提前通过供水公司官方微信公众号、网站和小区公告发布；突发停水可拨打供水公司服务电话或12345查询。',
    answer:
      '供水企业因工程施工、设备检修需要停水的，应提前通知用户；计划停水信息通过供水公司官方微信公众号、网站、小区公告等发布。因管网突发故障停水的，供水企业应及时抢修并通知恢复供水时间。可向供水公司服务电话或12345咨询具体区域的停水和恢复时间。',
    public: true,
    basis: [['城市供水条例', undefined, '第二十二条']],
  },
  {
    owner: 'water',
    cat: 'CX-GS',
    title: '水管爆裂、水表漏水怎么报修',
    aliases: ['水管破了', '水表漏水', '自来水漏水'],
    short: '表前公共管网和水表问题由供水公司维修，可拨打供水公司服务电话或12345报修；表后户内管道由业主自行维修。',
    answer:
      '水表及表前公共供水管道、设施漏水的，由供水企业负责维修，可拨打供水公司服务电话或12345报修，说明具体地址；表后户内管道、水龙头等由产权人自行维修，可联系物业或专业维修人员。发现路面大量冒水的，请远离并尽快报告。',
    public: true,
    reviewedDaysAgo: 280,
  },
  {
    owner: 'gas',
    cat: 'CX-RQ',
    title: '闻到燃气味怎么办',
    aliases: ['燃气泄漏', '煤气味', '天然气泄漏'],
    short: '立即关闭燃气阀门、开窗通风，不要开关电器、不要使用明火和手机，到室外安全处拨打燃气公司抢修电话或119。',
    answer:
      '发现燃气泄漏：1. 立即关闭燃气总阀；2. 打开门窗通风；3. 严禁开关电灯、排风扇等电器，不要使用明火，不要在室内拨打电话；4. 迅速撤离到室外安全地带，拨打燃气公司抢修电话或119报警；5. 提醒邻居注意安全。\n' +
      '紧急情况由话务员直接转接119。',
    public: true,
  },
  {
    owner: 'gas',
    cat: 'CX-RQ',
    title: '燃气开户和安全检查怎么预约',
    aliases: ['天然气开户', '燃气安检', '燃气过户'],
    short: '新装开户、过户和入户安检可通过燃气公司营业厅、官方微信公众号预约，安检人员应出示工作证件。',
    answer:
      '燃气新装开户、过户需携带房产证明、身份证件到燃气公司营业厅或通过官方微信公众号办理。燃气企业定期免费入户安全检查，检查人员应佩戴工作证件，用户可通过官方渠道核实身份，谨防假冒人员推销产品。',
    public: true,
    reviewedDaysAgo: 210,
  },
  {
    owner: 'power',
    cat: 'CX-GD',
    title: '停电了怎么查询和报修',
    aliases: ['家里停电', '停电通知', '什么时候来电'],
    short: '可通过“网上国网”APP查询停电信息或报修；计划停电会提前公告。先确认是否为户内跳闸。',
    answer:
      '1. 先检查家中空气开关是否跳闸、是否欠费；2. 通过“网上国网”APP或供电公司官方微信公众号查询所在区域的计划停电和故障停电信息；3. 需要报修的，通过“网上国网”APP或供电服务热线报修，也可拨打12345反映。',
    public: true,
  },
  {
    owner: 'cgj',
    cat: 'CX-SZ',
    title: '路灯不亮找谁修',
    aliases: ['路灯坏了', '路灯报修', '晚上路灯不亮'],
    short: '城区道路路灯由城市管理部门负责维护，可拨打12345反映，说明道路名称和路灯位置（附近门牌或灯杆编号）。',
    answer:
      '城区市政道路路灯由城市管理部门负责维护；小区内路灯由物业或产权单位负责。反映时请说明道路名称、具体位置（附近门牌、路口或灯杆编号）和不亮的时间，便于尽快维修。',
    public: true,
  },
  {
    owner: 'cgj',
    cat: 'HB-LJ',
    title: '生活垃圾没人清运怎么反映',
    aliases: ['垃圾没人拉', '垃圾桶满了', '垃圾清运'],
    short: '道路和公共区域垃圾由环卫部门清运，小区内由物业负责；可拨打12345反映，说明具体位置。',
    answer:
      '城区道路、公共区域的生活垃圾由城市管理（环卫）部门负责清扫清运；住宅小区内由物业服务企业负责收集，再由环卫部门清运。垃圾长期无人清运的，可拨打12345反映，说明具体位置和持续时间。',
    public: true,
    reviewedDaysAgo: 250,
  },
  {
    owner: 'cgj',
    cat: 'CX-WJ',
    title: '发现违法建设怎么举报',
    aliases: ['违建举报', '私搭乱建', '违章建筑'],
    short: '可拨打12345或向所在地城市管理综合执法部门举报，说明具体地址、建设情况，可提供照片。',
    answer:
      '发现未取得建设工程规划许可证或未按许可建设的违法建设，可拨打12345或向所在地城市管理综合执法部门、街道办事处举报，说明具体地址、建设时间和情况，可提供现场照片。举报人信息依法保密。',
    public: true,
  },
  {
    owner: 'sthjj',
    cat: 'HB-ZS',
    title: '夜间施工噪音扰民怎么办',
    aliases: ['晚上施工吵', '工地噪音', '夜间施工投诉'],
    short:
      '夜间（22时至次日6时）在噪声敏感建筑物集中区域施工，除抢修、抢险或按规定取得证明外禁止施工；可拨打12345反映。',
    answer:
      '根据噪声污染防治法，在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业，但抢修、抢险施工作业，因生产工艺要求或者其他特殊需要必须连续施工作业的除外；因特殊需要连续施工的，应取得有关证明并公告附近居民。\n' +
      '遇夜间施工扰民，可拨打12345反映，说明工地位置和施工时间。社会生活噪声（如娱乐场所、邻里噪声）由公安机关等部门处理。',
    public: true,
    basis: [['中华人民共和国噪声污染防治法', undefined, '第四十三条']],
  },
  {
    owner: 'scjgj',
    cat: 'SC-XF',
    title: '买到问题商品怎么维权',
    aliases: ['消费投诉', '商家不退货', '消费维权'],
    short: '先与经营者协商；协商不成的，可通过全国12315平台、12315热线或12345向市场监管部门投诉，请保留购物凭证。',
    answer:
      '消费者权益受到损害的：1. 与经营者协商和解；2. 请求消费者协会调解；3. 通过全国12315平台、12315热线或12345向市场监管部门投诉；4. 根据与经营者达成的仲裁协议提请仲裁；5. 向人民法院提起诉讼。投诉时请提供购物凭证、商品照片、沟通记录等。',
    public: true,
    basis: [['中华人民共和国消费者权益保护法', undefined, '第三十九条']],
  },
  {
    owner: 'scjgj',
    cat: 'SC-SP',
    title: '发现食品安全问题怎么举报',
    aliases: ['食品安全投诉', '饭店卫生差', '过期食品'],
    short: '可通过12315、12345或全国12315平台向市场监管部门举报，说明经营者名称、地址和问题，保留票据和实物。',
    answer:
      '发现销售过期变质食品、餐饮单位卫生条件差等食品安全问题，可通过12315、12345或全国12315平台举报，说明经营者名称、地址、发现时间和具体问题，并保留购物票据、实物和照片。如出现身体不适请及时就医并保留病历。',
    public: true,
    reviewedDaysAgo: 190,
  },
  {
    owner: 'jyj',
    cat: 'JY-ZS',
    title: '小学、初中入学怎么报名',
    aliases: ['小学报名', '义务教育招生', '学区划分', '初一入学'],
    short: '义务教育阶段按学区划片、免试就近入学，报名时间、材料和划片范围以教育部门当年发布的招生公告为准。',
    answer:
      '义务教育阶段学校实行免试就近入学，按学区划片招生。报名一般需提供儿童户口簿、监护人房产或居住证明等材料，部分地区实行网上报名。随迁子女入学按当地规定提供居住证等材料。具体报名时间、材料和学区范围以县区教育部门当年发布的招生公告为准。',
    public: true,
  },
  {
    owner: 'nyncj',
    cat: 'NY-BT',
    title: '耕地地力保护补贴怎么发放',
    aliases: ['种粮补贴', '地力补贴', '惠农补贴什么时候发'],
    short: '耕地地力保护补贴按确权面积核定，经村级公示后通过惠民惠农财政补贴资金“一卡通”发放，具体标准以当年通知为准。',
    answer:
      '耕地地力保护补贴对象原则上为拥有耕地承包权的种地农民，按核定面积发放。补贴面积经村级申报、乡镇审核并公示后，通过惠民惠农财政补贴资金“一卡通”直接发放到户。对补贴有疑问的，可向所在乡镇农业农村部门咨询。' +
      CHECK,
    public: true,
    reviewedDaysAgo: 230,
  },
  {
    owner: 'gov-md',
    cat: 'QT-QT',
    title: '牡丹区低保怎么申请',
    aliases: ['申请低保', '最低生活保障', '低保条件'],
    short:
      '向户籍所在地镇政府（街道办事处）提出申请，提交家庭收入、财产等材料，经审核、公示后审批。主管部门为区民政局。',
    answer:
      '共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的，可以申请最低生活保障。\n' +
      '申请人向户籍所在地镇人民政府（街道办事处）提出申请，如实提交家庭成员、收入和财产状况等材料，并授权核对家庭经济状况；经入户调查、民主评议（或核查）、公示后，由区民政局审批。' +
      CHECK,
    public: true,
    regions: ['371702'],
    basis: [['社会救助暂行办法', '国务院令第649号', '第九条至第十一条']],
  },
  {
    owner: 'gov-md',
    cat: 'QT-QT',
    title: '牡丹区高龄津贴怎么领取',
    aliases: ['老年人补贴', '高龄补贴', '80岁以上补贴'],
    short: '具有牡丹区户籍、达到规定年龄的老年人，由本人或家属向户籍所在地街道（镇）申请，审核后按月或按季发放。',
    answer:
      '具有牡丹区户籍、达到规定年龄的老年人可申请高龄津贴。由本人或家属携带身份证、户口簿、银行卡等材料向户籍所在地街道办事处（镇政府）申请，经审核后按规定发放。补贴标准和发放周期以区民政部门公布为准。',
    public: true,
    regions: ['371702'],
    reviewedDaysAgo: 200,
  },
  {
    owner: 'gov-md',
    cat: 'CX-WY',
    title: '牡丹区老旧小区改造怎么咨询',
    aliases: ['老旧小区改造', '小区改造什么时候轮到'],
    short:
      '老旧小区改造项目由区住房城乡建设部门会同街道根据年度计划实施，可向所在街道办事处或社区咨询本小区是否纳入计划。',
    answer:
      '城镇老旧小区改造按年度计划实施，改造内容包括基础类、完善类和提升类，由居民意愿和小区条件确定。是否纳入年度计划、改造内容和时间，可向小区所在街道办事处、社区居委会或区住房城乡建设部门咨询。',
    public: false,
    regions: ['371702'],
    draft: true,
  },
  {
    owner: 'wjw',
    cat: 'WS-GG',
    title: '新冠病毒疫苗接种点查询',
    aliases: ['新冠疫苗在哪打'],
    short: '新冠病毒疫苗接种安排已调整，请向居住地社区卫生服务中心咨询。',
    answer: '新冠病毒疫苗接种安排已按国家规定调整，如需接种请向居住地社区卫生服务中心或乡镇卫生院预防接种门诊咨询。',
    public: true,
    withdrawn: true,
    reviewedDaysAgo: 500,
  },
];

/**
 * Inserts the demo articles as publishing would have left them (published copy with search tokens, a published
 * version, events); idempotent by skipping when any article exists.
 */
export async function seedKnowledge(
  db: Kysely<DB>,
  ids: { units: Record<string, number>; users: Record<string, number>; categories: Record<string, number> },
  now: Date,
): Promise<number> {
  const any = await db.selectFrom('knowledge_articles').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  const today = shanghaiDay(now);
  const author = ids.users['handler_md'] ?? null;
  const reviewer = ids.users['knowledge'] ?? null;
  for (const s of KNOWLEDGE_SEED) {
    const reviewedAt = new Date(now.getTime() - (s.reviewedDaysAgo ?? 20) * 86_400_000);
    const content = {
      title: s.title,
      aliases: s.aliases,
      answer: s.answer,
      short_answer: s.short,
      public_answer: s.public ? s.short : null,
      visibility: visibilityOf(s),
      policy_basis: JSON.stringify(
        (s.basis ?? []).map(([document, number, clause]) => ({
          document,
          number: number ?? null,
          clause: clause ?? null,
        })),
      ),
      category_ids: [ids.categories[s.cat]!],
      region_codes: s.regions ?? [],
      effective_from: shanghaiDay(new Date(reviewedAt.getTime() - 30 * 86_400_000)),
      expires_on: s.expiresInDays ? addDays(today, s.expiresInDays) : null,
      policy_changed_on: null,
    };
    const a = await db
      .insertInto('knowledge_articles')
      .values({
        owner_unit_id: ids.units[s.owner]!,
        status: 'draft',
        review_cycle_days: 180,
        created_at: reviewedAt,
        created_by: reviewer,
        updated_at: reviewedAt,
        working_title: s.title,
        working_state: s.draft ? 'draft' : 'published',
        latest_version_no: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = await db
      .insertInto('knowledge_versions')
      .values({
        ...content,
        article_id: a.id,
        version_no: 1,
        state: s.draft ? 'draft' : 'published',
        change_reason: '初始建库',
        author_id: s.owner === 'gov-md' ? author : reviewer,
        source: 'seed',
        created_at: reviewedAt,
        submitted_at: s.draft ? null : reviewedAt,
        reviewed_by: s.draft ? null : reviewer,
        reviewed_at: s.draft ? null : reviewedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const events: Array<{ action: string; version_id: number; note: string | null; at: Date }> = [
      { action: 'created', version_id: v.id, note: '初始建库', at: reviewedAt },
    ];
    if (s.draft) {
      await db.updateTable('knowledge_articles').set({ pending_version_id: v.id }).where('id', '=', a.id).execute();
    } else {
      await db
        .updateTable('knowledge_articles')
        .set({ ...publishedCopy(v, reviewedAt), updated_at: reviewedAt })
        .where('id', '=', a.id)
        .execute();
      events.push({ action: 'published', version_id: v.id, note: null, at: reviewedAt });
    }
    if (s.withdrawn) {
      await db
        .updateTable('knowledge_articles')
        .set({ status: 'withdrawn', working_state: 'withdrawn', lock_version: 1 })
        .where('id', '=', a.id)
        .execute();
      events.push({
        action: 'withdrawn',
        version_id: v.id,
        note: '接种政策调整，停止提供',
        at: new Date(now.getTime() - 86_400_000),
      });
    }
    if (s.pendingShort) {
      const at = new Date(now.getTime() - 2 * 86_400_000);
      const p = await db
        .insertInto('knowledge_versions')
        .values({
          ...content,
          short_answer: s.pendingShort,
          article_id: a.id,
          version_no: 2,
          state: 'centre_review',
          change_reason: '补充逾期未认证的处理',
          author_id: ids.users['handler_rs'] ?? null,
          source: 'person',
          created_at: at,
          submitted_at: at,
          unit_approved_by: ids.users['handler_rs'] ?? null,
          unit_approved_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('knowledge_articles')
        .set({
          pending_version_id: p.id,
          latest_version_no: 2,
          working_state: 'centre_review',
          lock_version: 1,
          updated_at: at,
        })
        .where('id', '=', a.id)
        .execute();
      events.push({ action: 'edited', version_id: p.id, note: '补充逾期未认证的处理', at });
    }
    await db
      .insertInto('knowledge_events')
      .values(events.map((e) => ({ ...e, article_id: a.id, actor_id: reviewer, data: '{}' })))
      .execute();
  }
  return KNOWLEDGE_SEED.length;
}
