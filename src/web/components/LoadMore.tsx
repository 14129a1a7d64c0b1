import { Button } from 'antd';
import type { KeysetList } from '../lib/useKeysetList';

/**
 * 加载更多 under a list paged by cursor (lib/useKeysetList.ts): shown while the server says there is more. While
 * any page is on its way the button waits, so a second click cannot ask for the same page twice. Under a table it
 * spans the table's width; `inline` for a footer that also shows the count and the export.
 */
export function LoadMore({
  list,
  inline = false,
}: {
  list: Pick<KeysetList<unknown>, 'hasMore' | 'loadMore' | 'loading'>;
  inline?: boolean;
}) {
  if (!list.hasMore) return null;
  return (
    <Button
      block={!inline}
      style={inline ? undefined : { marginTop: 8 }}
      onClick={list.loadMore}
      loading={list.loading}
      data-testid="load-more"
    >
      加载更多
    </Button>
  );
}
