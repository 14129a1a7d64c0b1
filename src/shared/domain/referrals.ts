// 第二十三、三十二条 misconduct referrals and 第九条 complaints about staff: the vocabularies and the state
// machines, shared by the server (which enforces them) and the web (which offers only the allowed steps).

/**
 * 第二十三条: the conduct of a unit or its staff that the hotline centre refers to the discipline inspection body
 * (推诿扯皮、弄虚作假、不作为、乱作为、工作作风粗暴、服务质量差), and 第三十二条's five cases, word for word.
 */
export const ARTICLE_23_CONDUCTS = [
  'buck_passing',
  'falsification',
  'inaction',
  'arbitrary_action',
  'rude_conduct',
  'poor_service',
] as const;
export const ARTICLE_32_CASES = [
  'refused_duty',
  'unhandled_after_supervision',
  'rude_negative_effect',
  'leaked_secrets',
  'abuse_of_power',
] as const;
export const REFERRAL_CONDUCTS = [...ARTICLE_23_CONDUCTS, ...ARTICLE_32_CASES] as const;
export type ReferralConduct = (typeof REFERRAL_CONDUCTS)[number];

export const CONDUCT_LABELS: Record<ReferralConduct, string> = {
  buck_passing: '推诿扯皮',
  falsification: '弄虚作假',
  inaction: '不作为',
  arbitrary_action: '乱作为',
  rude_conduct: '工作作风粗暴',
  poor_service: '服务质量差',
  refused_duty: '对法定职责内的热线事项拒不接收的',
  unhandled_after_supervision: '对受理的诉求事项应当办理而未办理，经督办仍未办理的',
  rude_negative_effect: '对诉求人服务态度生硬、作风粗暴造成负面影响的',
  leaked_secrets: '违反规定泄露国家秘密、商业秘密、个人信息的',
  abuse_of_power: '其他滥用职权、玩忽职守、徇私舞弊的',
};

/** Where each conduct comes from in the regulation, as the evidence pack cites it. */
export const CONDUCT_ARTICLE: Record<ReferralConduct, string> = {
  buck_passing: '第二十三条',
  falsification: '第二十三条',
  inaction: '第二十三条',
  arbitrary_action: '第二十三条',
  rude_conduct: '第二十三条',
  poor_service: '第二十三条',
  refused_duty: '第三十二条第（一）项',
  unhandled_after_supervision: '第三十二条第（二）项',
  rude_negative_effect: '第三十二条第（三）项',
  leaked_secrets: '第三十二条第（四）项',
  abuse_of_power: '第三十二条第（五）项',
};

export const conductLabel = (c: string): string => {
  const label = CONDUCT_LABELS[c as ReferralConduct];
  return label ? `${label}（${CONDUCT_ARTICLE[c as ReferralConduct]}）` : c;
};

export type ReferralSubjectKind = 'unit' | 'staff';
export const SUBJECT_KIND_LABELS: Record<ReferralSubjectKind, string> = { unit: '单位', staff: '工作人员' };

/** 第二十三条 移交 → 受理 → 处理结果: the discipline body's steps, recorded by the centre as they happen. */
export const REFERRAL_STATUSES = ['transferred', 'accepted', 'concluded'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  transferred: '已移交',
  accepted: '已受理',
  concluded: '已有处理结果',
};
export type ReferralAction = 'accept' | 'conclude';
const REFERRAL_NEXT: Record<ReferralStatus, Partial<Record<ReferralAction, ReferralStatus>>> = {
  transferred: { accept: 'accepted' },
  accepted: { conclude: 'concluded' },
  concluded: {},
};
/** The status after the action, or null when the referral's status does not allow it. */
export function nextReferralStatus(from: ReferralStatus, action: ReferralAction): ReferralStatus | null {
  return REFERRAL_NEXT[from][action] ?? null;
}
export function referralActions(from: ReferralStatus): ReferralAction[] {
  return Object.keys(REFERRAL_NEXT[from]) as ReferralAction[];
}

/** Events on the linked tickets; units never read them (see CENTRE_ONLY_EVENT_KINDS). */
export const REFERRAL_EVENT_KINDS = ['referral_transferred', 'referral_accepted', 'referral_concluded'] as const;

/**
 * Ticket events a unit never sees, on screen or in its feed: a referral is a lead (问题线索) handed to the discipline
 * inspection body about that unit or its staff; telling the subject would let it shape the evidence before the body
 * looks, and would expose the requester who complained to retaliation (第三十三条).
 */
export const CENTRE_ONLY_EVENT_KINDS: readonly string[] = [
  ...REFERRAL_EVENT_KINDS,
  // 第二十二条: a supervisor's proposal (建议) that was not confirmed is the centre's deliberation, not a case the
  // unit must answer; the unit learns of a case when it is confirmed or opened
  'supervision_proposed',
  'supervision_dismissed',
];

// ---- 第九条 complaints about staff -----------------------------------------------------------------------------

export const COMPLAINT_STATUSES = ['open', 'investigating', 'concluded', 'replied', 'closed', 'escalated'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_STATUS_LABELS: Record<ComplaintStatus, string> = {
  open: '待处理',
  investigating: '调查中',
  concluded: '已查明',
  replied: '已答复',
  closed: '已办结',
  escalated: '已移送纪检监察',
};
export const COMPLAINT_FINDINGS = ['substantiated', 'partly_substantiated', 'unsubstantiated'] as const;
export type ComplaintFinding = (typeof COMPLAINT_FINDINGS)[number];
export const COMPLAINT_FINDING_LABELS: Record<ComplaintFinding, string> = {
  substantiated: '属实',
  partly_substantiated: '部分属实',
  unsubstantiated: '不属实',
};

export type ComplaintAction = 'investigate' | 'note' | 'conclude' | 'reply' | 'close' | 'escalate';
const COMPLAINT_NEXT: Record<ComplaintStatus, Partial<Record<ComplaintAction, ComplaintStatus>>> = {
  open: { investigate: 'investigating', escalate: 'escalated' },
  investigating: { note: 'investigating', investigate: 'investigating', conclude: 'concluded', escalate: 'escalated' },
  concluded: { reply: 'replied', escalate: 'escalated' },
  // the requester has the answer; a substantiated complaint may still go to the discipline body afterwards
  replied: { close: 'closed', escalate: 'escalated' },
  closed: {},
  escalated: {},
};
export function nextComplaintStatus(from: ComplaintStatus, action: ComplaintAction): ComplaintStatus | null {
  return COMPLAINT_NEXT[from][action] ?? null;
}
export function complaintActions(from: ComplaintStatus): ComplaintAction[] {
  return Object.keys(COMPLAINT_NEXT[from]) as ComplaintAction[];
}
/** An unsubstantiated complaint is not misconduct: it is answered and closed, never escalated. */
export function canEscalate(status: ComplaintStatus, finding: ComplaintFinding | null): boolean {
  return nextComplaintStatus(status, 'escalate') !== null && finding !== 'unsubstantiated';
}
