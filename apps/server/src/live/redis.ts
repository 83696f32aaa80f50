import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';

/** Joins this instance to others through Redis streams; per-class messages only go through it. */
export async function attachRedis(
  io: Server,
  url: string,
  streamName = 'smartsession',
): Promise<{ close(): Promise<void> }> {
  const client = createClient({ url });
  await client.connect();
  io.adapter(createAdapter(client, { streamName }));
  return {
    async close() {
      try {
        await client.quit();
      } catch {
        client.destroy();
      }
    },
  };
}
