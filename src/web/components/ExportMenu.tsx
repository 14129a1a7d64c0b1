import { useState, type CSSProperties } from 'react';
import { Button, Dropdown, Modal, Progress, Typography, message } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { errorMessage } from '../api/client';
import { estimatePercent, runServerExport, type ExportFormat, type ExportProgressState } from '../lib/export-file';

// 导出 with a choice of CSV or Excel — one control for every staff table (issue 10).

const ITEMS = [
  { key: 'xlsx', label: 'Excel（.xlsx）' },
  { key: 'csv', label: 'CSV（.csv）' },
];

/** The dropdown alone: what to do with the chosen format is the caller's (a table in the browser, or the server). */
export function ExportMenu({
  onExport,
  disabled,
  loading,
  testId,
  label = '导出',
  size,
  style,
}: {
  onExport: (format: ExportFormat) => void;
  disabled?: boolean;
  loading?: boolean;
  testId?: string;
  label?: string;
  size?: 'small' | 'middle';
  style?: CSSProperties;
}) {
  return (
    <Dropdown
      disabled={disabled}
      trigger={['click']}
      menu={{ items: ITEMS, onClick: ({ key }) => onExport(key as ExportFormat) }}
    >
      <Button
        icon={<DownloadOutlined />}
        loading={loading}
        disabled={disabled}
        data-testid={testId}
        size={size}
        style={style}
      >
        {label}
      </Button>
    </Dropdown>
  );
}

const fmtBytes = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

/**
 * A server export with its progress: the dropdown, and while the file streams in a dialog with a progress bar
 * (rows received of the total for CSV; bytes and an estimate for Excel). `request` says what to ask for in a format.
 */
export function ServerExportMenu({
  request,
  name,
  disabled,
  testId,
}: {
  request: (format: ExportFormat) => { url: string; body?: unknown };
  name: string;
  disabled?: boolean;
  testId?: string;
}) {
  const [progress, setProgress] = useState<ExportProgressState | null>(null);
  const run = (format: ExportFormat) => {
    setProgress({ format, total: null, rows: 0, bytes: 0, done: false });
    runServerExport(request(format), format, `${name}.${format}`, setProgress)
      .then((r) =>
        r.capped
          ? void message.warning(`已达导出上限，只导出了前 ${r.rows} 行（文件末行有说明）：请缩小筛选范围后分批导出`)
          : void message.success(`已导出 ${r.rows} 行：${r.name}`),
      )
      .catch((e: unknown) => void message.error(`导出失败：${errorMessage(e)}`))
      .finally(() => setTimeout(() => setProgress(null), 600));
  };
  const percent = progress ? estimatePercent(progress) : 0;
  return (
    <>
      <ExportMenu onExport={run} disabled={disabled} loading={!!progress} testId={testId} />
      <Modal open={!!progress} title={`正在导出：${name}`} footer={null} closable={false} maskClosable={false}>
        {progress && (
          <div data-testid="export-progress" data-done={progress.done ? 'true' : 'false'}>
            {/* without a row count (an audit log streams without one) the bar runs until the file is in */}
            <Progress
              percent={progress.total === null && !progress.done ? 99 : percent}
              showInfo={progress.total !== null || progress.done}
              status={progress.done ? 'success' : 'active'}
            />
            <Typography.Text type="secondary">
              {progress.total === null
                ? progress.bytes
                  ? `已接收 ${fmtBytes(progress.bytes)}`
                  : '正在准备数据…'
                : progress.format === 'csv'
                  ? `已接收 ${Math.min(progress.rows, progress.total)} / ${progress.total} 行（${fmtBytes(progress.bytes)}）`
                  : `共 ${progress.total} 行，已接收 ${fmtBytes(progress.bytes)}`}
            </Typography.Text>
          </div>
        )}
      </Modal>
    </>
  );
}
