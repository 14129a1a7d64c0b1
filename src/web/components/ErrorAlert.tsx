import { Alert, Button } from 'antd';

/** A load failure with the server's Chinese message and a retry. */
export function ErrorAlert({ message, onRetry }: { message: string | null | undefined; onRetry?: () => void }) {
  if (!message) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={message}
      style={{ marginBottom: 12 }}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
