import { NavLink, Outlet, Link } from 'react-router-dom';
import { ConfigProvider } from 'antd';
import { PhoneFilled } from '@ant-design/icons';

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
  return (
    <div className="portal">
      <header className="portal-header">
        <div className="portal-wrap">
          <Link to="/portal" className="portal-brand">
            <PhoneFilled /> 菏泽12345 · 网上服务
          </Link>
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
        {/* three picture tiles side by side on a 375 px phone */}
        <ConfigProvider theme={{ components: { Upload: { pictureCardSize: 88 }, Card: { bodyPadding: 16 } } }}>
          <Outlet />
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
