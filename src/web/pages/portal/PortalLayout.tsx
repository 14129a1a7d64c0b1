import { useEffect } from 'react';
import { NavLink, Outlet, Link } from 'react-router-dom';
import { App as AntApp, Button, ConfigProvider } from 'antd';
import { FontSizeOutlined, PhoneFilled } from '@ant-design/icons';
import { ensureLiveRegion } from '../../lib/announce';
import { portalTokens, useElderMode } from '../../lib/elder-mode';
import { useRouteTitle } from '../../lib/use-route-title';

const NAV = [
  { to: '/portal', label: '首页', end: true },
  { to: '/portal/knowledge', label: '查一查' },
  { to: '/portal/submit', label: '我要留言' },
  { to: '/portal/track', label: '查询进度' },
  { to: '/portal/disclosure', label: '数据公开' },
  { to: '/portal/about', label: '热线须知' },
];

/** 公众服务: no login, one column that fits a phone and centres on a desktop. */
export default function PortalLayout() {
  // 无障碍: each page its own title; 适老化: 长辈版 (larger text and targets), kept on the device
  useRouteTitle();
  const [elder, setElder] = useElderMode();
  useEffect(ensureLiveRegion, []);
  return (
    <div className={elder ? 'portal portal-elder' : 'portal'} data-elder={elder ? 'on' : 'off'}>
      <header className="portal-header">
        <div className="portal-wrap">
          <div className="portal-topline">
            <Link to="/portal" className="portal-brand">
              <PhoneFilled aria-hidden /> 菏泽12345 · 网上服务
            </Link>
            <Button
              className="portal-elder-toggle"
              icon={<FontSizeOutlined />}
              aria-pressed={elder}
              onClick={() => setElder(!elder)}
              data-testid="portal-elder-toggle"
            >
              {elder ? '标准版' : '长辈版'}
            </Button>
          </div>
          <nav className="portal-nav" aria-label="公众服务">
            {NAV.map((n) => (
              <NavLink key={n.to} to={n.to} end={n.end}>
                {n.label}
              </NavLink>
            ))}
          </nav>
        </div>
      </header>
      <main className="portal-wrap portal-main">
        {/* three picture tiles side by side on a 375 px phone; text in rem so it follows the browser's font size */}
        <ConfigProvider
          theme={{
            token: portalTokens(elder),
            components: { Upload: { pictureCardSize: elder ? 104 : 88 }, Card: { bodyPadding: 16 } },
          }}
        >
          {/* 适老化: a message stays six seconds, long enough to read */}
          <AntApp message={{ duration: 6 }}>
            <Outlet />
          </AntApp>
        </ConfigProvider>
      </main>
      <footer className="portal-footer">
        菏泽市12345政务服务便民热线 · 全天24小时服务 · 电话 <a href="tel:12345">12345</a>
        <br />
        <Link to="/portal/about#privacy">个人信息保护</Link> · <Link to="/login">工作人员登录</Link>
      </footer>
    </div>
  );
}
