import { useEffect, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Tooltip, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { api, type DispositionInput } from '../../../api/endpoints';
import { errorMessage } from '../../../api/client';
import type { DispositionKind, DispositionResult, EmergencyLine } from '../../../api/contact-types';
import { DISPOSITIONS } from '../../../lib/dispositions';
import { DispositionFields, type TicketOption } from './DispositionFields';
import type { ChosenArticle } from './KnowledgePanel';
import { CategorySuggestions } from '../../../components/classification/CategorySuggestions';

type Of<K extends DispositionKind> = Omit<Extract<DispositionInput, { disposition: K }>, 'disposition'>;
/** The form's values: every disposition's fields, each filled only while its disposition is chosen. */
type V = Partial<
  Of<'dispatched'> &
    Of<'answered'> &
    Of<'redirected'> &
    Of<'repeat'> &
    Of<'explained'> &
    Of<'admonished'> &
    Of<'not_accepted'> &
    Of<'transferred'>
>;
/** A field the form's rules require for the chosen disposition. */
const req = (v: string | undefined) => (v ?? '').trim();

/** A ticket title from the first sentence of what was said. */
export const titleFrom = (text: string) => (text.trim().split(/[。！？!?\n]/)[0] ?? '').slice(0, 40);
const trimmed = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function bodyOf(
  kind: DispositionKind,
  v: V,
  callNotes: string,
  knowledgeArticleId?: number,
  suggestedCategoryIds?: number[],
): DispositionInput {
  // A phone call's own record has no text: what the agent wrote down becomes the contact's text (第十二条).
  const callRecord = callNotes.trim() || undefined;
  const note = trimmed(v.note)?.slice(0, 2000);
  switch (kind) {
    case 'dispatched':
      return {
        disposition: kind,
        callRecord, // the form's rules require these for the chosen disposition
        requestType: v.requestType!,
        categoryId: v.categoryId!,
        urgency: v.urgency!,
        regionCode: v.regionCode!,
        address: trimmed(v.address) ?? null,
        title: req(v.title),
        content: trimmed(v.content),
        reportedUnitId: v.requestType === 'report' ? (v.reportedUnitId ?? undefined) : undefined,
        unitText: v.requestType === 'report' ? trimmed(v.unitText) : undefined,
        // 第四条: the suggestions shown when the ticket was filed (the take rate counts which one was chosen)
        suggestedCategoryIds: suggestedCategoryIds?.length ? suggestedCategoryIds.slice(0, 3) : undefined,
      };
    case 'answered':
      // 第十二、十八条: the knowledge article answered with, if the agent used one (its version is recorded)
      return { disposition: kind, callRecord, answer: req(v.answer), knowledgeArticleId, note };
    case 'redirected':
      return { disposition: kind, callRecord, channel: v.channel!, alreadyInChannel: !!v.alreadyInChannel, note };
    case 'repeat':
      return { disposition: kind, callRecord, ticketId: v.ticketId!, note };
    case 'explained':
      return { disposition: kind, callRecord, secretKind: v.secretKind!, explanation: req(v.explanation) };
    case 'admonished':
      return { disposition: kind, callRecord, violation: req(v.violation), note };
    case 'not_accepted':
      return { disposition: kind, callRecord, reason: req(v.reason) };
    case 'transferred':
      return { disposition: kind, callRecord, hotline: v.hotline!, note };
  }
}

/**
 * 第十二、十三条: one button per disposition (Alt+1…8), the chosen one's required fields, Ctrl+Enter to submit.
 * 转接 submits on the hotline's button. The answer is the standard phrase to read to the caller.
 */
export function DispositionPanel({
  contactId,
  kind,
  setKind,
  defaults,
  callNotes,
  keptAddress,
  repeatTicketId,
  ticketOptions,
  suggested,
  transferring,
  onTransfer,
  onHint,
  onDone,
  knowledge = null,
  onClearKnowledge,
}: {
  contactId: number;
  kind: DispositionKind;
  setKind: (k: DispositionKind) => void;
  /** regionCode: the county or town the citizen picked on the portal (issue 14) */
  defaults: { address?: string; content: string; regionCode?: string };
  /** the contact's own address, masked (web form, or taken down during the call): the ticket keeps it if left blank */
  keptAddress?: string | null;
  /** the agent's notes of a call that has no text of its own */
  callNotes: string;
  repeatTicketId: number | null;
  ticketOptions: TicketOption[];
  suggested: EmergencyLine | null;
  transferring: EmergencyLine | null;
  onTransfer: (line: EmergencyLine) => void;
  onHint: (h: { categoryId?: number; regionCode?: string }) => void;
  onDone: (r: DispositionResult) => void;
  /** the knowledge article chosen in the panel (使用此答复): its short answer fills the answer, still editable */
  knowledge?: ChosenArticle | null;
  onClearKnowledge?: () => void;
}) {
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const categoryId = Form.useWatch('categoryId', form);
  const regionCode = Form.useWatch('regionCode', form);
  const titleText = Form.useWatch('title', form);
  const contentText = Form.useWatch('content', form);
  const [shownIds, setShownIds] = useState<number[]>([]);
  useEffect(
    () => onHint({ categoryId: categoryId ?? undefined, regionCode: regionCode ?? undefined }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [categoryId, regionCode],
  );
  useEffect(() => {
    if (knowledge) form.setFieldValue('answer', knowledge.shortAnswer);
  }, [knowledge, form]);
  useEffect(() => {
    if (repeatTicketId) form.setFieldValue('ticketId', repeatTicketId);
  }, [repeatTicketId, kind, form]);
  // The call notes arrive after the panel opens; the ticket's content and title follow them until edited.
  useEffect(() => {
    if (!defaults.content || form.isFieldsTouched(['content', 'title'])) return;
    form.setFieldsValue({ content: defaults.content, title: titleFrom(defaults.content) });
  }, [defaults.content, form]);
  // Keyboard flow: after recording, the next field to fill is the category (a call's notes box has the focus instead).
  useEffect(() => {
    if (defaults.content) document.getElementById('disposition_categoryId')?.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const n = Number(e.key);
      if (e.altKey && n >= 1 && n <= DISPOSITIONS.length) {
        e.preventDefault();
        setKind(DISPOSITIONS[n - 1]!.kind);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setKind]);

  const submit = async () => {
    if (kind === 'transferred') return; // the hotline buttons submit
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.contacts.dispose(contactId, bodyOf(kind, v, callNotes, knowledge?.id, shownIds)));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const chosen = DISPOSITIONS.find((d) => d.kind === kind)!;

  return (
    <Card
      size="small"
      title="处置"
      data-testid="disposition-panel"
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Alt+1…8 选择，Ctrl+Enter 提交
        </Typography.Text>
      }
    >
      <Flex gap={6} wrap style={{ marginBottom: 12 }} role="radiogroup" aria-label="处置方式">
        {DISPOSITIONS.map((d, i) => (
          <Tooltip key={d.kind} title={`${d.article}：${d.hint}（Alt+${i + 1}）`}>
            <Button
              role="radio"
              aria-checked={d.kind === kind}
              type={d.kind === kind ? 'primary' : 'default'}
              danger={d.kind === 'transferred'}
              onClick={() => {
                setKind(d.kind);
                setError(null);
              }}
              data-disposition={d.kind}
            >
              {d.label}
            </Button>
          </Tooltip>
        ))}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {chosen.article}：{chosen.hint}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {kind === 'answered' && knowledge && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="knowledge-chosen"
          message={`答复依据：知识库《${knowledge.title}》（答复内容可修改）`}
          action={
            <Button size="small" type="text" onClick={onClearKnowledge}>
              不使用
            </Button>
          }
        />
      )}
      {kind === 'dispatched' && (
        <CategorySuggestions
          title={titleText ?? ''}
          body={contentText ?? defaults.content}
          contactId={contactId}
          selectedId={categoryId ?? null}
          onPick={(id) => form.setFieldValue('categoryId', id)}
          onShown={setShownIds}
        />
      )}
      <Form
        form={form}
        name="disposition"
        layout="vertical"
        requiredMark
        initialValues={{
          requestType: 'complaint',
          urgency: 'normal',
          address: defaults.address,
          regionCode: defaults.regionCode,
          content: defaults.content,
          title: titleFrom(defaults.content),
          alreadyInChannel: false,
          ticketId: repeatTicketId ?? undefined,
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <DispositionFields
          kind={kind}
          form={form}
          keptAddress={keptAddress ?? null}
          suggested={suggested}
          transferring={transferring}
          onTransfer={onTransfer}
          ticketOptions={ticketOptions}
        />
      </Form>
      {kind !== 'transferred' && (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy}
          onClick={() => void submit()}
          data-testid="dispose-submit"
        >
          {kind === 'dispatched' ? '生成工单（Ctrl+Enter）' : `确认${chosen.label}（Ctrl+Enter）`}
        </Button>
      )}
    </Card>
  );
}
