/** What woke the breaker: alarm notifications (from SNS) and/or a scheduled tick. */
export type BreakerTrigger = { type: 'ALARM' | 'OK'; alarmName: string } | { type: 'TICK' };

interface SnsRecordLike {
  Sns?: { Message?: unknown };
}

/**
 * The alert topic carries CloudWatch alarm notifications and also the breaker's own transition messages, so
 * anything that is not an alarm state change to ALARM or OK is ignored (INSUFFICIENT_DATA included).
 */
export function parseBreakerEvent(event: unknown): BreakerTrigger[] {
  if (typeof event !== 'object' || event === null) return [];
  const e = event as { Records?: unknown; 'detail-type'?: unknown };
  if (e['detail-type'] === 'Scheduled Event') return [{ type: 'TICK' }];
  if (!Array.isArray(e.Records)) return [];
  const out: BreakerTrigger[] = [];
  for (const r of e.Records as SnsRecordLike[]) {
    const raw = r?.Sns?.Message;
    if (typeof raw !== 'string') continue;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof msg !== 'object' || msg === null) continue;
    const { AlarmName, NewStateValue } = msg as { AlarmName?: unknown; NewStateValue?: unknown };
    if (typeof AlarmName !== 'string' || (NewStateValue !== 'ALARM' && NewStateValue !== 'OK')) continue;
    out.push({ type: NewStateValue, alarmName: AlarmName });
  }
  return out;
}
