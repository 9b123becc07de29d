import type { EventSourceMappingConfig, EventSourceMappingUpdate, EventSourceMappingView, EventSourceMappings } from './esm';
import { functionNameOf } from './lambda-runtime';

/**
 * The states an event source mapping reports (API reference, EventSourceMappingConfiguration.State):
 * Creating, Enabling, Enabled, Disabling, Disabled, Updating, Deleting.
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
 */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';
type Transitional = Exclude<MappingState, 'Enabled' | 'Disabled'>;

/**
 * ResourceInUseException: "you tried to update an event source mapping in the CREATING state, or you tried to
 * delete an event source mapping currently UPDATING" (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors).
 */
export class MappingInUseError extends Error {}

export interface MappingStatesOptions {
  /**
   * How long a change is reported in its transitional state before the stable one (AWS takes seconds). The poller
   * itself starts or stops at once; a deletion also waits for the invocations in flight. 0: no transitional states.
   */
  transitionMs: number;
  clock?: () => number;
}

/**
 * The API's view of event source mappings: each change is first reported in its transitional state (Creating,
 * Enabling, Disabling, Updating, Deleting), then as Enabled or Disabled; a deleted mapping disappears once its
 * pollers have stopped. Changes during Creating, Updating or Deleting are refused, as AWS refuses them; the API
 * reference names no conflict for Enabling and Disabling, and the breaker and the redrive tool toggle `Enabled`
 * back and forth, so those accept a further change.
 */
export class MappingStates {
  private readonly transitions = new Map<string, { state: Transitional; until: number }>();
  private readonly deleting = new Map<string, { view: EventSourceMappingView; until: number; done: boolean; settled: Promise<unknown> }>();
  private readonly clock: () => number;

  constructor(
    private readonly esm: EventSourceMappings,
    private readonly opts: MappingStatesOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
  }

  create(config: EventSourceMappingConfig): MappingView {
    const v = this.esm.create(config);
    this.mark(v.uuid, 'Creating');
    return this.view(v);
  }

  list(filter: { functionName?: string; eventSourceArn?: string } = {}): MappingView[] {
    const fn = filter.functionName ? functionNameOf(filter.functionName) : undefined;
    const going = [...this.deleting.keys()].map((uuid) => this.get(uuid)).filter((v): v is MappingView => v !== undefined);
    const matching = going.filter((v) => (!fn || v.functionName === fn) && (!filter.eventSourceArn || v.eventSourceArn === filter.eventSourceArn));
    return [
      ...this.esm
        .list(filter)
        .filter((v) => !this.deleting.has(v.uuid))
        .map((v) => this.view(v)),
      ...matching,
    ];
  }

  get(uuid: string): MappingView | undefined {
    const d = this.deleting.get(uuid);
    if (d) {
      if (!d.done || this.clock() < d.until) return { ...d.view, state: 'Deleting' };
      this.deleting.delete(uuid);
      return undefined;
    }
    const v = this.esm.get(uuid);
    return v && this.view(v);
  }

  update(uuid: string, patch: EventSourceMappingUpdate): MappingView | undefined {
    const before = this.get(uuid);
    if (!before) return undefined;
    this.refuseWhile(before, 'update');
    const wasEnabled = this.esm.get(uuid)!.state === 'Enabled';
    const v = this.esm.update(uuid, patch)!;
    const enabled = v.state === 'Enabled';
    this.mark(uuid, wasEnabled === enabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling');
    return this.view(v);
  }

  /** Reports Deleting until the pollers stopped and the transition time passed; then the mapping is gone. */
  delete(uuid: string): MappingView | undefined {
    const before = this.get(uuid);
    if (!before) return undefined;
    this.refuseWhile(before, 'delete');
    const view = this.esm.get(uuid)!;
    const entry = { view, until: this.clock() + this.opts.transitionMs, done: false, settled: Promise.resolve() as Promise<unknown> };
    entry.settled = this.esm.delete(uuid).finally(() => (entry.done = true));
    this.deleting.set(uuid, entry);
    this.transitions.delete(uuid);
    return { ...view, state: 'Deleting' };
  }

  /** Resolves when every deletion started so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.deleting.values()].map((d) => d.settled));
  }

  private mark(uuid: string, state: Transitional): void {
    if (this.opts.transitionMs > 0) this.transitions.set(uuid, { state, until: this.clock() + this.opts.transitionMs });
  }

  private current(uuid: string): Transitional | undefined {
    const t = this.transitions.get(uuid);
    if (!t) return undefined;
    if (this.clock() < t.until) return t.state;
    this.transitions.delete(uuid);
    return undefined;
  }

  private refuseWhile(v: MappingView, verb: string): void {
    if (v.state === 'Creating' || v.state === 'Updating' || v.state === 'Deleting') {
      throw new MappingInUseError(`Cannot ${verb} the event source mapping ${v.uuid} because it is in use (state ${v.state}).`);
    }
  }

  private view(v: EventSourceMappingView): MappingView {
    return { ...v, state: this.current(v.uuid) ?? v.state };
  }
}

export type MappingView = Omit<EventSourceMappingView, 'state'> & { state: MappingState };
