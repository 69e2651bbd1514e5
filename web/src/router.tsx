// The route tree: public login and password pages, and the logged-in layout with every other page (loaded lazily).
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { BASE_PATH } from './api/client';
import { meQuery } from './api/queries';
import { Shell } from './components/Shell';
import { LoginPage } from './pages/Login';
import { PasswordPage } from './pages/Password';

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  component: LoginPage,
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) redirect({ to: me.mustChangePassword ? '/password' : '/', throw: true });
  },
});

const passwordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/password',
  component: PasswordPage,
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) redirect({ to: '/login', throw: true });
  },
});

/** Every page behind login: a session whose password need not change first. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: Shell,
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) redirect({ to: '/login', throw: true });
    else if (me.mustChangePassword) redirect({ to: '/password', throw: true });
  },
});

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as () => Promise<Record<string, () => React.ReactNode>>, name) });

/** Search params of the containers page (filters live in the URL so a view can be shared). */
export interface ContainersSearch {
  host?: string | undefined;
  state?: string | undefined;
  q?: string | undefined;
  /** A host tag: containers of the hosts carrying it. */
  tag?: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const containersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/containers',
  validateSearch: (s: Record<string, unknown>): ContainersSearch => {
    const out: ContainersSearch = {};
    const host = str(s.host);
    const state = str(s.state);
    const q = str(s.q);
    const tag = str(s.tag);
    if (tag) out.tag = tag;
    if (host) out.host = host;
    if (state) out.state = state;
    if (q) out.q = q;
    return out;
  },
  component: lazyRouteComponent(() => import('./pages/containers/ContainersPage'), 'ContainersPage'),
});

const containerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/containers/$host/$id',
  validateSearch: (s: Record<string, unknown>): { tab?: string } => (str(s.tab) ? { tab: str(s.tab)! } : {}),
  component: lazyRouteComponent(() => import('./pages/containers/ContainerPage'), 'ContainerPage'),
});

const exposureRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/hosts/$host/exposure',
  component: lazyRouteComponent(() => import('./pages/Exposure'), 'ExposurePage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  passwordRoute,
  appRoute.addChildren([
    page('/', () => import('./pages/Dashboard'), 'DashboardPage'),
    page('/hosts', () => import('./pages/Hosts'), 'HostsPage'),
    exposureRoute,
    containersRoute,
    containerRoute,
    page('/images', () => import('./pages/Images'), 'ImagesPage'),
    page('/networks', () => import('./pages/Networks'), 'NetworksPage'),
    page('/volumes', () => import('./pages/Volumes'), 'VolumesPage'),
    page('/events', () => import('./pages/Events'), 'EventsPage'),
    page('/audit', () => import('./pages/Audit'), 'AuditPage'),
    page('/account', () => import('./pages/Account'), 'AccountPage'),
    page('/admin', () => import('./pages/admin/AdminPage'), 'AdminPage'),
  ]),
]);

/** Builds the router under the server's base path. */
export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    basepath: BASE_PATH || '/',
    context: { queryClient },
    defaultPreload: 'intent',
    defaultNotFoundComponent: () => <p className="pc-empty">No such page.</p>,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
