// 第十三条(一): matters for 110/119/120/122 are transferred online. The system suggests a transfer when a text
// reads like an emergency so an agent never misses one; the agent decides. The cue lists are deliberately
// broad — a false suggestion costs a glance, a missed fire costs lives.
export type EmergencyLine = '110' | '119' | '120' | '122';

const CUES: Record<EmergencyLine, RegExp> = {
  '119': /(着火|起火|失火|火灾|冒烟|浓烟|烧起来|火势|燃气泄漏|煤气泄漏|液化气泄漏|闻到煤气|爆炸|被困电梯|困在电梯)/,
  '120':
    /(受伤|流血|出血|昏迷|晕倒|休克|不省人事|心脏病|呼吸困难|抽搐|中毒|骨折|急救|救护车|快不行了|割腕|跳楼|服药自杀)/,
  '122': /(车祸|交通事故|撞车|追尾|撞人|被车撞|翻车|肇事逃逸)/,
  '110':
    /(抢劫|打人|打架斗殴|持刀|砍人|杀人|绑架|拐卖|家暴|正在偷|小偷正在|入室盗窃|有人闹事|威胁要杀|非法拘禁|正在打)/,
};

const LABELS: Record<EmergencyLine, string> = { '110': '报警', '119': '火警', '120': '急救', '122': '交通事故' };

export interface EmergencySuggestion {
  line: EmergencyLine;
  label: string;
  cue: string;
}

/** The emergency line a text most likely needs, or null. Fire and medical cues win over police cues. */
export function suggestEmergency(text: string): EmergencySuggestion | null {
  for (const line of ['119', '120', '122', '110'] as const) {
    const m = CUES[line].exec(text);
    if (m) return { line, label: LABELS[line], cue: m[0] };
  }
  return null;
}
