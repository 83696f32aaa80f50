/** The app shell: picks the page for the current path. */
import { matchRoute, usePath } from './router.js';
import { SignIn } from './pages/SignIn.js';
import { TeacherHome } from './pages/TeacherHome.js';
import { Activity } from './pages/Activity.js';
import { Report } from './pages/Report.js';
import { Dashboard } from './dashboard/Dashboard.js';
import { StudentPage } from './student/StudentPage.js';

export function App() {
  const route = matchRoute(usePath());
  switch (route.page) {
    case 'home':
      return <SignIn />;
    case 'teacher':
      return <TeacherHome />;
    case 'activity':
      return <Activity />;
    case 'dashboard':
      return <Dashboard key={route.sessionId} sessionId={route.sessionId} />;
    case 'report':
      return <Report sessionId={route.sessionId} />;
    case 'join':
      return <StudentPage joinCode={route.joinCode} />;
    case 'not-found':
      return (
        <main className="page">
          <h1>Page not found</h1>
          <a href="/">Home</a>
        </main>
      );
  }
}
