import type { AbuseService } from '../intake/abuse.service.js';
import type { SmsSurveyService } from '../public/sms-survey.service.js';
import type { ContactService, IntakeDeps } from '../intake/contacts.service.js';
import type { ChannelSettings } from './channel-settings.js';
import { CtiService } from './cti.service.js';
import { FormTokens } from './form-token.js';
import { ScreenPopHub } from './screen-pop-hub.js';
import { WechatService } from './wechat.service.js';
import { WeiboOutbox } from './weibo-outbox.service.js';
import type { FastifyBaseLogger } from 'fastify';

/** The channel adapters of 第二条, built once per app; each one ends in ContactService.record. */
export class ChannelServices {
  readonly hub = new ScreenPopHub();
  readonly cti: CtiService;
  readonly wechat: WechatService;
  readonly formTokens: FormTokens;
  readonly clock: IntakeDeps['clock'];
  readonly weiboOutbox: WeiboOutbox;

  constructor(
    deps: IntakeDeps,
    contacts: ContactService,
    abuse: AbuseService,
    survey: SmsSurveyService,
    readonly settings: ChannelSettings,
    log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
  ) {
    this.clock = deps.clock;
    this.weiboOutbox = new WeiboOutbox(deps, log);
    this.cti = new CtiService(deps, contacts, abuse, this.hub);
    this.wechat = new WechatService(deps, contacts, survey);
    this.formTokens = new FormTokens(deps.cipher, deps.clock, settings.webForm);
  }
}
