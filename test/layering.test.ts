import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// House rule (DESIGN §6): one-way layers. The web and the shared folder never import the server; code both need
// lives in src/shared.
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('layering', () => {
  it.each(['src/web', 'src/shared'])('%s imports nothing from src/server', (dir) => {
    const offenders = sources(dir).filter((f) => /from\s+'[^']*\/server\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
