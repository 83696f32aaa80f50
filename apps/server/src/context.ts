import type { Logger } from 'pino';
import type { Repository } from './db/repository.js';
import type { Hub } from './live/hub.js';

/** What route and socket handlers share. */
export interface ServerContext {
  repo: Repository;
  hub: Hub;
  log: Logger;
}
