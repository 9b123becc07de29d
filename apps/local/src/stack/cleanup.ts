/** Stop steps in the order things started; they run in reverse, each one even if another fails. */
export class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = [];

  constructor(private readonly log: (line: string) => void) {}

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        this.log(`stop: ${String(err)}`);
      }
    }
  }
}
