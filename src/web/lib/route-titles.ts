import { matchPath } from 'react-router-dom';

// 无障碍 (WCAG 2.1 2.4.2 页面标题): every route has its own document title, "工单查询 - 菏泽12345", so a screen reader
// user and anyone with many tabs open knows where they are. The most specific pattern comes first.

export const SITE_NAME = '菏泽12345';

const TITLES: Array<[pattern: string, title: string]> = [
  ['/login', '登录'],
  // 公众服务
  ['/portal', '网上服务首页'],
  ['/portal/submit', '我要留言'],
  ['/portal/track', '查询办理进度'],
  ['/portal/about', '热线须知'],
  ['/portal/knowledge', '查一查'],
  ['/portal/knowledge/:id', '答复详情'],
  ['/portal/disclosure', '数据公开'],
  ['/portal/disclosure/:month', '月度数据公开'],
  // 工作台
  ['/overview', '概览'],
  ['/intake', '受理台'],
  ['/dispatch', '待派单'],
  ['/reviews', '申请审核'],
  ['/callback', '待回访'],
  ['/unit/lead', '本单位工单'],
  ['/unit/assist', '协办任务'],
  ['/unit/sub-dispatches', '转派工单'],
  ['/unit/supervision', '督办件'],
  ['/unit/matter-tasks', '专题任务'],
  ['/tickets', '工单查询'],
  ['/tickets/:id', '工单详情'],
  ['/supervision', '督办工作台'],
  ['/supervision/cases/:id', '督办件详情'],
  ['/supervision/cases/:id/notice', '督办通知书'],
  ['/supervision/complaints', '工作人员投诉'],
  ['/supervision/referrals', '问责移送'],
  ['/supervision/referrals/:id', '问责移送详情'],
  ['/presence', '坐席状态'],
  ['/matters', '专题治理'],
  ['/matters/new', '新建专题'],
  ['/matters/:id', '专题详情'],
  ['/audit/pii', '个人信息访问审计'],
  ['/audit/access', '数据访问日志'],
  ['/audit/admin', '操作审计'],
  ['/knowledge/mine', '单位知识管理'],
  ['/knowledge/review', '知识审核'],
  ['/knowledge/all', '全部知识'],
  ['/knowledge/flags', '知识纠错'],
  ['/knowledge/synonyms', '同义词'],
  ['/knowledge/figures', '知识库统计'],
  ['/knowledge/articles/:id', '知识详情'],
  ['/assessment', '考核结果'],
  ['/assessment/appeals', '考核申诉'],
  ['/assessment/schemes', '考核方案'],
  ['/service-figures', '服务指标'],
  ['/disclosure', '信息公开'],
  ['/disclosure/:id', '信息公开报告'],
  ['/analytics', '热点分析'],
  ['/unit/sub-dispatches', '转派工单'],
  ['/forecast', '季节预测'],
  ['/emerging', '新兴诉求'],
  ['/unit-analysis', '月度分析'],
  ['/grids/report', '主动发现'],
  ['/grids/town', '网格视图'],
  ['/warnings', '风险预警'],
  ['/admin/warning-rules', '预警规则'],
  // 第二十九条 网格化管理
  ['/grids/report', '主动发现'],
  ['/grids/town', '网格视图'],
  ['/grids/admin', '网格管理'],
  ['/forecast', '季节预测'],
  ['/emerging', '新兴诉求'],
  ['/unit-analysis', '月度分析'],
  ['/account/password', '修改密码'],
  ['/account/security', '账户安全'],
  ['/admin/users', '用户'],
  ['/admin/units', '单位与区划'],
  ['/admin/categories', '事项分类'],
  ['/admin/catalogue', '派单目录'],
  ['/admin/time-limits', '办理时限'],
  ['/admin/calendar', '工作日历'],
  ['/admin/abuse-flags', '滥用标记审核'],
  ['/admin/login-locks', '登录锁定'],
  ['/admin/security', '安全策略'],
  ['/admin/sharing', '数据推送订阅'],
  ['/admin/api-tokens', '对接令牌'],
  ['/admin/pii-keys', '个人信息密钥'],
  ['/admin/classification', '智能分类'],
];

/** The page's own name for a path ("工单查询"), or null for a path not in the table. */
export function routeName(pathname: string): string | null {
  // a static segment ("/matters/new") wins over a parameter ("/matters/:id"): exact patterns are tried first
  for (const [pattern, title] of TITLES) if (!pattern.includes(':') && matchPath(pattern, pathname)) return title;
  for (const [pattern, title] of TITLES) if (matchPath(pattern, pathname)) return title;
  return null;
}

/** The document title of a path: "工单查询 - 菏泽12345"; `fallback` (the menu's label) for a path not in the table. */
export function documentTitle(pathname: string, fallback?: string): string {
  const name = routeName(pathname) ?? fallback ?? null;
  return name ? `${name} - ${SITE_NAME}` : `${SITE_NAME}政务服务便民热线`;
}
