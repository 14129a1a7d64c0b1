import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// File work for backup and restore: walking a tree, copying with a running sha256, fsync. Backups hold personal
// data (attachments are citizens' pictures and voice), so directories are 0700 and files 0600.

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Every regular file under root as a '/'-separated relative path, sorted; symbolic links are followed. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(join(root, rel));
    for (const name of entries.sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const s = await stat(join(root, r));
      if (s.isDirectory()) await walk(r);
      else if (s.isFile()) out.push(r);
    }
  };
  if (await isDirectory(root)) await walk('');
  return out;
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface Hashed {
  size: number;
  sha256: string;
}

/** Copies src to dest (which must not exist), hashing the bytes on the way; dest is fsynced before this returns. */
export async function copyWithHash(src: string, dest: string): Promise<Hashed> {
  await mkdir(dirname(dest), { recursive: true, mode: DIR_MODE });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(src), tap, createWriteStream(dest, { flags: 'wx', mode: FILE_MODE }));
  await fsyncPath(dest);
  return { size, sha256: hash.digest('hex') };
}

export async function hashFile(p: string): Promise<Hashed> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(p) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Writes a whole file (which must not exist) with 0600 and fsyncs it. */
export async function writeFileSynced(p: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(p, 'wx', FILE_MODE);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a file, or of a directory: its entries (a rename, new files) reach the disk only with the latter. */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
