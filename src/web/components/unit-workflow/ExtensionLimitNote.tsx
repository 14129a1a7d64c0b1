import { Alert } from 'antd';
import { handlerApi } from '../../api/unit-workflow';
import { useAsync } from '../../lib/useAsync';

/** 第十六条: the extension limit in total (e.g. 10 working days), what is used and what remains, in the form. */
export function ExtensionLimitNote({ ticketId }: { ticketId: number }) {
  const limit = useAsync(() => handlerApi.extensionLimit(ticketId), [ticketId]);
  const l = limit.data;
  if (!l) return null;
  return (
    <Alert
      type={l.remaining > 0 ? 'info' : 'warning'}
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="extension-limit"
      message={
        l.remaining > 0
          ? `延期累计不得超过 ${l.max} 个工作日：已延期 ${l.used} 个工作日，本次最多可申请 ${l.remaining} 个工作日`
          : `延期已达上限（累计 ${l.max} 个工作日），不能再申请延期`
      }
    />
  );
}
