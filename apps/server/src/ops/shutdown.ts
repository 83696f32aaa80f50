/**
 * Stopping within a deadline. `docker stop` and Kubernetes wait about 10-30 s after SIGTERM and then kill;
 * a graceful stop that waits on a dependency that no longer answers (Redis silent, so its QUIT never gets a
 * reply) or on a client holding a request open would otherwise never finish, and whatever comes after it
 * (committing the last samples, closing the database) would not run either. So each step gets what is left
 * of one deadline; a step still running then is forced (connections destroyed) and the next one runs.
 * Nothing acknowledged is at risk: a sample is acked only once stored, so a device keeps what a forced stop
 * did not commit and sends it again to the next instance.
 */
import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  /** The graceful way; gets the milliseconds it may take. */
  run: (ms: number) => Promise<unknown> | void;
  /** At most this long, so that later steps (the database's close) keep their time. */
  maxMs?: number;
  /** The way when graceful took too long (destroy sockets, drop a client). */
  force?: () => void;
}

/** Each step gets at least this long, even past the deadline: forcing right away would skip easy steps. */
const MIN_STEP_MS = 100;

/** Runs `steps` in order, all within `totalMs`; never throws (a failed step is logged and skipped). */
export async function shutdown(steps: ShutdownStep[], totalMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + totalMs;
  for (const step of steps) {
    const ms = Math.max(MIN_STEP_MS, Math.min(step.maxMs ?? Infinity, deadline - Date.now()));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    try {
      const outcome = await Promise.race([Promise.resolve(step.run(ms)).then(() => 'done' as const), late]);
      if (outcome === 'late') {
        log.warn({ step: step.name, ms }, 'stopping: step did not finish in time; forced');
        step.force?.();
      }
    } catch (err) {
      log.warn({ step: step.name, err }, 'stopping: step failed');
      step.force?.();
    } finally {
      clearTimeout(timer);
    }
  }
}
