export interface CheckpointCounts {
  received: number;
  delivered: number;
  dropped: number;
  retried: number;
  dlqArchived: number;
}

export interface WaterBalance extends CheckpointCounts {
  windows: number;
  /** received - (delivered + dropped + retried): every receive must end in exactly one of those. */
  gap: number;
}

export function waterBalance(windows: readonly Partial<CheckpointCounts>[]): WaterBalance {
  const sum = (k: keyof CheckpointCounts) => windows.reduce((s, w) => s + (w[k] ?? 0), 0);
  const c = { received: sum('received'), delivered: sum('delivered'), dropped: sum('dropped'), retried: sum('retried'), dlqArchived: sum('dlqArchived') };
  return { ...c, windows: windows.length, gap: c.received - (c.delivered + c.dropped + c.retried) };
}
