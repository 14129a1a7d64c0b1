// 第六条: personal data inside free text. A caller's words often carry a phone number, an ID card number or a
// bank card number ("联系人李先生13800001111"), their own name ("我叫王建国") and the door of their home ("3号楼2单元
// 501室"). Those are masked in the stored, searchable text; the original is kept only encrypted, for an audited
// reveal. Numbers are found by their shape; a name by what is known (the requester's own name, passed in) or by
// the words that introduce one; an address down to the household (a room, a unit's door, a village house number)
// by its shape — the road, the compound and the building stay, since a unit must find the place and they name no
// one. What prose holds beyond that is not detected (docs/privacy.md).

export type PiiKind = 'id_card' | 'bank_card' | 'mobile' | 'landline' | 'address' | 'name';

// Digits must not continue on either side, so parts of longer numbers (ticket numbers, MsgIds) never match.
// Order matters: the longer shapes first, so an 18-digit ID number is not read as a bank card.
const PATTERNS: Array<{ kind: Exclude<PiiKind, 'address' | 'name'>; re: RegExp }> = [
  // 居民身份证号: 6-digit region, birth date 19xx/20xx, 3-digit sequence, check digit or X
  {
    kind: 'id_card',
    re: /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g,
  },
  // bank card: 16–19 digits, optionally grouped by 4 with spaces
  { kind: 'bank_card', re: /(?<![\dA-Za-z])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![\dA-Za-z])/g },
  // mobile, with or without +86 and separators: 138 0000 1111, 138-0000-1111
  { kind: 'mobile', re: /(?<![\dA-Za-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\dA-Za-z])/g },
  // landline with area code: 0530-5551234, 05305551234, (0530)5551234
  { kind: 'landline', re: /(?<![\dA-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{7,8}(?![\dA-Za-z])/g },
];

// An address down to one household. A building alone ("3号楼楼道灯不亮") names no one and stays; a room, a unit's
// door with its room, or a village house number does. Digits glued to letters or to longer numbers never match.
const D = '(?<![\\dA-Za-z*])';
const ADDRESS_PATTERNS: RegExp[] = [
  // 3号楼2单元501室, 5栋1单元1202, 3号楼2门301
  new RegExp(
    `${D}\\d{1,3}\\s*(?:号楼|栋|幢|座)\\s*\\d{1,2}\\s*(?:单元|门)\\s*\\d{2,4}(?![\\dA-Za-z]|\\s*(?:层|楼))(?:\\s*(?:室|号|户))?`,
    'g',
  ),
  // 3号楼501室, 5栋1202 (not 18栋966户 or 6栋180余人: counts, not a door)
  new RegExp(
    `${D}\\d{1,3}\\s*(?:号楼|栋|幢|座)\\s*\\d{3,4}(?![\\dA-Za-z]|\\s*(?:户|余|多|人|平|米|元|个|套|间))(?:\\s*(?:室|号))?`,
    'g',
  ),
  // 2单元501室, 2单元501
  new RegExp(`${D}\\d{1,2}\\s*单元\\s*\\d{2,4}(?![\\dA-Za-z]|\\s*(?:层|楼))(?:\\s*(?:室|号|户))?`, 'g'),
  // 501室 (a room on its own)
  new RegExp(`${D}\\d{3,4}\\s*室`, 'g'),
  // 3-2-501 (building-unit-room): never a date (a year has four digits) nor 49-51-56 (sizes)
  new RegExp(`(?<![\\dA-Za-z*-])\\d{1,3}-\\d{1,2}-\\d{3,4}(?![\\dA-Za-z-])`, 'g'),
  // a village house: 3组15号, 李庄村15号
  new RegExp(`${D}\\d{1,2}\\s*组\\s*\\d{1,4}\\s*号`, 'g'),
  /(?<=[村庄屯寨])\d{1,4}\s*号(?![\dA-Za-z楼院])/g,
];

/** The commonest surnames (about nine Chinese in ten), compound ones first. */
const COMPOUND_SURNAMES = '欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 夏侯 公孙 司徒 端木 南宫 尉迟 宇文 长孙'.split(' ');
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄葛单樊牛房耿聂左司鲁岳齐尚季翟殷申柴童祝温邢代储苗冉包焦俞兰梅倪艾关华时管宁颜桑甘车郎纪仇晁鞠訾';
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])`;
// Characters that end a place, a post or a phrase rather than a given name: 王庄村, 李主任, 张店人, 马上要.
const NOT_GIVEN =
  '村庄镇乡街路区县市省州城苑湾寓厦府号楼栋单元室层家人员工生师傅先女士姐哥弟妹爷奶妈叔姨伯婶老小总经理主局科所队站厂店场院校园馆的了在是住也都和与及等个位名些种这那里上下中内外年月日时天今明昨电话手机码反映来投诉举报联系问题情况事要把被让给对向次辆产重违您你我他她它们';
const GIVEN = `(?:(?![${NOT_GIVEN}])\\p{Script=Han})`;
// After a name: the end, punctuation, a digit, or a word that starts the rest of the sentence.
const AFTER_NAME = `(?=$|[\\s\\d，。,.、；;：:！!？?（()）"“”'‘’]|[住在家电手联的也从于今来反想要现已和跟与就，])`;
// The words that introduce one's own or another's name.
const NAME_CUE =
  '(?:我叫|我是|(?:我爸|我妈|父亲|母亲|爱人|老伴|丈夫|妻子|儿子|女儿|孩子)叫|本人(?:叫|是)?|姓名(?:是|叫|为)?[:：]?|名字(?:是|叫)[:：]?|联系人(?:是|为)?[:：]?|户主(?:是|为)?[:：]?|业主(?:是|为|[:：])|申请人[:：]?|来电人[:：]?|投诉人[:：]?|举报人[:：]?|反映人[:：]?)\\s*';
// what people say they are, beginning with a surname's character: 我是房东, 我是司机
const NOT_A_NAME = '(?!房东|房主|司机|白领|孙子|孙女|包工头|常住|常年|万一|高中|初中|时候|代表|全家|关于)';
const CUED_NAME = new RegExp(`(?<=${NAME_CUE})${NOT_A_NAME}${SURNAME}${GIVEN}{1,2}${AFTER_NAME}`, 'gu');
/** the same, for a yes/no test: without 'g', test() carries no lastIndex from one call to the next */
const CUED_NAME_ANY = new RegExp(CUED_NAME.source, 'u');
// a full name before a form of address: 王建国先生, 李秀英女士 (李先生 alone names no one and stays)
const ADDRESSED_NAME = new RegExp(`${SURNAME}${GIVEN}{2}(?=先生|女士)`, 'gu');

function maskDigits(s: string, keepStart: number, keepEnd: number): string {
  const digits = [...s].filter((ch) => /[\dXx]/.test(ch));
  const start = digits.slice(0, keepStart).join('');
  const end = digits.slice(digits.length - keepEnd).join('');
  return start + '*'.repeat(Math.max(4, digits.length - keepStart - keepEnd)) + end;
}

const MASK: Record<Exclude<PiiKind, 'address' | 'name'>, (s: string) => string> = {
  id_card: (s) => maskDigits(s, 4, 4),
  bank_card: (s) => maskDigits(s, 0, 4),
  mobile: (s) => maskDigits(s.replace(/^\+?86[ -]?/, ''), 3, 4),
  landline: (s) => {
    const area = /^\(?(0\d{2,3})\)?/.exec(s)![1]!;
    return `${area}-${maskDigits(s.slice(s.indexOf(area) + area.length), 0, 2)}`;
  },
};

/** 王建国 → 王**, 欧阳娜娜 → 欧阳**: the surname stays, as `maskName` shows a requester. */
function maskPersonName(name: string): string {
  const chars = [...name];
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.includes(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface MaskedText {
  /** the text with every piece of personal data found masked; equal to the input when nothing was found */
  text: string;
  found: PiiKind[];
}

export interface KnownPersons {
  /** names known to belong to people of this text (the requester's own): masked wherever they appear */
  names?: Array<string | null | undefined>;
}

/**
 * 第三十三条: whether a text names the requester — by the name they gave, or by a name introduced as one's own
 * (我叫…, 举报人：…). A full name before 先生/女士 is not counted: in a 举报 that is usually the person reported on.
 */
export function namesRequester(text: string, requesterName: string | null | undefined): boolean {
  const known = knownNamePattern([requesterName]);
  return (known?.test(text) ?? false) || CUED_NAME_ANY.test(text);
}

/** One pattern for the known names of two Han characters or more (shorter ones, and Latin letters, match inside other words). */
function knownNamePattern(list: KnownPersons['names']): RegExp | null {
  const names = [...new Set(list ?? [])]
    .map((n) => n?.replace(/\s+/g, '') ?? '')
    .filter((n) => /^\p{Script=Han}{2,6}$/u.test(n))
    .sort((a, b) => b.length - a.length);
  return names.length ? new RegExp(names.map(escapeRe).join('|'), 'gu') : null;
}

export function maskPiiInText(text: string, known: KnownPersons = {}): MaskedText {
  let out = text;
  const found: PiiKind[] = [];
  for (const { kind, re } of PATTERNS) {
    out = out.replace(re, (m) => {
      found.push(kind);
      return MASK[kind](m);
    });
  }
  for (const re of ADDRESS_PATTERNS) {
    out = out.replace(re, (m) => {
      found.push('address');
      return m.replace(/\d/g, '*');
    });
  }
  const named = knownNamePattern(known.names);
  for (const re of [...(named ? [named] : []), CUED_NAME, ADDRESSED_NAME]) {
    out = out.replace(re, (m) => {
      found.push('name');
      return maskPersonName(m);
    });
  }
  return { text: out, found };
}
