import type { RequestType } from '../../db/schema.js';
import { Open311Error, parseW3cDate, w3cDate } from './open311.format.js';

// Service definitions (GeoReport v2 "GET Service Definition"). Every service asks where the matter is and what
// kind of request it is, because the ticket needs a region and a request type and an Open311 client has no other
// place to say so; a few services ask what the handling unit needs to know first. Kept in code, not in the
// database: there is no admin screen for them yet, and they change with releases, not by the hour.

export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface AttributeDef {
  code: string;
  datatype: Datatype;
  required: boolean;
  description: string;
  datatype_description?: string;
  values?: Array<{ key: string; name: string }>;
}

/** The region when the client names none: the city itself, dispatched by the city-level catalogue rules. */
export const DEFAULT_REGION = '371700';
export const DEFAULT_REQUEST_TYPE: RequestType = 'help';

// 举报 (report) is not offered: it needs the reported unit and confidentiality handling (第三十三条) that
// only an agent can give it.
const REQUEST_TYPES: Array<{ key: RequestType; name: string }> = [
  { key: 'help', name: '求助' },
  { key: 'complaint', name: '投诉' },
  { key: 'consult', name: '咨询' },
  { key: 'suggestion', name: '建议' },
  { key: 'praise', name: '表扬' },
];

const EXTRA: Record<string, AttributeDef[]> = {
  'CX-SZ': [
    {
      code: 'facility',
      datatype: 'singlevaluelist',
      required: true,
      description: '损坏的设施',
      values: [
        { key: 'streetlight', name: '路灯' },
        { key: 'manhole', name: '井盖' },
        { key: 'pavement', name: '人行道' },
        { key: 'drain', name: '排水设施' },
        { key: 'other', name: '其他' },
      ],
    },
  ],
  'JT-DL': [
    {
      code: 'damage',
      datatype: 'multivaluelist',
      required: true,
      description: '道路病害（可多选）',
      values: [
        { key: 'pothole', name: '坑槽' },
        { key: 'crack', name: '裂缝' },
        { key: 'marking', name: '标志标线' },
        { key: 'other', name: '其他' },
      ],
    },
  ],
  'HB-ZS': [
    {
      code: 'source',
      datatype: 'singlevaluelist',
      required: false,
      description: '噪声来源',
      values: [
        { key: 'construction', name: '建筑施工' },
        { key: 'business', name: '商业经营' },
        { key: 'traffic', name: '交通运输' },
        { key: 'neighbourhood', name: '社会生活' },
      ],
    },
    { code: 'occurs_at', datatype: 'datetime', required: false, description: '最近一次发生的时间' },
  ],
  'CX-GS': [
    {
      code: 'account_no',
      datatype: 'string',
      required: false,
      description: '用水户号',
      datatype_description: '水费账单上的 8 位户号',
    },
    { code: 'households', datatype: 'number', required: false, description: '受影响的户数' },
  ],
  'QT-QT': [{ code: 'details', datatype: 'text', required: false, description: '补充说明' }],
};

export function attributesFor(serviceCode: string, regions: Array<{ code: string; name: string }>): AttributeDef[] {
  return [
    {
      code: 'region',
      datatype: 'singlevaluelist',
      required: false,
      description: '事发地所在区县或街道（不填按菏泽市级受理）',
      values: regions.map((r) => ({ key: r.code, name: r.name })),
    },
    {
      code: 'request_type',
      datatype: 'singlevaluelist',
      required: false,
      description: '诉求类型（不填按求助受理）',
      values: REQUEST_TYPES,
    },
    ...(EXTRA[serviceCode] ?? []),
  ];
}

/** The GeoReport v2 attribute element, in the spec's field order. */
export function presentAttribute(a: AttributeDef, order: number) {
  return {
    variable: true,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatype_description ?? null,
    order,
    description: a.description,
    ...(a.values ? { values: a.values } : {}),
  };
}

export type AttributeInput = Record<string, string | string[]>;
/** values by code, and a readable line per answer ("损坏的设施：路灯") for the ticket text. */
export interface CheckedAttributes {
  values: Record<string, string | string[] | number>;
  lines: Record<string, string>;
}

/**
 * Checks attribute[code] values against the definition. Codes the definition does not name are ignored (clients
 * such as FixMyStreet send their own, e.g. attribute[fixmystreet_id]); errors name the attribute.
 */
export function checkAttributes(defs: AttributeDef[], input: AttributeInput): CheckedAttributes {
  const values: CheckedAttributes['values'] = {};
  const lines: Record<string, string> = {};
  for (const def of defs) {
    const raw = input[def.code];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (!list.length) {
      if (def.required) throw new Open311Error(400, `attribute[${def.code}]（${def.description}）必须填写`);
      continue;
    }
    const bad = (why: string) => new Open311Error(400, `attribute[${def.code}]（${def.description}）${why}`);
    if (def.datatype !== 'multivaluelist' && list.length > 1) throw bad('只能填写一个值');
    const v = list[0]!;
    const nameOf = (k: string) => def.values?.find((x) => x.key === k)?.name;
    switch (def.datatype) {
      case 'string':
      case 'text':
        if (v.length > (def.datatype === 'string' ? 200 : 4000)) throw bad('过长');
        values[def.code] = v;
        lines[def.code] = `${def.description}：${v}`;
        break;
      case 'number': {
        const n = Number(v);
        if (!Number.isFinite(n)) throw bad('必须是数字');
        values[def.code] = n;
        lines[def.code] = `${def.description}：${n}`;
        break;
      }
      case 'datetime': {
        const at = w3cDate(parseW3cDate(v, `attribute[${def.code}]`))!;
        values[def.code] = at;
        lines[def.code] = `${def.description}：${at}`;
        break;
      }
      case 'singlevaluelist':
        if (!nameOf(v)) throw bad(`不是可选值之一：${v}`);
        values[def.code] = v;
        lines[def.code] = `${def.description}：${nameOf(v)}`;
        break;
      case 'multivaluelist': {
        const keys = [
          ...new Set(
            list
              .flatMap((x) => x.split(','))
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        ];
        const unknown = keys.filter((k) => !nameOf(k));
        if (unknown.length) throw bad(`不是可选值之一：${unknown.join(',')}`);
        values[def.code] = keys;
        lines[def.code] = `${def.description}：${keys.map(nameOf).join('、')}`;
        break;
      }
    }
  }
  return { values, lines };
}
