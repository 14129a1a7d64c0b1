import { deflateSync } from 'node:zlib';
import type { TestServer } from './harness.js';

// What the intake and portal journeys need beyond the harness: a real picture to upload, and the telephone
// system (CTI gateway) pushing calls with its own API token.

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A real PNG of `w`×`h` pixels in one colour (sniffed as image/png by the server, shown as a thumbnail). */
export function png(w = 48, h = 32, rgb: [number, number, number] = [64, 128, 200]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: w }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A phone for the public portal's journeys and screenshots. */
export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export const picture = (name = '现场照片.png', rgb?: [number, number, number]) => ({
  name,
  mimeType: 'image/png',
  buffer: png(64, 48, rgb),
});

/** The telephone system: a gateway token issued by the admin, then CTI events as the gateway posts them. */
export async function ctiGateway(server: TestServer) {
  const admin = await server.as('admin');
  const { token } = await admin.call<{ token: string }>('POST', '/api/auth/tokens', {
    userId: server.ids.users['gateway'],
    name: 'CTI（浏览器测试）',
  });
  return async (event: Record<string, unknown>) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/channels/cti/events',
      headers: { authorization: `Bearer ${token}` },
      payload: event,
    });
    if (res.statusCode >= 400) throw new Error(`CTI ${String(event.type)}: ${res.statusCode} ${res.body}`);
    return res.json() as { contactId: number; applied: boolean; delivered?: number };
  };
}
