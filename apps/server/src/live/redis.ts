import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';

/** Redis commands queued while disconnected beyond which new ones fail at once (memory bound). */
const MAX_QUEUED_COMMANDS = 10_000;
/** Entries the stream keeps (the adapter trims to about this many). */
const STREAM_MAX_LEN = 10_000;

/** The Redis side of a cluster of instances. */
export interface RedisLink {
  /** Removes every stream entry whose payload mentions `text` (a session or participant id). */
  purge(text: string): Promise<number>;
  /** Waits for pending commands, then closes (hangs while Redis does not answer: see `destroy`). */
  close(): Promise<void>;
  /** Drops the connection at once (pending commands fail). */
  destroy(): void;
}

/**
 * Joins this instance to others through Redis streams; per-class messages only go through it. Client
 * errors are logged and the client reconnects with back-off (up to 5 s); `onState` hears when Redis
 * becomes unreachable and when it is back. The first connection must succeed (a wrong URL fails start).
 */
export async function attachRedis(
  io: Server,
  url: string,
  opts: { streamName?: string; log: Logger; onState?: (ok: boolean, err?: unknown) => void },
): Promise<RedisLink> {
  const streamName = opts.streamName ?? 'smartsession';
  const client = createClient({
    url,
    commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
    socket: {
      connectTimeout: 5000,
      keepAlive: true,
      reconnectStrategy: (retries) => Math.min(5000, 100 * 2 ** Math.min(retries, 6)),
    },
  });
  let ok = true;
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (ok || now - lastLogged > 10_000) {
      opts.log.error({ err: err.message }, 'redis error; reconnecting');
      lastLogged = now;
    }
    if (ok) {
      ok = false;
      opts.onState?.(false, err);
    }
  });
  client.on('ready', () => {
    if (!ok) {
      ok = true;
      opts.log.info('redis connection back');
      opts.onState?.(true);
    }
  });
  await client.connect();
  io.adapter(createAdapter(client, { streamName, maxLen: STREAM_MAX_LEN }));
  return {
    async purge(text: string): Promise<number> {
      let removed = 0;
      let start = '-';
      for (;;) {
        const entries = await client.xRange(streamName, start, '+', { COUNT: 500 });
        const ids = entries
          .filter((e) => Object.values(e.message).some((v) => typeof v === 'string' && v.includes(text)))
          .map((e) => e.id);
        if (ids.length > 0) removed += await client.xDel(streamName, ids);
        if (entries.length < 500) return removed;
        start = `(${entries[entries.length - 1]!.id}`;
      }
    },
    async close() {
      try {
        await client.quit();
      } catch {
        client.destroy();
      }
    },
    destroy() {
      // The adapter's own connections (a blocking stream reader, a subscriber) close when its read
      // returns; destroying them here would make it throw, unhandled, on its way out.
      if (client.isOpen) client.destroy();
    },
  };
}
