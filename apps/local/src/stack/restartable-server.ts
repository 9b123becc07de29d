import * as net from 'node:net';
import type { EmbeddedServer } from '../embedded';

/** How long a restart waits for its port to be free again. */
const RESTART_WAIT_MS = 30_000;

/** True when 127.0.0.1:port can be bound now (the probe is closed again at once). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * An embedded server (s3rver, dynalite) that can be taken down and brought back on the same port and data
 * dir: while down, clients get connection refused, as when a service endpoint is unreachable.
 */
export class RestartableServer {
  private server?: EmbeddedServer;
  private port = 0;
  private change: Promise<void> = Promise.resolve();

  constructor(private readonly start: (port: number) => Promise<EmbeddedServer>) {}

  async open(): Promise<this> {
    this.server = await this.start(0);
    this.port = this.server.port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get down(): boolean {
    return this.server === undefined;
  }

  setDown(down: boolean): Promise<void> {
    this.change = this.change.then(async () => {
      if (down && this.server) {
        const s = this.server;
        this.server = undefined;
        await s.close();
      } else if (!down && !this.server) {
        this.server = await this.restart();
      }
    });
    return this.change;
  }

  /**
   * Back on the same port (clients keep their endpoint). While it was down, another process's connection may have
   * taken the port as its source port, which refuses the bind until that connection ends. The wait happens on a
   * bare probe socket: a failed start could leave the server's store open (dynalite opens LevelDB before listening).
   */
  private async restart(): Promise<EmbeddedServer> {
    const deadline = Date.now() + RESTART_WAIT_MS;
    while (!(await portFree(this.port))) {
      if (Date.now() > deadline) throw new Error(`port ${this.port} still in use after ${RESTART_WAIT_MS} ms: cannot bring the server back`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.start(this.port);
  }

  async close(): Promise<void> {
    await this.setDown(true);
  }
}
