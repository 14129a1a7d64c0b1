import { useCallback } from 'react';
import { App, Button } from 'antd';
import { errorMessage } from '../api/client';
import { announce } from '../lib/announce';

/** How long a success message offers 撤销 (issue 14: messages must not vanish before they can be read and used). */
export const UNDO_SECONDS = 10;
/** After the 撤销 button loses focus or the pointer, how long the message still stays. */
const LINGER_SECONDS = 4;

let seq = 0;

/**
 * Issue 14 "undo where the law allows it": a success message with a 撤销 button that calls the action's inverse.
 * It stays {@link UNDO_SECONDS} s, and for as long as the button has the keyboard focus or the pointer, so a
 * keyboard user who tabs to it is not cut off; the screen reader is told the message and that it can be undone.
 * `undo` returns the message to show once undone.
 */
export function useUndoToast() {
  const { message } = App.useApp();
  return useCallback(
    (text: string, undo: () => Promise<string>) => {
      const key = `undo-${++seq}`;
      let started = false;
      const run = async () => {
        if (started) return;
        started = true;
        // the outcome is a message of its own (a new notice, read out anew), not an edit of this one
        message.destroy(key);
        try {
          const done = await undo();
          void message.success(done, 6);
          announce(done);
        } catch (e) {
          const failed = `撤销未成功：${errorMessage(e)}`;
          void message.error(failed, 8);
          announce(failed);
        }
      };
      const show = (duration: number) =>
        void message.open({
          key,
          type: 'success',
          duration,
          content: (
            <span data-testid="undo-toast">
              {text}
              <Button
                type="link"
                size="small"
                data-testid="undo-button"
                onClick={() => void run()}
                onFocus={() => !started && show(0)}
                onBlur={() => !started && show(LINGER_SECONDS)}
                onMouseEnter={() => !started && show(0)}
                onMouseLeave={() => !started && show(LINGER_SECONDS)}
              >
                撤销
              </Button>
            </span>
          ),
        });
      show(UNDO_SECONDS);
      announce(`${text}。${UNDO_SECONDS} 秒内可撤销`);
    },
    [message],
  );
}
