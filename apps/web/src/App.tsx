/** The app shell: picks the page for the current path. */
import { matchRoute, usePath } from './router.js';
import { Home } from './pages/Home.js';
import { SignIn } from './pages/SignIn.js';
import { TeacherHome } from './pages/TeacherHome.js';
import { Activity } from './pages/Activity.js';
import { Report } from './pages/Report.js';
import { Dashboard } from './dashboard/Dashboard.js';
import { StudentPage } from './student/StudentPage.js';
import { useI18n } from './i18n/i18n.js';
import { TopBar } from './ui/TopBar.js';

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <TopBar />
      <main className="page">
        <h1>{t('common.notFound')}</h1>
        <a href="/">{t('common.home')}</a>
      </main>
    </>
  );
}

export function App() {
  const route = matchRoute(usePath());
  switch (route.page) {
    case 'home':
      return <Home />;
    case 'signin':
      return <SignIn key="login" mode="login" />;
    case 'signup':
      return <SignIn key="signup" mode="signup" />;
    case 'teacher':
      return <TeacherHome />;
    case 'activity':
      return <Activity />;
    case 'dashboard':
      return <Dashboard key={route.sessionId} sessionId={route.sessionId} />;
    case 'report':
      return <Report sessionId={route.sessionId} />;
    case 'join':
      return <StudentPage key={route.joinCode} joinCode={route.joinCode} />;
    case 'not-found':
      return <NotFound />;
  }
}
