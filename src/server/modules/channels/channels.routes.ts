import type { FastifyInstance } from 'fastify';
import type { Services } from '../../http/services.js';
import { ctiRoutes } from './cti.routes.js';
import { partnerRoutes } from './partner.routes.js';
import { smsRoutes } from './sms.routes.js';
import { webFormRoutes } from './web-form.routes.js';
import { wechatRoutes } from './wechat.routes.js';
import { weiboRoutes } from './weibo.routes.js';

/** Every inbound channel of 第二条. The contracts are documented in docs/channels.md. */
export function channelRoutes(app: FastifyInstance, s: Services) {
  const ch = s.channels;
  ctiRoutes(app, ch);
  smsRoutes(app, s);
  wechatRoutes(app, ch);
  weiboRoutes(app, s);
  webFormRoutes(app, s, ch);
  partnerRoutes(app, s);
  // Open SSE streams would keep the server from closing.
  app.addHook('preClose', async () => ch.hub.closeAll());
}
