import { sql, type Kysely } from 'kysely';

// 第九、十三条 for Weibo users: the centre's answers wait in the outbox (channel 'weibo') until the Weibo gateway
// fetches and sends them as private messages, as it relays theirs to us; the survey can be answered there too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('sms', 'wechat', 'weibo'));
ALTER TABLE evaluations DROP CONSTRAINT evaluations_via_check;
ALTER TABLE evaluations ADD CONSTRAINT evaluations_via_check CHECK (via IN ('portal', 'sms', 'wechat', 'weibo'));
-- WeChat answers that failed because the 48-hour window had closed are sent again when the user writes again;
-- this keeps that look-up to the few failed rows of the user's own contacts.
CREATE INDEX outbound_wechat_failed ON outbound_messages(contact_id) WHERE channel = 'wechat' AND status = 'failed';
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0010-weibo-outbound is not reversible');
}
