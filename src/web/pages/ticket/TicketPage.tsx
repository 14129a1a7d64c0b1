import { useNavigate, useParams } from 'react-router-dom';
import { Button, Result } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { TicketDetail } from '../../components/ticket/TicketDetail';
import { PageHeader } from '../../components/PageHeader';
import { SupervisionPanel } from '../../components/ticket/SupervisionPanel';
import { MatterTag } from '../../components/ticket/MatterTag';

/** One ticket with its whole history, at /tickets/:id. */
export default function TicketPage() {
  const { id } = useParams();
  const nav = useNavigate();
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) return <Result status="404" title="工单不存在或无权查看" />;
  return (
    <>
      <PageHeader
        title="工单详情"
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => nav(-1)}>
            返回
          </Button>
        }
      />
      {/* 第二十五条: the ticket's matter under special study (above); 第二十二条: its 黄牌/红牌 and supervision cases,
          督办 for supervisors (below) — both only once the ticket loaded */}
      <TicketDetail
        id={n}
        above={<MatterTag ticketId={n} />}
        below={(t) => <SupervisionPanel ticketId={n} ticketNumber={t.number} leadUnitId={t.leadUnitId} />}
      />
    </>
  );
}
