/**
 * English messages (ICU MessageFormat). The keys are the catalogue: every other language must have the
 * same keys with the same placeholders (messages.test.ts checks it).
 */
export const en = {
  // common
  'common.language': 'Language',
  'common.loading': 'Loading…',
  'common.notFound': 'Page not found',
  'common.home': 'Home',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.saving': 'Saving…',
  'common.saved': 'Saved',
  'common.tryAgain': 'Try again',
  'common.copied': 'Copied',
  'common.copyFailed': 'Could not copy: select the link and copy it by hand.',

  // front door
  'home.title': 'Join your class',
  'home.lead':
    'SmartSession shows your teacher, live, who might need help. Everything is worked out on your own device: no video leaves it.',
  'home.students': 'Students',
  'home.codeLabel': 'Class code',
  'home.codeHelp': 'Your teacher shows the code on the board, for example K7PQ-2XHM.',
  'home.codeTooShort': 'A class code has at least 4 letters or digits.',
  'home.join': 'Join',
  'home.teachers': 'Teachers',
  'home.teachersText': 'Sign in to start a class and see it live, or create an account.',

  // sign in / up
  'auth.signIn': 'Sign in',
  'auth.signUp': 'Create account',
  'auth.signOut': 'Sign out',
  'activity.link': 'Account activity',
  'auth.createAccount': 'Create a teacher account',
  'auth.signInTitle': 'Teacher sign-in',
  'auth.createTitle': 'Create a teacher account',
  'auth.signInToContinue': 'Sign in to open the page you asked for.',
  'auth.name': 'Your name',
  'auth.email': 'Email',
  'auth.password': 'Password',
  'auth.passwordHelp': 'At least 8 characters.',
  'auth.haveAccount': 'I already have an account: sign in',
  'auth.noAccount': 'No account yet? Create one',

  // teacher home
  'teacher.title': 'Your classes',
  'teacher.newSession': 'Start a class',
  'teacher.sessionTitle': 'Title',
  'teacher.start': 'Start',
  'teacher.list': 'Recent classes',
  'teacher.none': 'No classes yet.',
  'teacher.sessionMeta':
    '{mode, select, exam {Exam} other {Support}} · code {code} · {when}{ended, select, yes { · ended} other {}}',

  // settings
  'settings.mode': 'Mode',
  'settings.mode.support': 'Support: gentle hints',
  'settings.mode.exam': 'Exam: proctoring alerts',
  'settings.emotion': 'Emotion reading',
  'settings.emotion.off': 'Off',
  'settings.emotion.on': 'On (each student chooses)',
  'settings.emotionToggle': 'Emotion reading (only for students who agree)',
  'settings.anonymous': 'Anonymous (class totals only)',
  'settings.serverAnalysis': 'Server analysis for devices that cannot analyse (students agree first)',
  'settings.serverAnalysisHelp':
    'Off by default. When on, a student whose device is too slow may agree to send small camera pictures to this server, which analyses them in memory and never stores or shows them.',

  // statuses: support and exam words for an alert
  'status.focused': 'Focused',
  'status.confused': 'Confused',
  'status.alert.support': 'Needs a look',
  'status.alert.exam': 'Exam alert',
  'status.calibrating': 'Calibrating',
  'status.paused': 'Paused',
  'status.camera-off': 'Camera off',
  'status.no-signal': 'No signal',
  'status.offline': 'Offline',

  // reasons: one vocabulary, from the codes on the wire
  'reason.LOOKING_AWAY':
    '{time, select, yes {Looking away for {seconds, plural, one {# second} other {# seconds}}} other {Looking away}}',
  'reason.NO_ONE_IN_VIEW':
    '{time, select, yes {No one in view for {seconds, plural, one {# second} other {# seconds}}} other {No one in view}}',
  'reason.PEOPLE_IN_VIEW': '{count, plural, one {# person in view} other {# people in view}}',
  'reason.BROWS_LOWERED':
    '{time, select, yes {Brows lowered for {seconds, plural, one {# second} other {# seconds}}} other {Brows lowered}}',
  'reason.HEAD_TILTED':
    '{time, select, yes {Head tilted for {seconds, plural, one {# second} other {# seconds}}} other {Head tilted}}',
  'reason.CAMERA_OFF': 'Camera off',
  'reason.PAUSED': 'Paused by the student',
  'reason.PAGE_HIDDEN': 'Left the page',
  'reason.CALIBRATING': 'Calibrating',
  'reason.TOO_DARK': 'Too dark to see the face',
  'reason.FACE_TOO_SMALL': 'Face too far from the camera',
  'reason.FACE_NOT_CLEAR': 'Face not clear enough',
  'reason.ANALYSIS_UNAVAILABLE': 'Analysis could not start on the device',
  'reason.WAITING_FOR_SIGNAL': 'Connected, waiting for the first result',

  // alert codes
  'alert.NO_PERSON': 'No one in view',
  'alert.MULTIPLE_PEOPLE': 'More than one person in view',
  'alert.GAZE_AWAY': 'Looking away',
  'alert.TAB_HIDDEN': 'Left the page',
  'alert.PAUSED': 'Paused during the exam',

  // score cues
  'cue.brow': 'Brows lowered',
  'cue.happy': 'Not smiling',
  'cue.tilt': 'Head tilted',

  // directions (the student's own left and right)
  'direction.CENTER': 'towards the screen',
  'direction.LEFT': 'to their left',
  'direction.RIGHT': 'to their right',
  'direction.UP': 'up',
  'direction.DOWN': 'down',

  // emotion labels (only with emotion reading on and agreed)
  'emotion.Happy / Engaged': 'Happy, engaged',
  'emotion.Focused / Neutral': 'Neutral',
  'emotion.Confused': 'Puzzled',

  // dashboard
  'dashboard.sessions': 'Your classes',
  'dashboard.report': 'Report',
  'dashboard.modeSupport': 'Support mode: signs are hints for you, never accusations; students see the same.',
  'dashboard.modeExam': 'Exam mode: proctoring alerts are shown prominently.',
  'dashboard.end': 'End class',
  'dashboard.endConfirm': 'End this class for every student?',
  'dashboard.ended': 'This class has ended. Everything that was open is now closed.',
  'dashboard.connecting': 'Connecting…',
  'dashboard.reconnecting': 'Connection lost: reconnecting… (the page updates by itself)',
  'dashboard.refused': 'The server refused the live connection: {message}',
  'dashboard.storageDown':
    "Saving is paused: the server's database is not answering. Live updates go on, and students' devices keep everything until it is saved.",
  'dashboard.clusterDown':
    'The link between the server instances is down: students connected to another instance may not show until it is back.',
  'dashboard.class': 'Class',
  'dashboard.anonymous': 'Anonymous mode: only class totals are shown.',

  // join panel
  'join.code': 'Join code',
  'join.copy': 'Copy link',
  'join.projector': 'Show on projector',
  'join.projectorTitle': 'Join {title}',
  'join.projectorStep': 'Go to {host} and type this code, or scan the QR code.',
  'join.qrLabel': 'QR code of the join link {url}',

  // markers
  'marker.label': 'Marker label',
  'marker.placeholder': 'Marker, for example started fractions',
  'marker.add': 'Add marker',

  // class summary and charts
  'summary.waiting': 'Waiting for students…',
  'summary.lost': 'Pressed “I’m lost”:',
  'summary.connected': '{count, plural, one {# connected} other {# connected}}',
  'chart.lost': '“I’m lost” (students)',
  'chart.lostAxis': 'Students',
  'chart.score': 'Confusion score',
  'chart.meanScore': 'Mean confusion score',
  'chart.classLabel':
    'Class timeline: share of connected students in each state over time, and how many pressed “I’m lost”.',
  'chart.studentLabel': 'Timeline of this student’s confusion score, coloured by state.',
  'chart.reportLabel':
    'Class timeline of the session: confused and focused shares and the mean confusion score.',

  // grid and tiles
  'grid.title': 'Students',
  'grid.show': 'Show',
  'grid.search': 'Search by name',
  'grid.count': '{shown} of {total, plural, one {# student} other {# students}}',
  'grid.orderNote': 'Who needs attention first comes first.',
  'grid.orderHeld': 'Order held while you move through the tiles.',
  'grid.empty': 'No students yet. Share the join code: students appear here as they join.',
  'filter.all': 'Everyone',
  'filter.attention': 'Needs attention',
  'filter.alert.support': 'Needs a look',
  'filter.alert.exam': 'Exam alerts',
  'filter.lost': 'Pressed “I’m lost”',
  'filter.confused': 'Confused',
  'filter.focused': 'Focused',
  'filter.grey': 'No signal or offline',
  'tile.for': 'for',
  'tile.lost': 'Pressed “I’m lost”.',
  'tile.sparkline': 'Confusion',
  'tile.sparklineTitle': 'Confusion score over the last 2 minutes',

  // alerts feed
  'feed.title.support': 'Needs a look',
  'feed.title.exam': 'Exam alerts',
  'feed.hint.support': 'Hints, not accusations: a student may simply be thinking or taking notes.',
  'feed.hint.exam': 'Alerts appear after a few seconds, so a glance away is never one.',
  'feed.waiting': '{count} waiting',
  'feed.lost': 'Pressed “I’m lost”',
  'feed.started': 'started {time}',
  'feed.ongoing': 'still going,',
  'feed.ended': 'ended {time} after {duration}',
  'feed.acknowledge': 'Acknowledge',
  'feed.dismiss': 'Dismiss',
  'feed.acknowledged': 'acknowledged',
  'feed.moreEarlier': '{count, plural, one {and # earlier} other {and # earlier}}',
  'feed.showDismissed': 'Show dismissed',
  'feed.dismissEnded': 'Dismiss all ended ({count})',
  'feed.signals': 'Tell me about new alerts',
  'feed.sound': 'With a sound',
  'feed.desktop': 'With a desktop notification',
  'feed.desktopRefused': 'The browser does not allow notifications for this page.',
  'feed.empty': 'Nothing to look at.',
  'feed.showAll': 'Show all {count}',
  'feed.showFewer': 'Show fewer',
  'feed.announce': '{name}: {what}',
  'feed.aStudent': 'A student',

  // student detail
  'detail.close': 'Close the details of {name}',
  'detail.timeline': 'Timeline',
  'detail.why': 'Why the engine thinks so',
  'detail.noScore': 'No score yet.',
  'detail.score': 'Confusion score',
  'detail.scoreSum': '= {parts}',
  'detail.signals': 'What the camera sees now',
  'detail.asOf': 'as of {time}',
  'detail.noFrame': 'Nothing analysed yet.',
  'detail.faces': 'Faces in view',
  'detail.head': 'Head turned',
  'detail.eyes': 'Eyes turned',
  'detail.angles': 'Turn / nod / tilt',
  'detail.expression': 'Expression',
  'detail.quality': 'Picture',
  'detail.qualityPoor': 'too dark, small or blurred',
  'detail.accommodations': 'Accommodations',
  'detail.lookAway': 'Look-away limit (seconds)',
  'detail.lookAwayRange': 'The look-away limit must be between 1 and 120 seconds.',
  'detail.gazeChecks': 'Check where the student looks',

  // report
  'report.title': 'Class report',
  'report.titleOf': 'Report: {title}',
  'report.backToDashboard': 'Live dashboard',
  'report.meta':
    '{when} · {duration} · {mode, select, exam {exam mode} other {support mode}} · {students, plural, one {# student} other {# students}}{running, select, yes { · still running (figures up to now)} other {}}',
  'report.download': 'Download:',
  'report.file.json': 'JSON',
  'report.file.students': 'CSV: students',
  'report.file.alerts': 'CSV: alerts',
  'report.file.timeline': 'CSV: timeline',
  'report.print': 'Print',
  'report.chartTitle': 'Class confusion over time',
  'report.peaks': 'Confusion peaks',
  'report.noPeaks': 'No moment where a quarter of the class was confused.',
  'report.peak': '{share} confused for {duration}',
  'report.afterMarker': 'after “{label}”',
  'report.markers': 'Markers',
  'report.noMarkers': 'No markers.',
  'report.students': 'Students',
  'report.nobody': 'Nobody joined.',
  'report.tableCaption':
    'Time each student spent in each state, and in brackets its share of the time they were in the class. “Away” is the part of the alert time with no one in view or looking away.',
  'report.student': 'Student',
  'report.away': 'of which away',
  'report.other': 'Calibrating, paused, camera off or no signal',
  'report.alertCount.support': 'Times needing a look',
  'report.alertCount.exam': 'Exam alerts',
  'report.lostCount': 'Pressed “I’m lost”',
  'report.meanScore': 'Mean confusion score (0–1)',
  'report.alertsTitle.support': 'Needing a look, and “I’m lost”',
  'report.alertsTitle.exam': 'Exam alerts, and “I’m lost”',
  'report.none': 'None.',
  'report.blips':
    '{count, plural, one {# alert shorter than 3 seconds (a glance away) is not listed.} other {# alerts shorter than 3 seconds (glances away) are not listed.}}',
  'report.when': 'When (from the start)',
  'report.what': 'What',
  'report.duration': 'How long',
  'report.stillOpen': '(still open when the report was made)',

  // student page
  'student.joinTitle': 'Join a class',
  'student.enterCode': 'Type your class code',
  'student.noSuchClass': 'There is no class with the code “{code}”. Check the code your teacher gave you.',
  'student.classEnded': 'This class has ended.',
  'student.cannotReach': 'The class cannot be reached right now. Check your connection and try again.',
  'student.tryAnotherCode': 'Try another code',
  'student.nameLabel': 'Your name',
  'student.nameHelp':
    'As your teacher should see it. Add your last name if someone else has the same first name.',
  'student.nameMissing': 'Please type the name your teacher will see.',
  'student.next': 'Next',
  'student.notYou': 'Not you? Join with another name',
  'student.changeName': 'Change my name',
  'student.starting': 'Starting…',
  'student.startingLong':
    'Starting the camera and the analysis on this device (this can take a few seconds)…',
  'student.sameAsTeacher': 'Your teacher sees the same.',
  'student.preview': 'Your camera (only you see this picture)',
  'student.calibrating': 'Getting used to your face: look at the screen as you normally would… {progress}',
  'student.lost': 'I’m lost',
  'student.lostSent': 'Your teacher knows you’re lost. Press again when you’re back on track.',
  'student.pause': 'Pause',
  'student.pauseExam': 'Pause (your teacher sees an alert)',
  'student.resume': 'Resume',
  'student.recalibrate': 'Calibrate again',
  'student.faceBox': 'Show the face box',
  'student.showSent': 'What is sent?',
  'student.hideSent': 'Hide what is sent',
  'student.online': 'Connected: your teacher is getting your status.',
  'student.catchingUp': 'Connected: sending what was kept while the connection was down…',
  'student.offline': 'Not connected: your updates are kept and sent when the connection is back.',
  'student.rejected': 'The server refused an update from this device: {message}',
  'student.holding':
    'Connected: your teacher sees your status, but the school server cannot save right now; this device keeps your updates until it can.',
  'student.ended': 'Your teacher ended this class. The camera is off; you can close this page.',
  'student.refused': 'This page cannot connect to the class ({message}). Open the join link again.',
  'student.analysisFailed': 'The analysis could not start on this device.',
  'student.analysisFailedAdvice':
    'Your teacher sees “No signal”. Check your connection; the page tries again by itself every 15 seconds.',
  'student.forHelper': 'Details for whoever helps you',

  // camera problems
  'camera.denied.message': 'The camera is blocked for this page.',
  'camera.denied.advice':
    'Click the camera icon in the address bar and allow the camera, then press “Try again”.',
  'camera.not-found.message': 'No camera was found.',
  'camera.not-found.advice': 'Plug in a webcam (or turn it on), then press “Try again”.',
  'camera.in-use.message': 'The camera is being used by another app.',
  'camera.in-use.advice': 'Close other apps that use the camera (video calls), then press “Try again”.',
  'camera.unsupported.message': 'This browser cannot open the camera on this page.',
  'camera.unsupported.advice': 'Open the link in an up-to-date Chrome, Edge or Firefox.',
  'camera.ended.message': 'The camera stopped.',
  'camera.ended.advice': 'Reconnect it: this page starts again by itself as soon as it is back.',
  'camera.unknown.message': 'The camera could not be opened.',
  'camera.unknown.advice':
    'Check that a camera is connected and allowed for this site, then press “Try again”.',

  // consent
  'consent.title': 'Before we start',
  'consent.camera':
    'This page uses your camera to notice, a few times a second, whether a face is in view, how many, which way your head is turned, and whether your brows are lowered or your head tilted, to guess whether you might be stuck.',
  'consent.noVideo': 'No picture or video leaves this device.',
  'consent.noVideoMore':
    'The analysis runs inside this browser; only a few words and numbers are sent, such as “Focused, head towards the screen”. You can see what is sent at any time with “What is sent?”.',
  'consent.teacherSees.support':
    'Your teacher sees your name, one status (Focused, Confused, Needs a look, or grey when there is nothing to tell) with a short reason, a confusion score over time, and when you press “I’m lost”.',
  'consent.teacherSees.exam':
    'Your teacher sees your name, one status (Focused, Confused, Exam alert, or grey when there is nothing to tell) with a short reason, a confusion score over time, and when you press “I’m lost”.',
  'consent.mode.support':
    'You can pause at any time; your teacher then sees “Paused”. Nothing here is graded.',
  'consent.mode.exam':
    'This is an exam: looking away for a while, no one or more than one person in view, leaving the page and pausing are shown to your teacher as alerts.',
  'consent.calibration':
    'First the page gets used to your face for about 3 seconds: look at the screen as you normally would.',
  'consent.emotionBox': 'Also read my facial expression (whether I smile) to help guess whether I am stuck.',
  'consent.emotionHelp':
    'Optional. If you leave this unticked, your expression is never read, sent or shown, even if your teacher turns it on later.',
  'consent.emotionOff': 'Reading facial expressions is switched off for this class.',
  'consent.declineTitle': 'If you don’t agree',
  'consent.declineText':
    'Nothing starts: your camera stays off, nothing about you is sent, and you will not appear on your teacher’s screen. Nothing bad happens; you can tell your teacher and take part without it.',
  'consent.accept': 'I agree, start',
  'consent.decline': 'I don’t agree',
  'consent.declinedTitle': 'You said no: nothing was started',
  'consent.declinedText':
    'Your camera is off and nothing about you was sent. Your teacher does not see you in this class on SmartSession.',
  'consent.declinedTalk': 'You can take part in the lesson as usual; tell your teacher if you want to.',
  'consent.changeMind': 'I changed my mind',
  'consent.server.sent':
    'Here the analysis is done on your school’s SmartSession server instead of on this device (for devices that cannot do it themselves). Small pictures from your camera are sent there: about 2 a second, each 320 × 240.',
  'consent.server.memory':
    'The server looks at each picture in its memory and forgets it at once. Pictures are never saved, never recorded and never shown to anyone: not your teacher, not other students, not the school.',
  'consent.server.same':
    'Only the same few words and numbers as on any other device are sent on to your teacher, such as “Focused, head towards the screen”.',
  'consent.server.no':
    'If you would rather not send pictures, choose “Only on this device”: the page then tries to do the analysis here; if it cannot, your teacher sees that your status is not available.',
  'consent.server.browserOnly': 'Only on this device, send no pictures',
  'server.offer.failed': 'This device cannot do the analysis',
  'server.offer.slow': 'This device is slow at the analysis',
  'server.offer.accept': 'Yes, use the school’s server',
  'server.offer.decline': 'No, keep it on this device',
  'server.running':
    'Analysed on your school’s server: small pictures, about 2 a second, analysed in memory and never stored or shown to anyone.',
  'analysis.place.server': 'Analysed on the server',
  'analysis.place.browser': 'Analysed on the device',

  // what is sent
  'sent.title': 'What your teacher receives',
  'sent.intro':
    'This is the last update this page sent, in words. It is all your teacher gets from your camera.',
  'sent.nothing': 'Nothing sent yet.',
  'sent.when': 'Sent at',
  'sent.what': 'What',
  'sent.lost': 'You pressed “I’m lost”',
  'sent.resolved': 'You are back on track',
  'sent.status': 'Status',
  'sent.reason': 'Why',
  'sent.faces': 'Faces in view',
  'sent.noFrame': 'nothing analysed (starting, paused or camera off)',
  'sent.head': 'Head turned',
  'sent.eyes': 'Eyes turned',
  'sent.score': 'Confusion score (0 to 1)',
  'sent.emotion': 'Facial expression',
  'sent.emotionNone': 'not read',
  'sent.never': 'Never sent: pictures, video, sound, or anything else from your device.',
  'sent.exact': 'The exact data (for the curious)',
} as const;

/** A message key. */
export type MessageKey = keyof typeof en;
