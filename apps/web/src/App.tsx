import { lazy, Suspense, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { onUnauthenticated } from './api/client';
import { keys } from './api/keys';
import { Layout } from './components/Layout';
import { Loading } from './components/Section';
import { LiveProvider } from './hooks/useLive';
import { useMe } from './hooks/useMe';
import { LoginPage } from './pages/LoginPage';
import { ReleasePage } from './pages/ReleasePage';
import { ReleasesPage } from './pages/ReleasesPage';
import { StatusPage } from './pages/StatusPage';

const NewReleasePage = lazy(() => import('./pages/NewReleasePage'));
const PlaybooksPage = lazy(() => import('./pages/PlaybooksPage'));
const PlaybookPage = lazy(() => import('./pages/PlaybookPage'));
const AdminPage = lazy(() => import('./pages/AdminPage'));

function Authenticated() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading what="your session" />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <LiveProvider enabled>
      <Layout me={me.data} />
    </LiveProvider>
  );
}

export function App() {
  const queryClient = useQueryClient();
  useEffect(() => onUnauthenticated(() => queryClient.setQueryData(keys.me, null)), [queryClient]);
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/status" element={<StatusPage />} />
        <Route element={<Authenticated />}>
          <Route index element={<ReleasesPage />} />
          <Route path="/releases" element={<Navigate to="/" replace />} />
          <Route path="/releases/new" element={<NewReleasePage />} />
          <Route path="/releases/:id" element={<ReleasePage />} />
          <Route path="/playbooks" element={<PlaybooksPage />} />
          <Route path="/playbooks/:id" element={<PlaybookPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route path="*" element={<p>Nothing here. <a href="/">Back to releases</a></p>} />
        </Route>
      </Routes>
    </Suspense>
  );
}
