/**
 * The student's proctor timeline options from the session's settings and their accommodations (pure). The
 * rule lives in the engine, shared with the simulator; this name is the student page's.
 */
export { studentTimelineOptions as timelineOptions } from '@smartsession/engine';
