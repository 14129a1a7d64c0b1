// 第二十七条 风险预警: the vocabulary and the state machine of a warning, shared by the server (which enforces them)
// and the web (which offers only the allowed steps).

export const WARNING_KINDS = ['spike', 'collective', 'sensitive'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];
export const WARNING_KIND_LABELS: Record<WarningKind, string> = {
  spike: '诉求量突增',
  collective: '集体诉求',
  sensitive: '敏感风险',
};

/** Significance, lowest first (the spike detector's levels; a word's or a cluster's size for the others). */
export const WARNING_LEVELS = ['yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const WARNING_LEVEL_NAMES: Record<WarningLevel, string> = { yellow: '一般', orange: '较重', red: '严重' };
export const WARNING_LEVEL_COLOURS: Record<WarningLevel, string> = { yellow: 'gold', orange: 'orange', red: 'red' };

/** 新预警 → 已确认 → 已指派 → 已关闭 (a warning may be closed from any open status, with a note). */
export const WARNING_STATUSES = ['new', 'acknowledged', 'assigned', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const WARNING_STATUS_LABELS: Record<WarningStatus, string> = {
  new: '新预警',
  acknowledged: '已确认',
  assigned: '已指派',
  closed: '已关闭',
};

export const WARNING_ACTIONS = ['acknowledge', 'assign', 'link', 'close'] as const;
export type WarningAction = (typeof WARNING_ACTIONS)[number];
export const WARNING_ACTION_LABELS: Record<WarningAction, string> = {
  acknowledge: '确认',
  assign: '指派',
  link: '关联专题',
  close: '关闭',
};

/** The status after an action, or null when the warning's status does not allow it ('link' keeps the status). */
export function nextWarningStatus(from: WarningStatus, action: WarningAction): WarningStatus | null {
  if (from === 'closed') return null;
  switch (action) {
    case 'acknowledge':
      return from === 'new' ? 'acknowledged' : null;
    case 'assign':
      // assigning again hands it to someone else; assigning a new warning acknowledges it on the way
      return 'assigned';
    case 'link':
      return from;
    case 'close':
      return 'closed';
  }
}

export function warningActions(from: WarningStatus): WarningAction[] {
  return WARNING_ACTIONS.filter((a) => nextWarningStatus(from, a) !== null);
}

export const maxLevel = (a: WarningLevel, b: WarningLevel): WarningLevel =>
  WARNING_LEVELS.indexOf(a) >= WARNING_LEVELS.indexOf(b) ? a : b;
