// 第十二条: "使用规范用语耐心解答". The standard phrase the requester hears or reads for each disposition.
export const LEGAL_CHANNEL_LABELS: Record<string, string> = {
  litigation: '人民法院诉讼',
  arbitration: '仲裁机构仲裁',
  discipline_inspection: '纪检监察机关',
  administrative_reconsideration: '行政复议机关',
  information_disclosure: '政府信息公开申请',
  petition: '信访渠道',
};

export const HOTLINE_LABELS: Record<string, string> = {
  '110': '110报警服务台',
  '119': '119火警',
  '120': '120急救中心',
  '122': '122交通事故报警',
};

const SECRET_LABELS: Record<string, string> = {
  state_secret: '国家秘密',
  trade_secret: '商业秘密',
  personal_information: '个人信息',
};

/** Text as one closed sentence: trailing blanks and stops replaced by a single 。 (a ? or ! the writer chose is kept). */
export function sentence(text: string): string {
  const t = text.trim().replace(/[。．.，,；;、\s]+$/u, '');
  if (!t) return '';
  return /[？?！!」”』）)]$/u.test(t) ? t : `${t}。`;
}

export function standardPhrase(
  d: Record<string, unknown> & { disposition: string },
  extra: { ticketNumber?: string; ticketProgress?: string; channel?: string } = {},
): string {
  // a caller is thanked for calling, everyone else for writing (issue 14: no 来电 for a web message)
  const thanks = !extra.channel || extra.channel === 'phone' ? '感谢您的来电。' : '感谢您的留言。';
  switch (d.disposition) {
    case 'answered':
      // the answer's own closing stop is not doubled (。。)
      return `您好，关于您咨询的问题，答复如下：${sentence(String(d.answer))}${thanks}`;
    case 'transferred':
      return `您反映的情况属于紧急事项，现为您转接${HOTLINE_LABELS[String(d.hotline)]}，请保持电话畅通。`;
    case 'redirected':
      return d.alreadyInChannel
        ? `您反映的事项已进入${LEGAL_CHANNEL_LABELS[String(d.channel)]}办理，请按该渠道的程序继续反映，热线不再重复受理。`
        : `您反映的事项依法应当通过${LEGAL_CHANNEL_LABELS[String(d.channel)]}解决，请您通过该途径依法反映。`;
    case 'repeat':
      return `您反映的事项已在办理（工单号 ${extra.ticketNumber ?? ''}），目前${extra.ticketProgress ?? '正在办理中'}。如有新情况、新理由，请告诉我们。`;
    case 'explained':
      return `您咨询的内容涉及${SECRET_LABELS[String(d.secretKind)]}，依法不能提供，请您理解。${sentence(String(d.explanation))}`;
    case 'admonished':
      return `您的诉求违反了${String(d.violation)}。请您遵守相关法律法规和公序良俗，违法行为将依法承担相应法律责任。`;
    case 'not_accepted':
      return `很抱歉，您反映的事项不属于热线受理范围，理由是：${sentence(String(d.reason))}`;
    case 'dispatched':
      return `您的诉求已受理，工单号 ${extra.ticketNumber ?? ''}，我们将转交承办单位办理，办理结果将及时答复您。`;
    default:
      return '';
  }
}
