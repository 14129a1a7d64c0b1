// Before `npm start`: builds the web app (dist/web) when it is missing or older than its sources, so a fresh
// checkout serves the UI on the first start and an up-to-date build costs only a directory scan.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const index = join(root, 'dist/web/index.html');
// The web imports src/shared (contracts and pure domain code), so it counts as its sources too.
const sources = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'].map((p) => join(root, p));

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

const built = existsSync(index) ? statSync(index).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (built && built >= changed) process.exit(0);

console.log(
  built ? 'Web sources changed since the last build: rebuilding dist/web …' : 'No web build yet: building dist/web …',
);
let vite;
try {
  vite = await import('vite');
} catch {
  console.error(
    'Cannot build the web app: vite is not installed (run `npm install`, including dev dependencies). The API still starts; pages will say the build is missing.',
  );
  process.exit(0);
}
await vite.build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
console.log('Web build ready.');
