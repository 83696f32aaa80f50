/**
 * A small TCP proxy for fault tests: the server under test reaches PostgreSQL or Redis through it, and
 * the test cuts the line for real: `reset()` destroys every connection (as a restart or a network reset
 * does), `refuse(true)` closes new ones at once, `blackhole(true)` stops moving bytes in either
 * direction without closing anything (as a network that silently drops packets).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private refusing = false;
  private holed = false;
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy on a free local port in front of `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    const p = new TcpProxy(host, port);
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    return p;
  }

  /** The local port to connect to. */
  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** `url` with its host and port replaced by this proxy's. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    this.accepted++;
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (d) => {
      if (!upstream.write(d)) client.pause();
    });
    upstream.on('data', (d) => {
      if (!client.write(d)) upstream.pause();
    });
    client.on('drain', () => {
      if (!this.holed) upstream.resume();
    });
    upstream.on('drain', () => {
      if (!this.holed) client.resume();
    });
    if (this.holed) {
      client.pause();
      upstream.pause();
    }
  }

  /** Destroys every open connection (both ends see a reset). */
  reset(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  /** While on, new connections are closed at once. */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  /** While on, no byte moves in either direction (connections stay open and hang). */
  blackhole(on: boolean): void {
    this.holed = on;
    for (const [a, b] of this.pairs) {
      if (on) {
        a.pause();
        b.pause();
      } else {
        a.resume();
        b.resume();
      }
    }
  }

  /** Stops listening first, then cuts what is open: a client reconnecting meanwhile cannot keep it open. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.refusing = true;
    this.reset();
    await closed;
  }
}
