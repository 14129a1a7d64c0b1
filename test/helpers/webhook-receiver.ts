import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/server/domain/webhook-signature.js';

// A unit's receiving system as the documentation asks it to be written (docs/data-sharing.md): it checks the
// signature and the replay window, and honours the idempotency key (X-Hz-Event-Id) — a message it has processed
// is acknowledged again without being processed twice. It can fail on purpose, hang, and be killed and restarted.

export type ReceiverMode = 'ok' | 'fail' | 'ack-lost' | 'hang' | 'refuse';

export interface Received {
  eventId: string;
  type: string;
  body: string;
  signature: string;
  timestamp: string;
  signatureOk: boolean;
  duplicate: boolean;
}

export class WebhookReceiver {
  mode: ReceiverMode = 'ok';
  /** every request that arrived, in arrival order */
  readonly requests: Received[] = [];
  /** messages processed, each once, in processing order */
  readonly processed: Received[] = [];
  private readonly seen = new Set<string>();
  private server: Server | undefined;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  constructor(
    public secrets: string[],
    private readonly nowSeconds: () => number,
    readonly path = '/hz-webhook',
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  async start(port = this.port): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Kills it: open connections are cut, new ones are refused until start() again. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = String(req.headers['x-hz-signature'] ?? '');
    const timestamp = String(req.headers['x-hz-timestamp'] ?? '');
    const signatureOk = this.secrets.some((s) => verifySignature({ header, timestamp, body }, s, this.nowSeconds()).ok);
    const eventId = String(req.headers['x-hz-event-id'] ?? '');
    const r: Received = {
      eventId,
      type: String(req.headers['x-hz-event-type'] ?? ''),
      body,
      signature: header,
      timestamp,
      signatureOk,
      duplicate: this.seen.has(eventId),
    };
    this.requests.push(r);
    if (this.mode === 'hang') return; // never answers; the sender's timeout ends it
    if (!signatureOk) return void res.writeHead(401).end('bad signature');
    if (this.mode === 'fail') return void res.writeHead(500).end('receiver failing on purpose');
    if (this.mode === 'refuse') return void res.writeHead(400).end('refused');
    if (!this.seen.has(eventId)) {
      this.seen.add(eventId);
      this.processed.push(r);
    }
    // processed, but the acknowledgement is lost: the sender will send it again
    if (this.mode === 'ack-lost') return void res.writeHead(500).end('ack lost');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}
