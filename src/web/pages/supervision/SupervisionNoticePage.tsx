import { useNavigate, useParams } from 'react-router-dom';
import { Button, Space } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import { METHOD_LABELS, STATUS_LABELS, TRIGGER_LABELS } from '../../../shared/domain/supervision';
import { supervisionApi } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DownloadButton } from '../../components/DownloadButton';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { STATUS_LABELS as TICKET_STATUS_LABELS } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { serverNow } from '../../api/client';
import './supervision-notice.css';

/** 督办通知单, printable (the browser's print prints only the sheet); the same content as the server's PDF. */
export default function SupervisionNoticePage() {
  const id = Number(useParams().id);
  const nav = useNavigate();
  const v = useAsync(() => supervisionApi.view(id), [id]);
  const c = v.data?.case;
  return (
    <>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => nav(`/supervision/cases/${id}`)}>
          返回督办件
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
        <DownloadButton icon={<FilePdfOutlined />} url={supervisionApi.noticePdfUrl(id)} fallbackName="督办通知单.pdf">
          下载 PDF
        </DownloadButton>
      </Space>
      <ErrorAlert message={v.errorText} onRetry={() => void v.reload()} />
      {c && v.data && (
        <div className="notice-sheet" data-testid="supervision-notice">
          <h1>菏泽市12345政务服务便民热线督办通知单</h1>
          <div className="notice-number">督办编号：{c.number}</div>
          <p>{c.unit_name}：</p>
          <p>
            根据《菏泽市12345政务服务便民热线条例》第二十二条，你单位存在下列需要督办的情形，现予
            {c.method ? METHOD_LABELS[c.method] : '督办'}。请于 {fmtDateTime(c.due_at)} 前通过热线平台反馈办理情况。
          </p>
          <table>
            <tbody>
              <tr>
                <th>督办情形</th>
                <td>{TRIGGER_LABELS[c.trigger]}</td>
              </tr>
              <tr>
                <th>督办方式</th>
                <td>{c.method ? METHOD_LABELS[c.method] : '待确认'}</td>
              </tr>
              <tr>
                <th>督办层级</th>
                <td>
                  {c.level === 'city' ? '市级督办' : '县（区）级督办'} · 第 {c.round} 次
                </td>
              </tr>
              <tr>
                <th>当前状态</th>
                <td>{STATUS_LABELS[c.status]}</td>
              </tr>
              <tr>
                <th>反馈期限</th>
                <td>{fmtDateTime(c.due_at)}</td>
              </tr>
              <tr>
                <th>督办事由</th>
                <td>{c.reason}</td>
              </tr>
              {v.data.tickets.length > 0 && (
                <tr>
                  <th>涉及工单</th>
                  <td>
                    {v.data.tickets.map((t) => (
                      <div key={t.id}>
                        {t.number}
                        {'\u3000'}
                        {t.title}（{TICKET_STATUS_LABELS[t.status] ?? t.status}）
                      </div>
                    ))}
                  </td>
                </tr>
              )}
              {c.answer && (
                <tr>
                  <th>单位反馈</th>
                  <td>{c.answer}</td>
                </tr>
              )}
            </tbody>
          </table>
          <div className="notice-sign">
            <div>{v.data.centreName}</div>
            <div>{fmtDate(serverNow())}</div>
          </div>
        </div>
      )}
    </>
  );
}
