import { parseBreakerEvent } from './breaker-event';

const sns = (...messages: unknown[]) => ({ Records: messages.map((m) => ({ EventSource: 'aws:sns', Sns: { Message: typeof m === 'string' ? m : JSON.stringify(m) } })) });

describe('parseBreakerEvent', () => {
  it('reads alarm notifications', () => {
    expect(parseBreakerEvent(sns({ AlarmName: 'a1', NewStateValue: 'ALARM' }, { AlarmName: 'a2', NewStateValue: 'OK' }))).toEqual([
      { type: 'ALARM', alarmName: 'a1' },
      { type: 'OK', alarmName: 'a2' },
    ]);
  });
  it('ignores its own transition messages, INSUFFICIENT_DATA and junk', () => {
    expect(parseBreakerEvent(sns({ type: 'BreakerTransition', topic: 'orders' }, { AlarmName: 'a', NewStateValue: 'INSUFFICIENT_DATA' }, 'not json', 'null'))).toEqual([]);
  });
  it('reads a scheduled event as a tick', () => {
    expect(parseBreakerEvent({ 'detail-type': 'Scheduled Event', source: 'aws.events' })).toEqual([{ type: 'TICK' }]);
  });
  it('ignores anything else', () => {
    expect(parseBreakerEvent(null)).toEqual([]);
    expect(parseBreakerEvent({ foo: 1 })).toEqual([]);
  });
});
