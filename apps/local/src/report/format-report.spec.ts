import { textTable } from './format-report';

describe('textTable', () => {
  it('pads columns to the widest cell and right-aligns numeric ones', () => {
    const t = textTable(
      ['topic', 'sent'],
      [
        ['orders', '2,000'],
        ['payments', '10'],
      ],
      new Set([1]),
    );
    expect(t.split('\n')).toEqual(['topic      sent', '--------  -----', 'orders    2,000', 'payments     10']);
  });
});
