import { NavLink, Route, Routes } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage';
import './admin.css';
import { AdminAuditPage } from '../audit/pages/AdminAuditPage';
import { AdminClassesPage } from '../roster/pages/AdminClassesPage';
import { AdminContentPage } from '../learning/pages/AdminContentPage';
import { AdminModulePage } from '../learning/pages/AdminModulePage';
import { AdminOverviewPage } from './pages/AdminOverviewPage';
import { AdminProviderErrorsPage } from '../usage/pages/AdminProviderErrorsPage';
import { AdminQuestionsPage } from '../insights/pages/AdminQuestionsPage';
import { AdminSettingsPage } from '../settings/pages/AdminSettingsPage';
import { AdminUsagePage } from '../usage/pages/AdminUsagePage';
import { AdminUserPage } from '../users/pages/AdminUserPage';
import { AdminUsersPage } from '../users/pages/AdminUsersPage';
import { SystemPage } from '../system/pages/SystemPage';

const sections = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/content', label: 'Content' },
  { to: '/admin/people', label: 'People' },
  { to: '/admin/classes', label: 'Classes' },
  { to: '/admin/usage', label: 'Usage' },
  { to: '/admin/questions', label: 'What students ask' },
  { to: '/admin/settings', label: 'AI settings' },
  { to: '/admin/provider-errors', label: 'Provider errors' },
  { to: '/admin/audit', label: 'Audit log' },
  { to: '/admin/system', label: 'System' },
];

/**
 * The admin panel's shell: section navigation and routes. Each page lives with the domain it
 * administers (learning, users, roster, …); only this file imports them, so they all still
 * arrive in the one lazily loaded chunk.
 */
export function AdminApp() {
  return (
    <div className="admin">
      <nav aria-label="Admin sections" className="admin-nav">
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} end={section.end}>
                {section.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<AdminOverviewPage />} />
        <Route path="content" element={<AdminContentPage />} />
        <Route path="content/:moduleId" element={<AdminModulePage />} />
        <Route path="people" element={<AdminUsersPage />} />
        <Route path="people/:userId" element={<AdminUserPage />} />
        <Route path="classes" element={<AdminClassesPage />} />
        <Route path="usage" element={<AdminUsagePage />} />
        <Route path="questions" element={<AdminQuestionsPage />} />
        <Route path="settings" element={<AdminSettingsPage />} />
        <Route path="provider-errors" element={<AdminProviderErrorsPage />} />
        <Route path="audit" element={<AdminAuditPage />} />
        <Route path="system" element={<SystemPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
