import { useReducer, useRef, useState } from 'react';
import { App, Alert, Col, Form, Row, type InputRef } from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { DispositionKind, DispositionResult, EmergencyLine } from '../../api/contact-types';
import { suggestEmergency } from '../../../shared/domain/emergency';
import { useMe } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { readBase64 } from '../../lib/files';
import { useAsync } from '../../lib/useAsync';
import { useCallStream } from '../../lib/useCallStream';
import { CallBanner } from './console/CallBanner';
import { ContactForm, PHONE_RE, type ContactValues } from './console/ContactForm';
import { CurrentContact } from './console/CurrentContact';
import { DispositionPanel } from './console/DispositionPanel';
import { DispositionResultCard } from './console/DispositionResultCard';
import { PresenceBar } from './console/PresenceBar';
import { ShiftFigures } from './console/ShiftFigures';
import { DuplicatesPanel, useDuplicates } from './console/DuplicatesPanel';
import { EmergencyAlert, EmergencyBar } from './console/EmergencyAlert';
import { HistoryPanel } from './console/HistoryPanel';
import { InboxList } from './console/InboxList';
import { KnowledgePanel, type ChosenArticle } from './console/KnowledgePanel';
import { RulesCard } from './console/RulesCard';

const OPEN = ['pending_dispatch', 'dispatched', 'in_progress', 'replied'];
const requesterOf = (name?: string, phone?: string) => {
  const n = name?.trim().slice(0, 100) || null;
  const p = phone?.trim() && PHONE_RE.test(phone.trim()) ? phone.trim() : null;
  return n || p ? { name: n, phone: p } : null;
};

/**
 * 话务员受理台: the inbox of undisposed contacts and the live screen pop on the left and top; in the middle the
 * contact being handled (recorded here, or opened from the inbox or a ringing call) and its disposition; beside
 * it possible duplicates and the requester's history. An emergency transfer is one click from any state.
 */
export default function ConsolePage() {
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContactValues>();
  const first = useRef<InputRef>(null);
  const top = useRef<HTMLDivElement>(null);
  // the shell's content area is the scrolling element
  const toTop = () => top.current?.closest('.ant-layout-content')?.scrollTo(0, 0);
  const [inboxVersion, refreshInbox] = useReducer((n: number) => n + 1, 0);
  const [shiftVersion, setShiftVersion] = useState(0);
  const [active, setActive] = useState<{ id: number; address?: string } | null>(null);
  const [notes, setNotes] = useState('');
  const [kind, setKind] = useState<DispositionKind>('dispatched');
  const [repeatTicketId, setRepeatTicketId] = useState<number | null>(null);
  const [hint, setHint] = useState<{ categoryId?: number; regionCode?: string }>({});
  const [result, setResult] = useState<DispositionResult | null>(null);
  const [recording, setRecording] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);
  const [transferring, setTransferring] = useState<EmergencyLine | null>(null);
  const [transferError, setTransferError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ChosenArticle | null>(null);

  const pop = useAsync(() => (active ? api.contacts.screenPop(active.id) : Promise.resolve(null)), [active?.id]);
  const current = pop.data && active && pop.data.contact.id === active.id ? pop.data : null;
  const noText = !!current && !current.contact.content.trim();
  const dups = useDuplicates(
    current
      ? {
          contactId: current.contact.id,
          notes: noText ? notes : null,
          requesterId: current.contact.requesterId,
          ...hint,
        }
      : null,
  );
  const typed = Form.useWatch<string | undefined>('content', form);
  const suggestion = result
    ? null
    : active
      ? (current?.emergencySuggestion ?? suggestEmergency(notes))
      : suggestEmergency(typed ?? '');

  const open = (id: number, draft?: { address?: string }) => {
    setActive({ id, address: draft?.address });
    setNotes('');
    setKind('dispatched');
    setRepeatTicketId(null);
    setHint({});
    setResult(null);
    setTransferError(null);
    setChosen(null);
    stream.dismiss(id);
    toTop();
  };
  const stream = useCallStream(me.username, { onChange: refreshInbox, onAnsweredByMe: (id) => !active && open(id) });
  const finish = (r: DispositionResult) => {
    setResult(r);
    refreshInbox();
    message.success(r.ticketNumber && r.disposition === 'dispatched' ? `工单已生成：${r.ticketNumber}` : '已处置');
  };
  const next = () => {
    setActive(null);
    setResult(null);
    setNotes('');
    setProgress(null);
    toTop();
    setTimeout(() => first.current?.focus(), 0);
  };

  const record = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setRecording(true);
    setRecordError(null);
    try {
      const files = await Promise.all(
        (v.files ?? []).map(async (f) => ({ name: f.name, dataBase64: await readBase64(f.originFileObj as File) })),
      );
      setProgress(files.length ? 0 : null);
      const rec = await api.contacts.record(
        {
          channel: v.channel,
          content: v.content!.trim(),
          requester: requesterOf(v.requesterName, v.requesterPhone),
          address: v.address?.trim() || undefined,
          files: files.length ? files : undefined,
        },
        files.length ? setProgress : undefined,
      );
      form.resetFields();
      open(rec.id, { address: v.address?.trim() || undefined });
      refreshInbox();
      message.success(files.length ? `已记录，附件 ${files.length} 个` : '已记录');
    } catch (e) {
      setRecordError(errorMessage(e));
    } finally {
      setRecording(false);
    }
  };

  // Never blocked: a contact not yet recorded is recorded with whatever is usable, then transferred.
  const transfer = async (line: EmergencyLine) => {
    setTransferring(line);
    setTransferError(null);
    try {
      let id = active?.id;
      if (!id) {
        const v = form.getFieldsValue();
        const rec = await api.contacts.record({
          channel: v.channel ?? 'phone',
          content: v.content?.trim() || `紧急来电，转接${line}`,
          requester: requesterOf(v.requesterName, v.requesterPhone),
          address: v.address?.trim() || undefined,
        });
        form.resetFields();
        open(rec.id, { address: v.address?.trim() || undefined });
        id = rec.id;
      }
      finish(
        await api.contacts.dispose(id, {
          disposition: 'transferred',
          hotline: line,
          callRecord: noText ? notes.trim() || undefined : undefined,
        }),
      );
    } catch (e) {
      setTransferError(`系统记录未成功：${errorMessage(e)}。请先直接转接 ${line}，稍后补录。`);
    } finally {
      setTransferring(null);
    }
  };

  const ticketOptions = [
    ...dups.items.map((d) => ({ id: d.id, number: d.number, title: d.title, statusLabel: d.statusLabel })),
    ...(current?.history.tickets ?? []).filter(
      (t) => OPEN.includes(t.status) && !t.mergedIntoId && !dups.items.some((d) => d.id === t.id),
    ),
  ];

  return (
    <div ref={top}>
      <PageHeader
        title="受理台"
        sub="来电弹屏、记录来电来信、按第十二、十三条处置并派单"
        extra={<PresenceBar onChanged={() => setShiftVersion((n) => n + 1)} />}
      />
      <CallBanner calls={stream.calls} onOpen={(id) => open(id)} onDismiss={stream.dismiss} />
      <Row gutter={12}>
        <Col span={5}>
          <InboxList
            selectedId={active?.id ?? null}
            onOpen={(c) => open(c.id)}
            version={inboxVersion}
            connected={stream.connected}
          />
          <ShiftFigures version={shiftVersion + inboxVersion} />
        </Col>
        <Col span={12}>
          {suggestion && (
            <EmergencyAlert
              suggestion={suggestion}
              busy={transferring}
              error={transferError}
              onTransfer={(l) => void transfer(l)}
            />
          )}
          {recordError && (
            <Alert
              type="error"
              showIcon
              message={recordError}
              style={{ marginBottom: 12 }}
              role="alert"
              closable
              onClose={() => setRecordError(null)}
            />
          )}
          {!active ? (
            <ContactForm
              form={form}
              onSubmit={() => void record()}
              busy={recording}
              progress={progress}
              first={first}
              extra={!suggestion && <EmergencyBar busy={transferring} onTransfer={(l) => void transfer(l)} />}
            />
          ) : (
            <>
              <CurrentContact
                pop={current}
                error={pop.errorText}
                onRetry={() => void pop.reload()}
                notes={notes}
                setNotes={setNotes}
                address={active.address}
                onClose={next}
              />
              {!current && !result && pop.error != null && (
                // the screen pop failed to load: the transfer still works on the contact's id
                <div style={{ marginBottom: 12 }}>
                  <EmergencyBar busy={transferring} onTransfer={(l) => void transfer(l)} />
                </div>
              )}
              {transferError && !suggestion && (
                <Alert type="error" showIcon message={transferError} style={{ marginBottom: 12 }} role="alert" />
              )}
              {result ? (
                <DispositionResultCard result={result} onNext={next} />
              ) : (
                current && (
                  <DispositionPanel
                    key={current.contact.id}
                    contactId={current.contact.id}
                    kind={kind}
                    setKind={setKind}
                    defaults={{
                      address: active.address,
                      content: current.contact.content.trim() || notes,
                      regionCode: metaText(current.contact.meta, 'regionCode') ?? undefined,
                    }}
                    keptAddress={metaText(current.contact.meta, 'address')}
                    callNotes={noText ? notes : ''}
                    repeatTicketId={repeatTicketId}
                    ticketOptions={ticketOptions}
                    suggested={current.emergencySuggestion?.line ?? suggestion?.line ?? null}
                    transferring={transferring}
                    onTransfer={(l) => void transfer(l)}
                    onHint={setHint}
                    onDone={finish}
                    knowledge={chosen}
                    onClearKnowledge={() => setChosen(null)}
                  />
                )
              )}
            </>
          )}
        </Col>
        <Col span={7}>
          {current ? (
            <>
              {/* 第十二条: answer online from the knowledge base what can be answered online */}
              <KnowledgePanel
                text={current.contact.content.trim() || notes}
                contactId={current.contact.id}
                chosenId={chosen?.id ?? null}
                onUse={(a) => {
                  setChosen(a);
                  setKind('answered');
                }}
              />
              <DuplicatesPanel
                items={dups.items}
                loading={dups.loading}
                error={dups.error}
                onRepeat={(d) => {
                  setKind('repeat');
                  setRepeatTicketId(d.id);
                }}
              />
              <HistoryPanel pop={current} onFlagged={() => void pop.reload()} />
            </>
          ) : (
            <>
              {/* while the words are typed, before the contact is recorded: answers to have at hand */}
              {!active && (
                <KnowledgePanel text={typed ?? ''} contactId={null} chosenId={null} onUse={() => undefined} readOnly />
              )}
              <RulesCard />
            </>
          )}
        </Col>
      </Row>
    </div>
  );
}

/** A text field of a contact's meta (already masked by the server where personal), or null. */
function metaText(meta: unknown, key: string): string | null {
  const v = meta && typeof meta === 'object' ? (meta as Record<string, unknown>)[key] : null;
  return typeof v === 'string' && v ? v : null;
}
