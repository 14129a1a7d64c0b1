import { useState, type ReactNode } from 'react';
import { App, Button } from 'antd';
import { errorMessage } from '../api/client';
import { downloadFile } from '../lib/export-file';

/**
 * A button that downloads a file the server makes (PDF, Excel). It fetches rather than links, so a refusal — no CJK
 * font on the server, a lost session — shows as a Chinese message on the page, and the button waits meanwhile.
 */
export function DownloadButton({
  url,
  fallbackName,
  icon,
  testId,
  children,
}: {
  url: string;
  fallbackName: string;
  icon?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={icon}
      loading={busy}
      data-testid={testId}
      onClick={() => {
        setBusy(true);
        downloadFile(url, fallbackName)
          .catch((e: unknown) => void message.error(errorMessage(e)))
          .finally(() => setBusy(false));
      }}
    >
      {children}
    </Button>
  );
}
