// Entry point of the web UI: styles as static CSS files (the CSP allows no inline <style>), providers, router.
import '@mantine/core/styles.css';
import './styles.css';
import { createTheme, Drawer, MantineProvider, Modal, type MantineColorSchemeManager } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, onSessionEnded } from './api/client';
import { createAppRouter } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: false,
      // A refusal or a missing object will not change on retry; a network blip might.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

const router = createAppRouter(queryClient);

onSessionEnded(() => {
  queryClient.setQueryData(['me'], null);
  void router.navigate({ to: '/login' });
});

// Theme values stay the defaults: a changed colour would need Mantine's runtime CSS variables <style>.
// Scroll locking in Mantine modals injects a <style> element, which the CSP refuses; the page keeps its scrollbar instead.
const theme = createTheme({
  components: {
    Modal: Modal.extend({ defaultProps: { lockScroll: false } }),
    Drawer: Drawer.extend({ defaultProps: { lockScroll: false } }),
  },
});

// The colour scheme stays in memory: nothing of the UI's state is written to localStorage.
const memoryScheme: MantineColorSchemeManager = {
  get: (fallback) => fallback,
  set: () => undefined,
  subscribe: () => undefined,
  unsubscribe: () => undefined,
  clear: () => undefined,
};

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {/* No runtime <style> elements: CSS variables and global classes come from the static styles.css. */}
      <MantineProvider theme={theme} withCssVariables={false} withGlobalClasses={false} colorSchemeManager={memoryScheme} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
