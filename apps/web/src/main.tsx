import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import {
  BrowserRouter,
  Navigate,
  NavLink,
  Outlet,
  Route,
  Routes,
  useLocation,
} from 'react-router-dom';
import type { Role } from './api/types';
import { homeFor } from './home';
import { ROLE_LABELS } from './labels';
import { AuditIndexPage, AuditPage } from './pages/Audit';
import { ContactsPage } from './pages/Contacts';
import { DashboardPage } from './pages/Dashboard';
import { DeliveriesPage } from './pages/Deliveries';
import { EscalationsPage } from './pages/Escalations';
import { InboxPage } from './pages/Inbox';
import { LoginPage } from './pages/Login';
import { NoticesPage } from './pages/Notices';
import { PlansPage } from './pages/Plans';
import { TaskQuarterPage } from './pages/TaskQuarter';
import { SessionProvider, useSession } from './session';
import './styles.css';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/inbox', label: '我的待办', roles: ['staff', 'head', 'office'] },
  { to: '/escalations', label: '催办督办', roles: ['leader'] },
  { to: '/dashboard', label: '督办总览', roles: ['office', 'leader', 'auditor', 'admin'] },
  { to: '/audit', label: '审计', roles: ['auditor', 'office'] },
  {
    to: '/notices',
    label: '通知',
    roles: ['staff', 'head', 'office', 'leader', 'auditor', 'admin'],
  },
  // The office's administration: importing and starting plans, the outbox, contact details.
  { to: '/plans', label: '计划管理', roles: ['office'] },
  { to: '/deliveries', label: '通知投递', roles: ['office', 'admin'] },
  { to: '/contacts', label: '联系方式', roles: ['office', 'admin'] },
];

function Layout() {
  const { user, signOut } = useSession();
  const location = useLocation();
  if (!user)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="seal" aria-hidden="true">
            督
          </span>
          <span className="brand-name">民生实事督办</span>
        </div>
        <nav className="nav" aria-label="主导航">
          {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
            <NavLink
              key={n.to}
              to={n.to}
              className={({ isActive }) => (isActive ? 'active' : undefined)}
            >
              {n.label}
            </NavLink>
          ))}
        </nav>
        <div className="who" data-testid="current-user">
          <span className="who-name">{user.name}</span>
          {ROLE_LABELS[user.role] !== user.name && (
            <span className="who-role">{ROLE_LABELS[user.role]}</span>
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void signOut()}>
            退出
          </button>
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

function Home() {
  const { user } = useSession();
  return <Navigate to={user ? homeFor(user.role) : '/login'} replace />;
}

function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<Layout />}>
            <Route path="/" element={<Home />} />
            <Route path="/inbox" element={<InboxPage />} />
            <Route path="/escalations" element={<EscalationsPage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/notices" element={<NoticesPage />} />
            <Route path="/audit" element={<AuditIndexPage />} />
            <Route path="/audit/:id" element={<AuditPage />} />
            <Route path="/task-quarters/:id" element={<TaskQuarterPage />} />
            <Route path="/plans" element={<PlansPage />} />
            <Route path="/deliveries" element={<DeliveriesPage />} />
            <Route path="/contacts" element={<ContactsPage />} />
            <Route path="*" element={<div className="empty">页面不存在</div>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
