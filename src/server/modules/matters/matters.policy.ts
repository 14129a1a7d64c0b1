import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import type { MinuteKind } from '../../../shared/domain/matters.js';
import type { UnitKind } from '../../../shared/contracts/vocabulary.js';
import { hasRole, inRegionScope, UNIT_ROLES, type Actor, type Role } from '../auth/actor.js';

// 第二十五、二十六条 专题治理. The centre's supervisors register and run a matter; analysts and auditors read the
// matters of their regions (a county centre sees its county's). A unit sees the matters it leads, coordinates on or
// owns a task of, and reports on its own tasks; any other matter does not exist for it (404).
export const MATTER_WRITERS: Role[] = ['supervisor'];
export const MATTER_CENTRE_READERS: Role[] = ['supervisor', 'analyst', 'auditor'];

export const isCentreReader = (actor: Actor) => actor.scope === 'region' && hasRole(actor, ...MATTER_CENTRE_READERS);
export const isUnitStaff = (actor: Actor) => hasRole(actor, ...UNIT_ROLES);

/** The register: a role without access is told so (403); nothing about any single matter is revealed. */
export function requireMatterLister(actor: Actor): void {
  if (!isCentreReader(actor) && !isUnitStaff(actor))
    throw new AppError('forbidden', '仅热线工作机构的督办、分析、审计人员和相关单位可查看专题');
}

/** The proposal of similar tickets reads tickets of the centre's regions: its supervisors only. */
export function requireMatterWriter(actor: Actor): void {
  if (actor.scope !== 'region' || !hasRole(actor, ...MATTER_WRITERS))
    throw new AppError('forbidden', '仅热线工作机构的督办员可办理专题');
}

/** Whether the actor's unit leads the matter, coordinates on it or owns one of its tasks. */
export async function unitTakesPart(db: Kysely<DB>, unitId: number, m: { id: number; lead_unit_id: number }) {
  if (m.lead_unit_id === unitId) return true;
  const [coordinates, owns] = await Promise.all([
    db
      .selectFrom('matter_units')
      .select('unit_id')
      .where('matter_id', '=', m.id)
      .where('unit_id', '=', unitId)
      .executeTakeFirst(),
    db
      .selectFrom('matter_tasks')
      .select('id')
      .where('matter_id', '=', m.id)
      .where('owner_unit_id', '=', unitId)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return !!coordinates || !!owns;
}

export async function canReadMatter(
  db: Kysely<DB>,
  actor: Actor,
  m: { id: number; region_code: string; lead_unit_id: number } | undefined,
): Promise<boolean> {
  if (!m) return false;
  if (isCentreReader(actor) && inRegionScope(actor, m.region_code)) return true;
  return isUnitStaff(actor) && (await unitTakesPart(db, actor.unitId, m));
}

/** One matter: outside the reader roles, the actor's regions or the unit's part it does not exist (404). */
export async function assertCanReadMatter(
  db: Kysely<DB>,
  actor: Actor,
  m: { id: number; region_code: string; lead_unit_id: number } | undefined,
): Promise<void> {
  if (!(await canReadMatter(db, actor, m))) throw notFound('专题');
}

/** A step on one matter: a reader who is not a supervisor of its regions is refused (403) once it may see it. */
export async function assertCanWriteMatter(
  db: Kysely<DB>,
  actor: Actor,
  m: { id: number; region_code: string; lead_unit_id: number } | undefined,
): Promise<void> {
  await assertCanReadMatter(db, actor, m);
  if (!isMatterWriter(actor, m!)) throw new AppError('forbidden', '仅热线工作机构的督办员可办理专题');
}

/** A supervisor of the centre whose regions hold the matter. */
function isMatterWriter(actor: Actor, m: { region_code: string }): boolean {
  return actor.scope === 'region' && hasRole(actor, ...MATTER_WRITERS) && inRegionScope(actor, m.region_code);
}

/** 第二十五条: a centre registers matters of its own regions only (a county centre: its county). */
export function assertRegionOfCentre(actor: Actor, regionCode: string): void {
  if (!inRegionScope(actor, regionCode))
    throw new AppError('forbidden', '该区域不在本热线工作机构的范围内', { field: 'regionCode' });
}

/**
 * 第二十九条 民主协商: a town or street office that leads a matter records the democratic consultations it holds with
 * the committees, enterprises and organisations of its area itself; the centre's supervisors record any minutes.
 * Anyone else who may read the matter is refused (403).
 */
export async function assertCanAddMinute(
  db: Kysely<DB>,
  actor: Actor,
  m: { id: number; region_code: string; lead_unit_id: number } | undefined,
  kind: MinuteKind,
): Promise<void> {
  await assertCanReadMatter(db, actor, m);
  if (isMatterWriter(actor, m!)) return;
  if (kind === 'democratic' && (await isLeadingTown(db, actor, m!))) return;
  throw new AppError(
    'forbidden',
    kind === 'democratic' ? '仅督办员或牵头的乡镇（街道）可记录民主协商' : '仅热线工作机构的督办员可记录会商',
  );
}

/** Whether the actor works at the town or street office that leads the matter (the lead unit's kind read here). */
async function isLeadingTown(db: Kysely<DB>, actor: Actor, m: { lead_unit_id: number }): Promise<boolean> {
  if (!isUnitStaff(actor) || actor.unitId !== m.lead_unit_id) return false;
  const lead = await db.selectFrom('units').select('kind').where('id', '=', m.lead_unit_id).executeTakeFirst();
  return leadsAsTown(actor, { id: m.lead_unit_id, kind: lead?.kind });
}

/** The same, with the lead unit already read. */
export function leadsAsTown(actor: Actor, lead: { id: number; kind: UnitKind | undefined }): boolean {
  return isUnitStaff(actor) && actor.unitId === lead.id && lead.kind === 'town';
}
