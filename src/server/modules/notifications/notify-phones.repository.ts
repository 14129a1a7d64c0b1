import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

// 第十五条 临期提醒: the SQL of the units' notification phones (encrypted; the service decrypts and masks).

export function listNotifyPhones(db: Kysely<DB>) {
  return db
    .selectFrom('unit_notify_phones')
    .select(['unit_id', 'phone_enc', 'updated_at'])
    .orderBy('unit_id')
    .execute();
}

/** The unit's phone, its row locked for the change. */
export function lockNotifyPhone(trx: Transaction<DB>, unitId: number) {
  return trx
    .selectFrom('unit_notify_phones')
    .select('phone_enc')
    .where('unit_id', '=', unitId)
    .forUpdate()
    .executeTakeFirst();
}

export async function saveNotifyPhone(
  trx: Transaction<DB>,
  unitId: number,
  phoneEnc: string | null,
  userId: number,
  now: Date,
): Promise<void> {
  if (phoneEnc === null) {
    await trx.deleteFrom('unit_notify_phones').where('unit_id', '=', unitId).execute();
    return;
  }
  await trx
    .insertInto('unit_notify_phones')
    .values({ unit_id: unitId, phone_enc: phoneEnc, updated_by: userId, updated_at: now })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet({ phone_enc: phoneEnc, updated_by: userId, updated_at: now }))
    .execute();
}
