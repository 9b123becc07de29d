import { dlqArchiveKey, quarantineKey } from '@lean-ops/contracts';
import { parseArchiveKey } from './archive-key';

describe('parseArchiveKey', () => {
  const at = new Date('2026-11-26T08:15:00Z');

  it.each(['plain-id-1', 'has/slash', '../escape', 'a.b.c', 'spaces are%20odd', 'ünïcode'])('reads back the id of %s from both layouts', (id) => {
    expect(parseArchiveKey(quarantineKey('orders', at, id))).toEqual({ topic: 'orders', id });
    expect(parseArchiveKey(dlqArchiveKey('payments', at, id))).toEqual({ topic: 'payments', id });
  });

  it('refuses keys outside the layout', () => {
    expect(parseArchiveKey('quarantine/orders/x.json')).toBeUndefined();
    expect(parseArchiveKey('quarantine/topic=orders/dt=2026-11-26/x.txt')).toBeUndefined();
    expect(parseArchiveKey('quarantine/topic=orders/dt=2026-11-26/%E0%A4%A.json')).toBeUndefined();
    expect(parseArchiveKey('quarantine/topic=orders/dt=2026-11-26/sub/x.json')).toBeUndefined();
  });
});
