import { AppError } from '../../errors.js';
import { KNOWLEDGE_LIMITS } from '../../../shared/contracts/knowledge.js';
import { maskPiiInText } from '../../domain/pii-text.js';
import { shanghaiDay } from '../../domain/knowledge-workflow.js';
import { hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { canViewTicket } from '../tickets/tickets.policy.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import * as repo from './knowledge-articles.repository.js';
import type { KnowledgeWorkflowService } from './knowledge-workflow.service.js';

// 第十八条 (诉求答复内容): a reply a unit gave on a ticket becomes a proposed article — or an update of one of the
// unit's articles — in one click. Only the unit's own reply is used (and the ticket's title the centre wrote, with
// any phone or ID number masked); never the requester's words, name or contact details.

const clip = (s: string, n: number) => Array.from(s).slice(0, n).join('');

export class KnowledgeProposals {
  constructor(
    readonly deps: ServiceDeps,
    readonly workflow: KnowledgeWorkflowService,
  ) {}

  async fromTicket(actor: Actor, ticketId: number, b: { articleId?: number }) {
    const t = await this.deps.db
      .selectFrom('tickets')
      .select([
        'id',
        'number',
        'title',
        'region_code',
        'category_id',
        'lead_unit_id',
        'reply_result',
        'reply_explanation',
      ])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    const lead = !!t && hasRole(actor, ...UNIT_ROLES) && t.lead_unit_id === actor.unitId;
    if (!t || (!lead && !(await canViewTicket(this.deps.db, actor, t))))
      throw new AppError('not_found', '工单不存在或无权查看');
    if (!lead) throw new AppError('forbidden', '只有主办单位人员可以把答复提议为知识');
    if (!t.reply_result) throw new AppError('illegal_transition', '该工单尚未答复，不能提议为知识');
    const reply = maskPiiInText([t.reply_result, t.reply_explanation].filter(Boolean).join('\n')).text;
    const title = clip(maskPiiInText(t.title).text, KNOWLEDGE_LIMITS.title);
    const reason = `依据工单 ${t.number} 的答复提议`;
    const today = shanghaiDay(this.deps.clock.now());
    if (b.articleId) {
      const a = await repo.findArticle(this.deps.db, b.articleId);
      if (!a || a.owner_unit_id !== actor.unitId) throw new AppError('not_found', '知识条目不存在或无权查看');
      const baseId = a.pending_version_id ?? a.published_version_id;
      const base = baseId ? await repo.findVersion(this.deps.db, baseId) : undefined;
      if (!base) throw new AppError('illegal_transition', '该知识没有可以更新的版本');
      const c = repo.contentOf(base);
      const answer = clip(`${c.answer}\n\n【工单 ${t.number} 答复】\n${reply}`, KNOWLEDGE_LIMITS.answer);
      return this.workflow.update(
        actor,
        a.id,
        { ...c, answer, changeReason: reason, lockVersion: a.lock_version },
        { source: 'ticket_reply', ticketId: t.id, action: 'proposed_from_ticket' },
      );
    }
    return this.workflow.create(
      actor,
      {
        title,
        aliases: [],
        answer: clip(reply, KNOWLEDGE_LIMITS.answer),
        shortAnswer: clip(reply, KNOWLEDGE_LIMITS.shortAnswer),
        publicAnswer: null,
        visibility: 'internal',
        policyBasis: [],
        categoryIds: [t.category_id],
        regionCodes: [],
        effectiveFrom: today,
        expiresOn: null,
        policyChangedOn: null,
        changeReason: reason,
      },
      { kind: 'ticket_reply', ticketId: t.id },
    );
  }
}
