// 第十二、十三条 dispositions as the agent sees them: label, the article, and the choices some of them need.
// The legal channels and hotlines come from the server's standard-phrase module, so the words match the phrase.
import { HOTLINE_LABELS, LEGAL_CHANNEL_LABELS } from '../../shared/domain/standard-phrases';
import type { DispositionKind, EmergencyLine, FlagKind } from '../api/contact-types';

export { HOTLINE_LABELS, LEGAL_CHANNEL_LABELS };

export const DISPOSITIONS: Array<{ kind: DispositionKind; label: string; article: string; hint: string }> = [
  { kind: 'dispatched', label: '派单办理', article: '第十二条', hint: '不能当场答复的，形成工单转承办单位办理' },
  { kind: 'answered', label: '在线答复', article: '第十二条', hint: '依据政策、知识库当场答复' },
  {
    kind: 'transferred',
    label: '转接紧急热线',
    article: '第十三条第一项',
    hint: '属于110、119、120、122受理的紧急事项',
  },
  {
    kind: 'redirected',
    label: '引导法定途径',
    article: '第十三条第二项',
    hint: '应当通过诉讼、仲裁、纪检监察、行政复议、政府信息公开、信访等途径解决',
  },
  {
    kind: 'repeat',
    label: '重复诉求',
    article: '第十三条第三项',
    hint: '已受理且在办理期限内、无新情况新理由的重复诉求',
  },
  {
    kind: 'explained',
    label: '涉密解释',
    article: '第十三条第四项',
    hint: '涉及国家秘密、商业秘密、个人信息的，解释说明',
  },
  {
    kind: 'admonished',
    label: '违法告诫',
    article: '第十三条第五项',
    hint: '违反法律法规、违背公序良俗的诉求，告知法律后果',
  },
  { kind: 'not_accepted', label: '不予受理', article: '第十三条第六项', hint: '其他依法不予受理的事项，说明理由' },
];
export const DISPOSITION_LABELS = Object.fromEntries(DISPOSITIONS.map((d) => [d.kind, d.label])) as Record<
  DispositionKind,
  string
>;

export const HOTLINES: EmergencyLine[] = ['119', '120', '110', '122'];
export const SECRET_KIND_LABELS: Record<'state_secret' | 'trade_secret' | 'personal_information', string> = {
  state_secret: '国家秘密',
  trade_secret: '商业秘密',
  personal_information: '个人信息',
};
export const FLAG_KIND_LABELS: Record<FlagKind, string> = {
  repeated_contacts: '恶意反复来电',
  long_occupation: '长时间占线',
  harassment: '骚扰、侮辱、威胁工作人员',
};
export const FLAG_STATUS_LABELS: Record<'open' | 'warned' | 'dismissed', string> = {
  open: '待审核',
  warned: '已警告',
  dismissed: '已撤销',
};
