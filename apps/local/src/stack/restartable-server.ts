import type { EmbeddedServer } from '../embedded';

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
        this.server = await this.start(this.port);
      }
    });
    return this.change;
  }

  async close(): Promise<void> {
    await this.setDown(true);
  }
}
