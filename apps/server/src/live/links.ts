/**
 * The transport as the live core sees it: a student link (send, close), the teachers of a session
 * (send to all, across instances), and the control bus between instances. Socket.IO implements these in
 * `sockets.ts`; tests use in-memory fakes.
 */
import type {
  Accommodations,
  ServerToStudentMessage,
  ServerToTeacherMessage,
  SessionSettings,
} from '@smartsession/protocol';

/** One student's connection. */
export interface StudentLink {
  send(msg: ServerToStudentMessage): void;
  /** Ends the connection (the student's client may reconnect unless it was told why). */
  close(): void;
}

/** The teachers watching sessions, on every instance. */
export interface TeacherChannel {
  /**
   * Sends to every teacher of a session: through the cluster adapter when there is one and it is up,
   * to this instance's teachers only while it is down (so they never wait on it).
   */
  send(sessionId: string, msg: ServerToTeacherMessage): void;
  /** Sends to the teachers of a session connected to this instance only. */
  sendLocal(sessionId: string, msg: ServerToTeacherMessage): void;
  /** Sessions with a teacher connected to this instance. */
  localSessions(): string[];
  /** True when a teacher of the session is connected to this instance. */
  watching(sessionId: string): boolean;
  /** Disconnects every teacher of a session, on every instance. */
  closeSession(sessionId: string): void;
  /** Disconnects every socket signed in with this auth session (logout), on every instance. */
  closeAuth(authSessionId: string): void;
}

/** Teacher actions every instance applies to its local rooms and students. */
export type Control =
  | { kind: 'settings'; sessionId: string; settings: SessionSettings }
  | { kind: 'accommodations'; sessionId: string; participantId: string; accommodations: Accommodations }
  | { kind: 'ended'; sessionId: string; endedAt: number }
  | { kind: 'deleted'; sessionId: string }
  | { kind: 'participant_deleted'; sessionId: string; participantId: string }
  | { kind: 'ack_alert'; sessionId: string; alertId: string; t: number };

/** The control bus between instances (absent for a single instance). */
export interface ControlBus {
  /** Sends a control event to every other instance. */
  publish(control: Control): void;
  /** Calls `handler` for control events from other instances. */
  subscribe(handler: (control: Control) => void): void;
}
