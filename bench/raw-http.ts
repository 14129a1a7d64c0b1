import { connect, type Socket } from 'node:net';

// The load generator of bench:intake shares two cores with the server and PostgreSQL, so whatever CPU it takes is
// taken from what is measured (pgbench's client is a lean C program). node:http costs ~0.3–0.5 ms of client CPU a
// request (IncomingMessage streams, header objects, the agent's bookkeeping); this client writes one prepared
// buffer per request on a kept-alive socket and reads the answer by Content-Length. It speaks only what the
// benchmark needs of HTTP/1.1: one request at a time per connection, answers with Content-Length (Fastify's).

export interface RawResponse {
  status: number;
  text: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One kept-alive connection; requests on it are sequential (the pool hands it to one request at a time). */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (err: Error) => {
      this.closed = true;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  static open(url: URL): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<RawResponse> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  private parse() {
    const end = this.buffered.indexOf(HEAD_END);
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.closed = true;
      this.socket.destroy();
      this.waiting.reject(new Error(`HTTP ${status} without Content-Length (not supported by this client)`));
      this.waiting = null;
      return;
    }
    const bodyEnd = end + 4 + Number(length[1]);
    if (this.buffered.length < bodyEnd) return;
    const text = this.buffered.subarray(end + 4, bodyEnd).toString('utf8');
    this.buffered = this.buffered.subarray(bodyEnd);
    if (/\r\nconnection: *close/i.test(head)) this.closed = true;
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status, text });
  }

  destroy() {
    this.closed = true;
    this.socket.destroy();
  }
}

/** Kept-alive connections per base URL, each used by one request at a time; POSTs a JSON body with fixed headers. */
export class RawHttpPool {
  private readonly idle = new Map<string, RawConnection[]>();
  private readonly all = new Set<RawConnection>();

  constructor(private readonly headers: Record<string, string>) {}

  async postJson(base: string, path: string, body: unknown): Promise<RawResponse> {
    const url = new URL(base);
    const payload = Buffer.from(JSON.stringify(body));
    const head =
      `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${payload.length}\r\n` +
      Object.entries(this.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n';
    const list = this.idle.get(base) ?? [];
    this.idle.set(base, list);
    let conn = list.pop();
    try {
      if (!conn) {
        conn = await RawConnection.open(url);
        this.all.add(conn);
      }
      const r = await conn.send(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
      if (!conn.closed) list.push(conn);
      return r;
    } catch (err) {
      conn?.destroy();
      return { status: 0, text: String(err) };
    }
  }

  close() {
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.idle.clear();
  }
}
