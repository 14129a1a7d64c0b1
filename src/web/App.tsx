import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Flex, Result, Spin } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import { ANTD_CSP } from './lib/csp-nonce';
import { A11Y_COMPONENTS, A11Y_TOKENS } from './lib/theme';
import { SessionProvider, useSession } from './auth/session';
import { ReferenceProvider } from './lib/reference';
import { homePath } from './lib/permissions';
import { AppShell, Guard } from './components/AppShell';
import LoginPage from './pages/LoginPage';
import { RequiredStepPage } from './pages/account/RequiredStepPage';

// Someone who asked their system for reduced motion (vestibular disorders, a slow terminal on a long shift) gets
// dialogs, drawers and messages without zoom and fade. Browser tests ask for the same, so a click never lands on
// a dialog that is still opening.
const REDUCED_MOTION =
  typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

const OverviewPage = lazy(() => import('./pages/overview/OverviewPage'));
const ConsolePage = lazy(() => import('./pages/agent/ConsolePage'));
const DispatchQueuePage = lazy(() => import('./pages/dispatcher/DispatchQueuePage'));
const ReviewQueuePage = lazy(() => import('./pages/dispatcher/ReviewQueuePage'));
const CallbackQueuePage = lazy(() => import('./pages/callback/CallbackQueuePage'));
const LeadQueuePage = lazy(() => import('./pages/unit/LeadQueuePage'));
const AssistQueuePage = lazy(() => import('./pages/unit/AssistQueuePage'));
const SubDispatchQueuePage = lazy(() => import('./pages/unit/SubDispatchQueuePage'));
const TicketSearchPage = lazy(() => import('./pages/centre/TicketSearchPage'));
const TicketPage = lazy(() => import('./pages/ticket/TicketPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const UnitsPage = lazy(() => import('./pages/admin/UnitsPage'));
const CategoriesPage = lazy(() => import('./pages/admin/CategoriesPage'));
const CataloguePage = lazy(() => import('./pages/admin/CataloguePage'));
const TimeLimitsPage = lazy(() => import('./pages/admin/TimeLimitsPage'));
const CalendarPage = lazy(() => import('./pages/admin/CalendarPage'));
const PiiAuditPage = lazy(() => import('./pages/auditor/PiiAuditPage'));
const AccessLogPage = lazy(() => import('./pages/auditor/AccessLogPage'));
const AdminAuditPage = lazy(() => import('./pages/auditor/AdminAuditPage'));
const DataSharingPage = lazy(() => import('./pages/admin/DataSharingPage'));
const UnitTokensPage = lazy(() => import('./pages/admin/UnitTokensPage'));
const AbuseFlagsPage = lazy(() => import('./pages/admin/AbuseFlagsPage'));
const LoginLocksPage = lazy(() => import('./pages/admin/LoginLocksPage'));
const PiiKeysPage = lazy(() => import('./pages/admin/PiiKeysPage'));
const ClassificationPage = lazy(() => import('./pages/admin/ClassificationPage'));
const SecurityPolicyPage = lazy(() => import('./pages/admin/SecurityPolicyPage'));
const AccountPasswordPage = lazy(() => import('./pages/account/AccountPasswordPage'));
const AccountSecurityPage = lazy(() => import('./pages/account/AccountSecurityPage'));
const StaffComplaintsPage = lazy(() => import('./pages/supervision/StaffComplaintsPage'));
const ReferralsPage = lazy(() => import('./pages/supervision/ReferralsPage'));
const PresenceBoardPage = lazy(() => import('./pages/supervision/PresenceBoardPage'));
const ReferralDetailPage = lazy(() => import('./pages/supervision/ReferralDetailPage'));
const MattersPage = lazy(() => import('./pages/matters/MattersPage'));
const MatterCreatePage = lazy(() => import('./pages/matters/MatterCreatePage'));
const MatterDetailPage = lazy(() => import('./pages/matters/MatterDetailPage'));
const UnitMatterTasksPage = lazy(() => import('./pages/matters/UnitMatterTasksPage'));
const SupervisionWorkbenchPage = lazy(() => import('./pages/supervision/SupervisionWorkbenchPage'));
const SupervisionCasePage = lazy(() => import('./pages/supervision/SupervisionCasePage'));
const SupervisionNoticePage = lazy(() => import('./pages/supervision/SupervisionNoticePage'));
const UnitSupervisionPage = lazy(() => import('./pages/unit/UnitSupervisionPage'));
const PortalLayout = lazy(() => import('./pages/portal/PortalLayout'));
const PortalHome = lazy(() => import('./pages/portal/PortalHome'));
const PortalSubmitPage = lazy(() => import('./pages/portal/SubmitPage'));
const PortalTrackPage = lazy(() => import('./pages/portal/TrackPage'));
const PortalAboutPage = lazy(() => import('./pages/portal/AboutPage'));
const PortalKnowledgeSearchPage = lazy(() => import('./pages/portal/KnowledgeSearchPage'));
const PortalKnowledgeArticlePage = lazy(() => import('./pages/portal/KnowledgeArticlePage'));
const PortalDisclosureListPage = lazy(() => import('./pages/portal/DisclosureListPage'));
const PortalDisclosureMonthPage = lazy(() => import('./pages/portal/DisclosureMonthPage'));
const KnowledgeFlagsPage = lazy(() => import('./pages/knowledge/KnowledgeFlagsPage'));
const KnowledgeSynonymsPage = lazy(() => import('./pages/knowledge/KnowledgeSynonymsPage'));
const KnowledgeFiguresPage = lazy(() => import('./pages/knowledge/KnowledgeFiguresPage'));
const KnowledgeUnitPage = lazy(() => import('./pages/knowledge/KnowledgeUnitPage'));
const KnowledgeReviewPage = lazy(() => import('./pages/knowledge/KnowledgeReviewPage'));
const KnowledgeAllPage = lazy(() => import('./pages/knowledge/KnowledgeAllPage'));
const KnowledgeArticlePage = lazy(() => import('./pages/knowledge/KnowledgeArticlePage'));
// 第二十四条 考核 and GB/T 33358 service figures
const AssessmentResultsPage = lazy(() => import('./pages/assessment/AssessmentResultsPage'));
const AssessmentAppealsPage = lazy(() => import('./pages/assessment/AssessmentAppealsPage'));
const AssessmentSchemesPage = lazy(() => import('./pages/assessment/AssessmentSchemesPage'));
const ServiceFiguresPage = lazy(() => import('./pages/assessment/ServiceFiguresPage'));
const DisclosurePage = lazy(() => import('./pages/disclosure/DisclosurePage'));
const DisclosureReportPage = lazy(() => import('./pages/disclosure/DisclosureReportPage'));
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage'));
const ForecastPage = lazy(() => import('./pages/forecast/ForecastPage'));
const EmergingTermsPage = lazy(() => import('./pages/emerging/EmergingTermsPage'));
const UnitMonthlyAnalysisPage = lazy(() => import('./pages/unit/UnitMonthlyAnalysisPage'));
const GridReportPage = lazy(() => import('./pages/grids/GridReportPage'));
const TownViewPage = lazy(() => import('./pages/grids/TownViewPage'));
const GridAdminPage = lazy(() => import('./pages/grids/GridAdminPage'));
const WarningsPage = lazy(() => import('./pages/warnings/WarningsPage'));
const WarningRulesPage = lazy(() => import('./pages/warnings/WarningRulesPage'));

const Loading = () => (
  <Flex justify="center" align="center" style={{ height: '100vh' }}>
    <Spin size="large" />
  </Flex>
);

function RequireLogin({ children }: { children: ReactNode }) {
  const { me, checking } = useSession();
  const loc = useLocation();
  if (checking) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: loc.pathname }} />;
  // 等保 2.0 身份鉴别: a password to change or a second factor to enrol comes before every screen
  if (me.mustChangePassword || me.totpEnrolmentRequired) return <RequiredStepPage me={me} />;
  return <ReferenceProvider>{children}</ReferenceProvider>;
}

function Home() {
  const { me } = useSession();
  return <Navigate to={me ? homePath(me) : '/login'} replace />;
}

const guarded = (path: string, el: ReactNode) => (
  <Route path={path.slice(1)} element={<Guard path={path}>{el}</Guard>} />
);

export function App() {
  return (
    <ConfigProvider
      csp={ANTD_CSP}
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      // 无障碍: colour tokens at ≥ 4.5:1 and a solid focus ring (lib/theme.ts, docs/accessibility.md)
      theme={{ token: { ...A11Y_TOKENS, borderRadius: 4, motion: !REDUCED_MOTION }, components: A11Y_COMPONENTS }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {/* 公众服务: no login, its own phone-first layout */}
              <Route
                path="/portal"
                element={
                  <Suspense fallback={<Loading />}>
                    <PortalLayout />
                  </Suspense>
                }
              >
                <Route index element={<PortalHome />} />
                <Route path="submit" element={<PortalSubmitPage />} />
                <Route path="track" element={<PortalTrackPage />} />
                <Route path="about" element={<PortalAboutPage />} />
                <Route path="knowledge" element={<PortalKnowledgeSearchPage />} />
                <Route path="knowledge/:id" element={<PortalKnowledgeArticlePage />} />
                <Route path="disclosure" element={<PortalDisclosureListPage />} />
                <Route path="disclosure/:month" element={<PortalDisclosureMonthPage />} />
                <Route path="*" element={<Navigate to="/portal" replace />} />
              </Route>
              <Route
                path="/"
                element={
                  <RequireLogin>
                    <AppShell />
                  </RequireLogin>
                }
              >
                <Route index element={<Home />} />
                {guarded('/overview', <OverviewPage />)}
                {guarded('/intake', <ConsolePage />)}
                {guarded('/dispatch', <DispatchQueuePage />)}
                {guarded('/reviews', <ReviewQueuePage />)}
                {guarded('/callback', <CallbackQueuePage />)}
                {guarded('/unit/lead', <LeadQueuePage />)}
                {guarded('/unit/assist', <AssistQueuePage />)}
                {guarded('/unit/sub-dispatches', <SubDispatchQueuePage />)}
                {guarded('/tickets', <TicketSearchPage />)}
                <Route path="tickets/:id" element={<TicketPage />} />
                {guarded('/admin/users', <UsersPage />)}
                {guarded('/admin/units', <UnitsPage />)}
                {guarded('/admin/categories', <CategoriesPage />)}
                {guarded('/admin/catalogue', <CataloguePage />)}
                {guarded('/admin/time-limits', <TimeLimitsPage />)}
                {guarded('/admin/calendar', <CalendarPage />)}
                {guarded('/admin/abuse-flags', <AbuseFlagsPage />)}
                {guarded('/admin/login-locks', <LoginLocksPage />)}
                {guarded('/admin/security', <SecurityPolicyPage />)}
                <Route path="account/password" element={<AccountPasswordPage />} />
                <Route path="account/security" element={<AccountSecurityPage />} />
                {guarded('/supervision/complaints', <StaffComplaintsPage />)}
                {guarded('/supervision/referrals', <ReferralsPage />)}
                {guarded('/presence', <PresenceBoardPage />)}
                {guarded('/supervision/referrals/:id', <ReferralDetailPage />)}
                {guarded('/matters', <MattersPage />)}
                {guarded('/matters/new', <MatterCreatePage />)}
                {guarded('/matters/:id', <MatterDetailPage />)}
                {guarded('/unit/matter-tasks', <UnitMatterTasksPage />)}
                {guarded('/supervision', <SupervisionWorkbenchPage />)}
                {guarded('/supervision/cases/:id', <SupervisionCasePage />)}
                {guarded('/supervision/cases/:id/notice', <SupervisionNoticePage />)}
                {guarded('/unit/supervision', <UnitSupervisionPage />)}
                {guarded('/audit/pii', <PiiAuditPage />)}
                {guarded('/audit/access', <AccessLogPage />)}
                {guarded('/audit/admin', <AdminAuditPage />)}
                {guarded('/admin/sharing', <DataSharingPage />)}
                {guarded('/admin/api-tokens', <UnitTokensPage />)}
                {guarded('/admin/pii-keys', <PiiKeysPage />)}
                {guarded('/admin/classification', <ClassificationPage />)}
                {guarded('/knowledge/flags', <KnowledgeFlagsPage />)}
                {guarded('/knowledge/synonyms', <KnowledgeSynonymsPage />)}
                {guarded('/knowledge/figures', <KnowledgeFiguresPage />)}
                {guarded('/knowledge/mine', <KnowledgeUnitPage />)}
                {guarded('/knowledge/review', <KnowledgeReviewPage />)}
                {guarded('/knowledge/all', <KnowledgeAllPage />)}
                <Route path="knowledge/articles/:id" element={<KnowledgeArticlePage />} />
                {guarded('/assessment', <AssessmentResultsPage />)}
                {guarded('/assessment/appeals', <AssessmentAppealsPage />)}
                {guarded('/assessment/schemes', <AssessmentSchemesPage />)}
                {guarded('/service-figures', <ServiceFiguresPage />)}
                {guarded('/disclosure', <DisclosurePage />)}
                {guarded('/disclosure/:id', <DisclosureReportPage />)}
                {guarded('/analytics', <AnalyticsPage />)}
                {guarded('/forecast', <ForecastPage />)}
                {guarded('/emerging', <EmergingTermsPage />)}
                {guarded('/unit-analysis', <UnitMonthlyAnalysisPage />)}
                {guarded('/grids/report', <GridReportPage />)}
                {guarded('/grids/town', <TownViewPage />)}
                {guarded('/grids/admin', <GridAdminPage />)}
                {guarded('/warnings', <WarningsPage />)}
                {guarded('/admin/warning-rules', <WarningRulesPage />)}
                <Route
                  path="*"
                  element={<Result status="404" title="页面不存在" subTitle="请从左侧菜单选择要使用的功能。" />}
                />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
