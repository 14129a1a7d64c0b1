// `npm test`'s static checks side by side: tsc and ESLint's type-aware rules each keep one core busy for about a
// minute, one after the other they cost twice that on a two-core machine. Runs the named npm scripts at once, prints
// each one's output whole when it ends (never interleaved), and fails when any of them fails.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
const children = new Set();
const run = (name) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (err) => out.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => {
      children.delete(child);
      const ok = code === 0;
      process.stdout.write(`── npm run ${name}: ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`}\n`);
      process.stdout.write(Buffer.concat(out));
      resolve(ok);
    });
  });

// Ctrl-C stops the checks too
process.on('SIGINT', () => {
  for (const c of children) c.kill('SIGINT');
  process.exit(130);
});
const results = await Promise.all(names.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
