import { Link } from 'react-router-dom';
import { Alert, Button } from 'antd';
import { ProjectOutlined } from '@ant-design/icons';
import { MATTER_STATUS_LABELS } from '../../../shared/domain/matters';
import { mattersApi } from '../../api/matters';
import { useMe } from '../../auth/session';
import { hasRole, isCentre } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';

/**
 * 第二十五条 on the ticket page: the ticket's matter is under special study (专题研究). A supervisor may start a
 * matter from a ticket not yet in one.
 */
export function MatterTag({ ticketId }: { ticketId: number }) {
  const me = useMe();
  const data = useAsync(() => mattersApi.byTicket(ticketId), [ticketId]);
  const m = data.data?.matter;
  if (!m) {
    if (!data.data || !(isCentre(me) && hasRole(me, 'supervisor'))) return null;
    return (
      <div style={{ marginBottom: 12, textAlign: 'right' }}>
        <Link to={`/matters/new?seedTicketId=${ticketId}`}>
          <Button size="small" icon={<ProjectOutlined />}>
            以此工单发起专题
          </Button>
        </Link>
      </div>
    );
  }
  return (
    <Alert
      data-testid="matter-tag"
      type={m.status === 'archived' ? 'info' : 'warning'}
      showIcon
      icon={<ProjectOutlined />}
      style={{ marginBottom: 12 }}
      message={
        <>
          该诉求事项已纳入专题研究：
          {m.canOpen ? <Link to={`/matters/${m.id}`}>{m.title}</Link> : m.title}（{MATTER_STATUS_LABELS[m.status]}）
        </>
      }
    />
  );
}
