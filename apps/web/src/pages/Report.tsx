/** `/teacher/sessions/:id/report`: the session report page (apps/web/src/report). */
export { ReportPage as Report } from '../report/ReportPage.js';
