import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Popconfirm } from 'antd';
import { BulbOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { authoringApi } from '../../api/knowledge-authoring';
import type { TicketView } from '../../api/types';
import { useMe } from '../../auth/session';
import { isUnitStaff } from '../../lib/permissions';

/**
 * 第十八条 (诉求答复内容): the lead unit turns its reply into a draft article in one click. The server uses only the
 * unit's reply (never the requester's words or personal data); the draft opens for the unit to finish and submit.
 */
export function ProposeKnowledgeButton({ ticket }: { ticket: TicketView }) {
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!ticket.reply || !isUnitStaff(me) || ticket.leadUnitId !== me.unitId) return null;
  return (
    <Popconfirm
      title="把本答复提议为知识？"
      description="将以本单位的答复内容新建一条知识草稿（不含诉求人的原话和个人信息），完善后提交审核。"
      okText="提议"
      cancelText="取消"
      onConfirm={async () => {
        setBusy(true);
        try {
          const s = await authoringApi.proposeFromTicket(ticket.id);
          message.success('已新建知识草稿');
          nav(`/knowledge/articles/${s.id}`);
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Button size="small" icon={<BulbOutlined />} loading={busy} data-testid="propose-knowledge">
        提议为知识
      </Button>
    </Popconfirm>
  );
}
