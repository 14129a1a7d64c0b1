import { Alert, Button, Flex, Typography } from 'antd';
import { AlertOutlined } from '@ant-design/icons';
import type { EmergencyLine, EmergencySuggestion } from '../../../api/contact-types';
import { HOTLINE_LABELS, HOTLINES } from '../../../lib/dispositions';

/**
 * 第十三条第一项: the system's suggestion that this reads like an emergency, in red, with the transfer one click
 * away. Nothing disables these buttons — not a missing field, not a flag on the caller; the other lines stay
 * available in case the agent hears something the text does not say.
 */
export function EmergencyAlert({
  suggestion,
  busy,
  error,
  onTransfer,
}: {
  suggestion: EmergencySuggestion;
  busy: EmergencyLine | null;
  error: string | null;
  onTransfer: (line: EmergencyLine) => void;
}) {
  return (
    <Alert
      type="error"
      showIcon
      icon={<AlertOutlined />}
      data-testid="emergency-alert"
      data-line={suggestion.line}
      style={{ marginBottom: 12, borderWidth: 2 }}
      message={
        <Typography.Text strong style={{ color: '#cf1322', fontSize: 16 }}>
          疑似紧急事项：建议立即转接 {HOTLINE_LABELS[suggestion.line]}（关键词“{suggestion.cue}”）
        </Typography.Text>
      }
      description={
        <Flex vertical gap={8}>
          <Flex gap={8} wrap>
            <Button
              type="primary"
              danger
              size="large"
              loading={busy === suggestion.line}
              onClick={() => onTransfer(suggestion.line)}
              data-testid="transfer-suggested"
            >
              一键转接 {suggestion.line}
            </Button>
            {HOTLINES.filter((l) => l !== suggestion.line).map((l) => (
              <Button key={l} danger loading={busy === l} onClick={() => onTransfer(l)}>
                转 {l}
              </Button>
            ))}
          </Flex>
          {error && (
            <Typography.Text type="danger" role="alert">
              {error}
            </Typography.Text>
          )}
        </Flex>
      }
    />
  );
}

/** The four lines, always one click away, for when the caller says it before the text does. */
export function EmergencyBar({
  busy,
  onTransfer,
}: {
  busy: EmergencyLine | null;
  onTransfer: (line: EmergencyLine) => void;
}) {
  return (
    <Flex gap={4} align="center" data-testid="emergency-bar">
      <Typography.Text type="danger" style={{ fontSize: 12 }}>
        紧急转接
      </Typography.Text>
      {HOTLINES.map((l) => (
        <Button
          key={l}
          size="small"
          danger
          loading={busy === l}
          onClick={() => onTransfer(l)}
          aria-label={`紧急转接 ${HOTLINE_LABELS[l]}`}
        >
          {l}
        </Button>
      ))}
    </Flex>
  );
}
