/** Child process of the server benchmark: runs the simulated class so it does not share the server's CPU. */
import { simulateClass, type SimulatedClass } from 'smartsession';

let sim: SimulatedClass | null = null;

process.on(
  'message',
  (
    msg:
      | { cmd: 'start'; url: string; code: string; students: number; rateHz: number }
      | { cmd: 'stats' }
      | { cmd: 'stop' },
  ) => {
    void (async () => {
      if (msg.cmd === 'start') {
        sim = await simulateClass({
          url: msg.url,
          code: msg.code,
          students: msg.students,
          rateHz: msg.rateHz,
          joinSpreadMs: msg.students * 4,
        });
        process.send!({ cmd: 'started', stats: sim.stats });
      } else if (msg.cmd === 'stats') {
        process.send!({ cmd: 'stats', stats: sim?.stats });
      } else {
        await sim?.stop();
        process.send!({ cmd: 'stopped', stats: sim?.stats });
        process.disconnect();
      }
    })();
  },
);
