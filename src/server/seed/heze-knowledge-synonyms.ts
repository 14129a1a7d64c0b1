import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

// 第十八条: how Heze citizens say the same thing in different words. A search for any term of a group also looks
// for the others (the centre edits these on the 同义词 screen). No term is in two groups.
export const KNOWLEDGE_SYNONYMS: string[][] = [
  ['社保', '社会保险'],
  ['医保', '医疗保险', '医疗保障'],
  ['公积金', '住房公积金'],
  ['户口', '户籍'],
  ['居住证', '暂住证'],
  ['供暖', '暖气', '取暖', '集中供热'],
  ['停水', '断水', '没水'],
  ['燃气', '天然气', '煤气'],
  ['不动产', '房产证', '不动产权证书'],
  ['农民工', '务工人员', '外来务工'],
  ['工资', '薪水', '工钱', '薪资'],
  ['拖欠', '欠薪', '讨薪'],
  ['低保', '最低生活保障'],
  ['12345', '市长热线', '政务服务热线'],
  ['新生儿', '出生婴儿', '刚出生'],
  ['养老保险', '养老金'],
  ['落户', '上户口'],
  ['电动车', '电瓶车', '电动自行车'],
];

/** The demo's synonym groups (and the tests': they share the demo seed). */
export async function seedKnowledgeSynonyms(trx: Kysely<DB>, now: Date, by: number | null) {
  await trx
    .insertInto('knowledge_synonyms')
    .values(KNOWLEDGE_SYNONYMS.map((terms) => ({ terms, active: true, updated_by: by, updated_at: now })))
    .execute();
}
