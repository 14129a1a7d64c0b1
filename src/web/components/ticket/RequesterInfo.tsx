import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { RevealedPersonalData, TicketView } from '../../api/types';
import { useMe } from '../../auth/session';
import { hasRole, PII_REVEAL_ROLES } from '../../lib/permissions';
import { RevealDialog } from '../RevealDialog';

/** Masked requester details; "显示" asks for the purpose and reveals them through the audited endpoint. */
export function RequesterInfo({ ticket }: { ticket: TicketView }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [clear, setClear] = useState<RevealedPersonalData | null>(null);
  const r = ticket.requester;
  const canReveal = hasRole(me, ...PII_REVEAL_ROLES);

  return (
    <>
      <Space size={4} wrap data-testid="requester">
        <span>{clear ? (clear.name ?? '（未留姓名）') : (r?.name ?? '（未留姓名）')}</span>
        <span>{clear ? (clear.phone ?? '（未留电话）') : (r?.phone ?? '（未留电话）')}</span>
        {clear ? (
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            （明文，已审计）
          </Typography.Text>
        ) : (
          canReveal &&
          (r || ticket.address || ticket.textMasked) && (
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)}>
              显示
            </Button>
          )
        )}
      </Space>
      {clear?.address && (
        <div>
          <Typography.Text type="secondary">完整地址：</Typography.Text>
          {clear.address}
        </div>
      )}
      {clear?.originalText && clear.originalText.content !== ticket.content && (
        <div data-testid="original-text">
          <Typography.Text type="secondary">诉求内容原文：</Typography.Text>
          <span className="pre-wrap">{clear.originalText.content}</span>
        </div>
      )}
      {clear?.originalMessage && (
        <div data-testid="original-message">
          <Typography.Text type="secondary">来电来信原文：</Typography.Text>
          <span className="pre-wrap">{clear.originalMessage}</span>
        </div>
      )}
      <RevealDialog
        title="查看诉求人个人信息"
        open={open}
        onClose={() => setOpen(false)}
        reveal={async (purpose) => setClear(await api.tickets.reveal(ticket.id, purpose))}
        note={ticket.textMasked && '诉求内容中已隐藏的电话、证件号、银行卡号、姓名和门牌号将一并显示。'}
      />
      {!!ticket.coRequesters?.length && <CoRequesters ticket={ticket} canReveal={canReveal} />}
    </>
  );
}

/** 第十七条: the requesters a merge (并单) brought: each is told the result, so each is listed, masked, revealable. */
function CoRequesters({ ticket, canReveal }: { ticket: TicketView; canReveal: boolean }) {
  const [revealing, setRevealing] = useState<number | null>(null);
  const [clear, setClear] = useState<Record<number, RevealedPersonalData>>({});
  return (
    <div data-testid="co-requesters" style={{ marginTop: 4 }}>
      <Typography.Text type="secondary">并单诉求人（{ticket.coRequesters!.length}）：</Typography.Text>
      {ticket.coRequesters!.map((r) => (
        <div key={r.id}>
          <Space size={4} wrap>
            <span>{clear[r.id] ? (clear[r.id]!.name ?? '（未留姓名）') : (r.name ?? '（未留姓名）')}</span>
            <span>{clear[r.id] ? (clear[r.id]!.phone ?? '（未留电话）') : (r.phone ?? '（未留电话）')}</span>
            {r.sourceTicketNumber && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                原工单 {r.sourceTicketNumber}
              </Typography.Text>
            )}
            {clear[r.id] ? (
              <Typography.Text type="warning" style={{ fontSize: 12 }}>
                （明文，已审计）
              </Typography.Text>
            ) : (
              canReveal && (
                <Button
                  size="small"
                  type="link"
                  icon={<EyeOutlined />}
                  aria-label={`显示并单诉求人 ${r.name ?? ''}`}
                  onClick={() => setRevealing(r.id)}
                >
                  显示
                </Button>
              )
            )}
          </Space>
        </div>
      ))}
      <RevealDialog
        title="查看并单诉求人个人信息"
        open={revealing !== null}
        onClose={() => setRevealing(null)}
        reveal={async (purpose) => {
          const id = revealing!;
          const c = await api.tickets.reveal(ticket.id, purpose, id);
          setClear((m) => ({ ...m, [id]: c }));
        }}
      />
    </div>
  );
}
