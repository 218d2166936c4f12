import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router';
import type { TMe } from '@rampart/contracts';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { roleLabel } from '../lib/format';
import { FreezeBanner } from './incidents/FreezeBanner';
import { LiveIndicator } from './LiveIndicator';

export function Layout({ me }: { me: TMe }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = async () => {
    try {
      await api.logout();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(keys.me, null);
      await navigate('/login');
    }
  };
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" end>
          <span aria-hidden="true" className="brand-mark">
            ◢
          </span>
          Rampart
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Releases
          </NavLink>
          {me.role === 'admin' || me.role === 'release_owner' ? <NavLink to="/releases/new">New release</NavLink> : null}
          <NavLink to="/playbooks">Playbooks</NavLink>
          <NavLink to="/status">Status</NavLink>
          {me.role === 'admin' ? <NavLink to="/admin">Admin</NavLink> : null}
        </nav>
        <div className="topbar-right">
          <LiveIndicator />
          <span className="whoami" title={me.email}>
            {me.name} · {roleLabel(me.role)}
            {me.approvalRoles.length ? ` (${me.approvalRoles.map(roleLabel).join(', ')})` : ''}
          </span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <FreezeBanner />
        <Outlet />
      </main>
    </div>
  );
}
