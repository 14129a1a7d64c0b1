import { describe, expect, it } from 'vitest';
import { pageByLastId } from './useKeysetList';

describe('pageByLastId (加载更多 over a bare list paged by the last id)', () => {
  const rows = (...ids: number[]) => ids.map((id) => ({ id }));

  it('a full page points past its last row; a short page is the end', () => {
    expect(pageByLastId(rows(9, 8, 7), 3)).toEqual({ items: rows(9, 8, 7), next: 7 });
    expect(pageByLastId(rows(6, 5), 3)).toEqual({ items: rows(6, 5), next: null });
  });

  it('an empty page ends the list (a full last page costs one empty request, then the button goes)', () => {
    expect(pageByLastId([], 3)).toEqual({ items: [], next: null });
  });
});
