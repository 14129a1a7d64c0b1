import { sql, type Kysely } from 'kysely';

// 第九、十三条 for WeChat users: the standard-phrase reply of a disposition, the ticket number and tracking code,
// and the reply notice reach them as WeChat customer-service messages (to_enc is the encrypted openid), through
// the same outbox as SMS. The survey of the reply notice can then be answered on WeChat too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('sms', 'wechat'));
ALTER TABLE evaluations DROP CONSTRAINT evaluations_via_check;
ALTER TABLE evaluations ADD CONSTRAINT evaluations_via_check CHECK (via IN ('portal', 'sms', 'wechat'));
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0008-wechat-outbound is not reversible');
}
