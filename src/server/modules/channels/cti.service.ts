import { sql } from 'kysely';
import { AppError } from '../../errors.js';
import { maskPhone } from '../../domain/masking.js';
import { normalisePhone } from '../../security/pii-cipher.js';
import type { Actor } from '../auth/actor.js';
import type { AbuseService } from '../intake/abuse.service.js';
import type { ContactService, IntakeDeps } from '../intake/contacts.service.js';
import type { ScreenPopHub } from './screen-pop-hub.js';

// 第二条 12345 热线电话: the telephone system (CTI) reports each call as three events. The contact row is
// written on call.offered, while the phone still rings, so nothing that happens later can lose the call.

export type CtiEvent =
  | { type: 'call.offered'; callId: string; caller: string; callee: string; at: Date; agent?: string | null }
  | { type: 'call.answered'; callId: string; agentUsername: string; at: Date }
  | { type: 'call.ended'; callId: string; at: Date; durationSeconds: number; recordingRef?: string | null };

export interface CtiResult {
  contactId: number;
  /** false when the event had been applied before (redelivery): nothing changed. */
  applied: boolean;
  /** how many agent screens got the pop (call.offered only) */
  delivered?: number;
}

export class CtiService {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly contacts: ContactService,
    private readonly abuse: AbuseService,
    private readonly hub: ScreenPopHub,
  ) {}

  handle(gateway: Actor, e: CtiEvent): Promise<CtiResult> {
    switch (e.type) {
      case 'call.offered':
        return this.offered(gateway, e);
      case 'call.answered':
        return this.answered(gateway, e);
      case 'call.ended':
        return this.ended(gateway, e);
    }
  }

  private async offered(gateway: Actor, e: Extract<CtiEvent, { type: 'call.offered' }>): Promise<CtiResult> {
    // A withheld number ("anonymous", "") is an anonymous call, not an error: the call still counts.
    const digits = normalisePhone(e.caller);
    const phone = digits && digits.length >= 5 ? e.caller : null;
    const rec = await this.contacts.record({
      channel: 'phone',
      externalId: e.callId,
      receivedAt: e.at,
      content: '',
      requester: phone ? { phone } : null,
      centreUnitId: gateway.unitId,
      meta: { callee: e.callee, routedTo: e.agent ?? null, callerWithheld: !phone, offeredAt: e.at.toISOString() },
    });
    if (rec.duplicate) return { contactId: rec.id, applied: false };
    if (this.hub.size === 0) return { contactId: rec.id, applied: true, delivered: 0 }; // no screen open: skip the history query
    const pop = {
      contactId: rec.id,
      callId: e.callId,
      caller: phone ? maskPhone(normalisePhone(phone)) : null,
      callee: e.callee,
      at: e.at,
      requesterId: rec.requesterId,
      history: await this.summary(rec.requesterId, rec.id),
    };
    const delivered = this.hub.publish(
      { username: e.agent, centreUnitId: gateway.unitId },
      'call.offered',
      pop,
      String(rec.id),
    );
    return { contactId: rec.id, applied: true, delivered };
  }

  private async answered(gateway: Actor, e: Extract<CtiEvent, { type: 'call.answered' }>): Promise<CtiResult> {
    const { db } = this.deps;
    const contact = await this.findCall(e.callId);
    const agent = await db
      .selectFrom('users')
      .select(['id', 'roles', 'active', 'display_name'])
      .where('username', '=', e.agentUsername)
      .executeTakeFirst();
    if (!agent || !agent.active || !agent.roles.includes('agent'))
      throw new AppError('unprocessable', `话务员账号「${e.agentUsername}」不存在或不是话务员`, {
        field: 'agentUsername',
      });
    // The first answer is the agent who took the call; a transfer later does not rewrite who took it.
    const updated = await db
      .updateTable('contacts')
      .set({
        agent_id: agent.id,
        // the person's name for the screens (issue 14: no login ids on screen); the login id stays for the record
        meta: sql<string>`meta || ${JSON.stringify({
          answeredAt: e.at.toISOString(),
          answeredBy: e.agentUsername,
          answeredByName: agent.display_name,
        })}::jsonb`,
      })
      .where('id', '=', contact.id)
      .where('agent_id', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (updated)
      this.hub.publish(
        { centreUnitId: gateway.unitId },
        'call.answered',
        { contactId: contact.id, callId: e.callId, agentUsername: e.agentUsername },
        String(contact.id),
      );
    return { contactId: contact.id, applied: !!updated };
  }

  private async ended(gateway: Actor, e: Extract<CtiEvent, { type: 'call.ended' }>): Promise<CtiResult> {
    const { db, clock } = this.deps;
    const contact = await this.findCall(e.callId);
    // Duration, recording and the long-occupation check (第十一条) commit together, and only once.
    const applied = await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('contacts')
        .select(['id', 'requester_id', sql<string | null>`meta->>'endedAt'`.as('ended_at')])
        .where('id', '=', contact.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (row.ended_at) return false;
      const patch = {
        endedAt: e.at.toISOString(),
        durationSeconds: e.durationSeconds,
        recordingRef: e.recordingRef ?? null,
      };
      await trx
        .updateTable('contacts')
        .set({ meta: sql<string>`meta || ${JSON.stringify(patch)}::jsonb` })
        .where('id', '=', row.id)
        .execute();
      if (row.requester_id)
        await this.abuse.checkLongOccupation(trx, row.requester_id, row.id, e.durationSeconds, clock.now());
      return true;
    });
    if (applied)
      this.hub.publish(
        { centreUnitId: gateway.unitId },
        'call.ended',
        { contactId: contact.id, callId: e.callId, durationSeconds: e.durationSeconds },
        String(contact.id),
      );
    return { contactId: contact.id, applied };
  }

  private async findCall(callId: string) {
    const c = await this.deps.db
      .selectFrom('contacts')
      .select(['id'])
      .where('channel', '=', 'phone')
      .where('external_id', '=', callId)
      .executeTakeFirst();
    // Out-of-order delivery: the gateway retries, and by then call.offered has created the row.
    if (!c) throw new AppError('not_found', '未找到该通话，请先推送 call.offered 事件', { callId });
    return c;
  }

  /** A short history for the pop-up; the agent opens GET /api/contacts/:id/screen-pop for the full view. */
  private async summary(requesterId: number | null, contactId: number) {
    if (!requesterId) return null;
    const { db } = this.deps;
    const [h, flags] = await Promise.all([
      this.contacts.history(db, requesterId, contactId),
      db
        .selectFrom('requester_flags')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('requester_id', '=', requesterId)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow(),
    ]);
    return {
      earlierContacts: h.contacts.length,
      tickets: h.tickets
        .slice(0, 5)
        .map((t) => ({ id: t.id, number: t.number, title: t.title, status: t.status, statusLabel: t.statusLabel })),
      openTickets: h.tickets.filter((t) => t.status !== 'closed' && t.status !== 'terminated').length,
      openFlags: flags.n,
    };
  }
}
