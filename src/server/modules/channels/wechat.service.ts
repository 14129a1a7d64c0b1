import { AppError } from '../../errors.js';
import { HOTLINE_LABELS } from '../../../shared/domain/standard-phrases.js';
import type { ContactService, IntakeDeps } from '../intake/contacts.service.js';
import { REQUIRED, textReply, type WechatFields } from './wechat.protocol.js';
import { SURVEY_THANKS, type SmsSurveyService } from '../public/sms-survey.service.js';
import { reopenWechatWindow } from './channel-replies.js';

export const WECHAT_RECEIPT = '您的留言已收到，菏泽12345政务服务便民热线将尽快为您受理，办理进展会及时告知您。';

export interface WechatOutcome {
  /** the body to send back: a passive reply XML, or "success" (WeChat's "nothing to say") */
  reply: string;
  contactId?: number;
  duplicate?: boolean;
  msgType: string;
}

// 第二条 微信公众号: each message a user sends to the official account is one contact, idempotent on MsgId.
// Pictures, voice and video stay on WeChat's servers: the push only carries MediaId/PicUrl. Fetching the bytes
// needs the access_token API (api.weixin.qq.com, cgi-bin/media/get), which this deployment cannot reach; the
// references are kept in meta (media: 'not_fetched') for a media fetcher to download later. No bytes are faked.
export class WechatService {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly contacts: ContactService,
    private readonly survey: SmsSurveyService,
  ) {}

  async receive(f: WechatFields, centreUnitId: number | null): Promise<WechatOutcome> {
    const type = f.MsgType!;
    for (const k of REQUIRED[type] ?? ['MsgId'])
      if (!f[k]) throw new AppError('bad_request', `微信消息格式不正确：${type} 消息缺少 ${k}`);
    // subscribe, unsubscribe, menu clicks… are not contacts; "success" tells WeChat not to retry
    if (type === 'event') return { reply: 'success', msgType: `event:${f.Event}` };
    if (!/^\d{1,30}$/.test(f.MsgId!)) throw new AppError('bad_request', '微信消息格式不正确：MsgId 应为数字');
    const openId = f.FromUserName!;
    const rec = await this.contacts.record({
      channel: 'wechat',
      externalId: f.MsgId,
      receivedAt: new Date(Number(f.CreateTime) * 1000),
      content: contentOf(f),
      requester: { wechatOpenId: openId },
      centreUnitId,
      meta: this.metaOf(f),
    });
    // The user writing again reopens WeChat's 48-hour window: answers that missed it go out now.
    if (!rec.duplicate && rec.requesterId)
      await reopenWechatWindow(this.deps.db, rec.requesterId, this.deps.clock.now());
    // 第十七条: a bare "1/2/3" answering the survey of the reply notice is the evaluation, and is thanked at once
    const answered =
      type === 'text' && !rec.duplicate
        ? await this.survey.answer({ id: rec.id, requesterId: rec.requesterId, text: f.Content! })
        : null;
    if (answered)
      return {
        reply: textReply(openId, f.ToUserName!, SURVEY_THANKS, this.deps.clock.now()),
        contactId: rec.id,
        duplicate: false,
        msgType: type,
      };
    const urgent = rec.emergency
      ? `如情况紧急，请立即拨打${rec.emergency.line}（${HOTLINE_LABELS[rec.emergency.line]}）。`
      : '';
    // A redelivery (WeChat retries when a reply takes over 5 s) gets the same answer and writes nothing.
    return {
      reply: textReply(openId, f.ToUserName!, urgent + WECHAT_RECEIPT, this.deps.clock.now()),
      contactId: rec.id,
      duplicate: rec.duplicate,
      msgType: type,
    };
  }

  private metaOf(f: WechatFields): Record<string, unknown> {
    const media = f.MediaId
      ? {
          mediaId: f.MediaId,
          picUrl: f.PicUrl ?? null,
          thumbMediaId: f.ThumbMediaId ?? null,
          format: f.Format ?? null,
          media: 'not_fetched',
        }
      : {};
    return {
      msgType: f.MsgType,
      account: f.ToUserName,
      createTime: Number(f.CreateTime),
      ...media,
      ...(f.MsgType === 'voice' ? { recognition: f.Recognition ?? null } : {}),
      ...(f.MsgType === 'location'
        ? {
            location: {
              x: Number(f.Location_X),
              y: Number(f.Location_Y),
              scale: f.Scale ? Number(f.Scale) : null,
              label: f.Label ?? null,
            },
          }
        : {}),
      ...(f.MsgType === 'link' ? { link: { title: f.Title, description: f.Description ?? null, url: f.Url } } : {}),
      // the openid is needed to answer later through the customer-service API; kept encrypted like a phone number
      openIdEnc: this.deps.cipher.encrypt(f.FromUserName!),
    };
  }
}

function contentOf(f: WechatFields): string {
  switch (f.MsgType) {
    case 'text':
      return f.Content!;
    case 'image':
      return '[图片]';
    // WeChat's own speech recognition, when the account has it switched on, is the best text we have
    case 'voice':
      return f.Recognition ? f.Recognition : '[语音]';
    case 'video':
    case 'shortvideo':
      return '[视频]';
    case 'location':
      return `[位置] ${f.Label ?? ''}（${f.Location_X}, ${f.Location_Y}）`.trim();
    case 'link':
      return `[链接] ${f.Title} ${f.Url}`;
    default:
      return `[${f.MsgType} 消息]`;
  }
}
