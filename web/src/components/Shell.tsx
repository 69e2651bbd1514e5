// The logged-in layout: navigation (only the pages the user may use), the user menu, live status, and the page.
import { Badge, Button, Group, NavLink, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useState } from 'react';
import { api, errorText, setCsrfToken } from '../api/client';
import { useLiveConnection, useLiveStatus } from '../api/live';
import { useMe, usePermissions } from '../api/queries';

interface NavItem {
  to: '/' | '/hosts' | '/containers' | '/images' | '/networks' | '/volumes' | '/events' | '/audit' | '/admin' | '/account';
  label: string;
  /** Shown when the user holds this permission on some host (or globally for global permissions). */
  needs?: string;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/hosts', label: 'Hosts' },
  { to: '/containers', label: 'Containers', needs: 'container.read' },
  { to: '/images', label: 'Images', needs: 'image.read' },
  { to: '/networks', label: 'Networks', needs: 'network.read' },
  { to: '/volumes', label: 'Volumes', needs: 'volume.read' },
  { to: '/events', label: 'Events', needs: 'system.read' },
  { to: '/audit', label: 'Audit log', needs: 'audit.read' },
  { to: '/admin', label: 'Administration' },
  { to: '/account', label: 'Account & sessions' },
];

function LiveBadge() {
  const status = useLiveStatus();
  const color = status === 'open' ? 'green' : status === 'connecting' ? 'yellow' : 'gray';
  return (
    <Badge color={color} variant="light" data-testid="live-status" title="Live updates over WebSocket">
      {status === 'open' ? 'live' : status}
    </Badge>
  );
}

/** The application frame around every logged-in page. */
export function Shell() {
  const me = useMe();
  const perms = usePermissions();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const [error, setError] = useState<string>();
  useLiveConnection(qc);

  const logout = async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } catch (err) {
      setError(errorText(err));
    }
    setCsrfToken(undefined);
    qc.clear();
    qc.setQueryData(['me'], null);
    await navigate({ to: '/login' });
  };

  const items = NAV.filter((n) => n.needs === undefined || (n.needs === 'audit.read' ? perms.can(n.needs) : perms.canSomewhere(n.needs)));
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

  return (
    <div className="pc-shell">
      <header className="pc-header">
        <Group gap="sm">
          <Text fw={700} size="lg" className="pc-brand">Portcullis</Text>
          <LiveBadge />
        </Group>
        <Group gap="sm">
          {error && <Text c="red" size="sm">{error}</Text>}
          <Text size="sm" data-testid="current-user">{me.user.username}</Text>
          <Button variant="default" size="xs" onClick={() => void logout()} data-testid="logout">Log out</Button>
        </Group>
      </header>
      <nav className="pc-nav" aria-label="Main">
        {items.map((n) => (
          <NavLink key={n.to} component={Link} to={n.to} label={n.label} active={active(n.to)} />
        ))}
      </nav>
      <main className="pc-main">
        <Outlet />
      </main>
    </div>
  );
}
