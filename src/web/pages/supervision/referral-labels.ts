import { CONDUCT_LABELS, type ReferralConduct, type ReferralStatus } from '../../../shared/domain/referrals';

export { CONDUCT_LABELS, REFERRAL_STATUS_LABELS, SUBJECT_KIND_LABELS } from '../../../shared/domain/referrals';

export const REFERRAL_STATUS_COLORS: Record<ReferralStatus, string> = {
  transferred: 'orange',
  accepted: 'blue',
  concluded: 'green',
};

/** Short names of 第三十二条's cases for tags (the full wording is in the form and the PDF). */
const SHORT: Partial<Record<ReferralConduct, string>> = {
  refused_duty: '拒不接收（三十二条一项）',
  unhandled_after_supervision: '经督办仍未办理（三十二条二项）',
  rude_negative_effect: '态度生硬造成负面影响（三十二条三项）',
  leaked_secrets: '泄露秘密或个人信息（三十二条四项）',
  abuse_of_power: '滥用职权玩忽职守（三十二条五项）',
};
export const conductShort = (c: string) => SHORT[c as ReferralConduct] ?? CONDUCT_LABELS[c as ReferralConduct] ?? c;

/** The discipline inspection body of the centre's level: 菏泽市… → 菏泽市纪委监委, 曹县… → 曹县纪委监委. */
export function disciplineBodyOf(centreName: string): string {
  const m = /^(.+?(?:市|县|区))/.exec(centreName);
  return m ? `${m[1]}纪委监委` : '纪委监委';
}
