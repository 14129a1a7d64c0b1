import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Result, Spin, Tag, Typography, type MenuProps } from 'antd';
import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ApartmentOutlined,
  ClockCircleOutlined,
  FileSearchOutlined,
  InboxOutlined,
  LogoutOutlined,
  PhoneOutlined,
  CustomerServiceOutlined,
  ExclamationCircleOutlined,
  StopOutlined,
  SafetyOutlined,
  SearchOutlined,
  SendOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
  BranchesOutlined,
  LockOutlined,
  FlagOutlined,
  SwapOutlined,
  LineChartOutlined,
  BookOutlined,
  FileDoneOutlined,
  ReadOutlined,
  FileProtectOutlined,
  CloudUploadOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  EyeInvisibleOutlined,
  BulbOutlined,
  TrophyOutlined,
  ProfileOutlined,
  DashboardOutlined,
  HeatMapOutlined,
  EnvironmentOutlined,
  AppstoreOutlined,
  NotificationOutlined,
  ProjectOutlined,
  FundProjectionScreenOutlined,
  WarningOutlined,
  RiseOutlined,
  RadarChartOutlined,
  ClusterOutlined,
} from '@ant-design/icons';
import { useSession, useMe } from '../auth/session';
import { canOpen, hasRole, isUnitStaff } from '../lib/permissions';
import { useReferenceState } from '../lib/reference';
import { ErrorAlert } from './ErrorAlert';
import { useRouteTitle } from '../lib/use-route-title';
import { hasNotifications, NotificationBell } from './notifications/NotificationBell';

interface Item {
  path: string;
  label: string;
  icon: React.ReactNode;
}
const WORK: Item[] = [
  { path: '/overview', label: '概览', icon: <BarChartOutlined /> },
  { path: '/intake', label: '受理台', icon: <CustomerServiceOutlined /> },
  { path: '/dispatch', label: '待派单', icon: <SendOutlined /> },
  { path: '/reviews', label: '申请审核', icon: <AuditOutlined /> },
  { path: '/callback', label: '待回访', icon: <PhoneOutlined /> },
  { path: '/unit/lead', label: '本单位工单', icon: <InboxOutlined /> },
  { path: '/unit/assist', label: '协办任务', icon: <TeamOutlined /> },
  // 二级派单: tickets a lead unit passed to my unit, and those my unit passed to its sub-units
  { path: '/unit/sub-dispatches', label: '转派工单', icon: <ApartmentOutlined /> },
  // 第二十二条 督办: the unit's cases; the centre's workbench
  { path: '/unit/supervision', label: '督办件', icon: <NotificationOutlined /> },
  { path: '/tickets', label: '工单查询', icon: <SearchOutlined /> },
  { path: '/supervision', label: '督办工作台', icon: <NotificationOutlined /> },
  { path: '/supervision/complaints', label: '工作人员投诉', icon: <ExclamationCircleOutlined /> },
  { path: '/supervision/referrals', label: '问责移送', icon: <AlertOutlined /> },
  // 坐席状态 (issue 14): who of the centre's agents can take a call now
  { path: '/presence', label: '坐席状态', icon: <CustomerServiceOutlined /> },
  // 第二十五、二十六条 专题治理; a unit's tasks in them
  { path: '/matters', label: '专题治理', icon: <ProjectOutlined /> },
  { path: '/unit/matter-tasks', label: '专题任务', icon: <ProjectOutlined /> },
  { path: '/audit/pii', label: '个人信息访问审计', icon: <SafetyOutlined /> },
  { path: '/audit/access', label: '数据访问日志', icon: <FileProtectOutlined /> },
  { path: '/audit/admin', label: '操作审计', icon: <FileSearchOutlined /> },
  // 第十二、十八条 knowledge base: flags to the owner, synonyms, figures
  // 第十八条 knowledge base: the units' own articles, the centre's review and the whole base
  { path: '/knowledge/mine', label: '单位知识管理', icon: <BookOutlined /> },
  { path: '/knowledge/review', label: '知识审核', icon: <FileDoneOutlined /> },
  { path: '/knowledge/all', label: '全部知识', icon: <ReadOutlined /> },
  { path: '/knowledge/flags', label: '知识纠错', icon: <FlagOutlined /> },
  { path: '/knowledge/synonyms', label: '同义词', icon: <SwapOutlined /> },
  { path: '/knowledge/figures', label: '知识库统计', icon: <LineChartOutlined /> },
  // 第二十四条 考核; GB/T 33358 服务指标
  { path: '/assessment', label: '考核结果', icon: <TrophyOutlined /> },
  { path: '/assessment/appeals', label: '考核申诉', icon: <AuditOutlined /> },
  { path: '/assessment/schemes', label: '考核方案', icon: <ProfileOutlined /> },
  { path: '/service-figures', label: '服务指标', icon: <DashboardOutlined /> },
  // 第二十一条 信息公开
  { path: '/disclosure', label: '信息公开', icon: <FundProjectionScreenOutlined /> },
  // 第二十七条 热点分析
  { path: '/analytics', label: '热点分析', icon: <HeatMapOutlined /> },
  // 第二十八条 季节预测, 新兴诉求词; a unit's own monthly analysis (the centre picks a unit)
  { path: '/forecast', label: '季节预测', icon: <RiseOutlined /> },
  { path: '/emerging', label: '新兴诉求', icon: <RadarChartOutlined /> },
  { path: '/unit-analysis', label: '月度分析', icon: <LineChartOutlined /> },
  // 第二十九条 网格化管理
  { path: '/grids/report', label: '主动发现', icon: <EnvironmentOutlined /> },
  { path: '/grids/town', label: '网格视图', icon: <AppstoreOutlined /> },
  { path: '/grids/admin', label: '网格管理', icon: <ClusterOutlined /> },
  // 第二十七条 风险预警
  { path: '/warnings', label: '风险预警', icon: <WarningOutlined /> },
];
const ADMIN: Item[] = [
  { path: '/admin/users', label: '用户', icon: <UserOutlined /> },
  { path: '/admin/units', label: '单位与区划', icon: <ApartmentOutlined /> },
  { path: '/admin/categories', label: '事项分类', icon: <TagsOutlined /> },
  { path: '/admin/catalogue', label: '派单目录', icon: <BranchesOutlined /> },
  { path: '/admin/time-limits', label: '办理时限', icon: <ClockCircleOutlined /> },
  { path: '/admin/calendar', label: '工作日历', icon: <CalendarOutlined /> },
  { path: '/admin/abuse-flags', label: '滥用标记审核', icon: <StopOutlined /> },
  { path: '/admin/login-locks', label: '登录锁定', icon: <LockOutlined /> },
  { path: '/admin/security', label: '安全策略', icon: <SafetyCertificateOutlined /> },
  { path: '/admin/sharing', label: '数据推送订阅', icon: <CloudUploadOutlined /> },
  { path: '/admin/api-tokens', label: '对接令牌', icon: <KeyOutlined /> },
  { path: '/admin/pii-keys', label: '个人信息密钥', icon: <EyeInvisibleOutlined /> },
  { path: '/admin/classification', label: '智能分类', icon: <BulbOutlined /> },
  { path: '/admin/warning-rules', label: '预警规则', icon: <WarningOutlined /> },
];

export function AppShell() {
  const me = useMe();
  const { logout } = useSession();
  const refState = useReferenceState();
  const nav = useNavigate();
  const loc = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<MenuProps['items']>(() => {
    // 第二十九条: 网格视图 is a town's own; a unit's staff see it only when their unit is a town/street (the server
    // refuses the others, the menu need not offer it)
    const ownKind = refState.ref?.units.find((u) => u.id === me.unitId)?.kind;
    const offered = (path: string) =>
      canOpen(me, path) &&
      (path !== '/grids/town' || !isUnitStaff(me) || hasRole(me, 'grid_worker') || ownKind === 'town') &&
      // 网格管理: a unit's manager only when the unit is a town/street (the admin always)
      (path !== '/grids/admin' || hasRole(me, 'admin') || ownKind === 'town');
    const work = WORK.filter((i) => offered(i.path)).map((i) => ({ key: i.path, icon: i.icon, label: i.label }));
    const admin = ADMIN.filter((i) => canOpen(me, i.path)).map((i) => ({ key: i.path, icon: i.icon, label: i.label }));
    return admin.length
      ? [...work, { key: 'admin', icon: <SettingOutlined />, label: '系统管理', children: admin }]
      : work;
  }, [me, refState.ref]);
  const selected = [...WORK, ...ADMIN]
    .map((i) => i.path)
    .filter((p) => loc.pathname.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  // 无障碍: each route its own document title ("工单查询 - 菏泽12345"); the menu's label for a screen not in the table
  useRouteTitle([...WORK, ...ADMIN].find((i) => i.path === selected)?.label);
  const unitName = refState.ref?.unitName(me.unitId);

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={188} theme="dark">
        <Flex
          align="center"
          gap={8}
          style={{ height: 56, padding: '0 16px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}
        >
          <FileSearchOutlined style={{ fontSize: 20 }} />
          {!collapsed && <span style={{ fontWeight: 600, fontSize: 16 }}>菏泽12345热线</span>}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={['admin']}
          onClick={(e) => nav(e.key)}
          // a long menu (an admin's) scrolls inside the sider instead of pushing the page down at 1366×768
          style={{ height: 'calc(100% - 56px)', overflowY: 'auto', overflowX: 'hidden' }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 20px',
            height: 56,
            lineHeight: '56px',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Typography.Text strong style={{ fontSize: 15 }}>
              菏泽市12345政务服务便民热线 · 工单系统
            </Typography.Text>
            <Flex align="center" gap={10}>
              {/* issue 14: the units' staff are told what they must act on (the centre has its queues) */}
              {hasNotifications(me) && <NotificationBell />}
              {/* the user menu: 修改密码 and 账户安全 at any time (等保 2.0 身份鉴别) */}
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: '/account/password', icon: <KeyOutlined />, label: '修改密码' },
                    { key: '/account/security', icon: <SafetyCertificateOutlined />, label: '账户安全' },
                  ],
                  onClick: (e) => nav(e.key),
                }}
              >
                <Button type="text" size="small" data-testid="user-menu" style={{ paddingInline: 4 }}>
                  <Avatar size="small" icon={<UserOutlined />} />
                  <span data-testid="current-user">{me.displayName}</span>
                </Button>
              </Dropdown>
              {me.roleLabels.map((r) => (
                <Tag key={r} color="blue" style={{ marginInlineEnd: 0 }}>
                  {r}
                </Tag>
              ))}
              {unitName && (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                  {unitName}
                </Typography.Text>
              )}
              <Button icon={<LogoutOutlined />} size="small" onClick={() => void logout().then(() => nav('/login'))}>
                退出
              </Button>
            </Flex>
          </Flex>
        </Layout.Header>
        {/* 无障碍 (WCAG 2.1.1, axe scrollable-region-focusable): the page scrolls inside <main>; a page with nothing
            focusable (a read-only form) must still scroll by keyboard, so <main> itself is a Tab stop */}
        <Layout.Content style={{ padding: 16, overflow: 'auto' }} tabIndex={0}>
          {refState.error ? (
            <ErrorAlert message={`基础数据加载失败：${refState.error}`} onRetry={refState.reload} />
          ) : !refState.ref ? (
            <Flex justify="center" style={{ padding: 80 }}>
              <Spin tip="正在加载基础数据…">
                <div style={{ width: 120, height: 60 }} />
              </Spin>
            </Flex>
          ) : (
            <Suspense
              fallback={
                <Flex justify="center" style={{ padding: 80 }}>
                  <Spin />
                </Flex>
              }
            >
              <Outlet />
            </Suspense>
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Renders a screen only for roles that may open it. */
export function Guard({ path, children }: { path: string; children: React.ReactNode }) {
  const me = useMe();
  if (!canOpen(me, path))
    return <Result status="403" title="无权访问" subTitle="当前角色不能使用该功能，请从左侧菜单选择。" />;
  return <>{children}</>;
}
