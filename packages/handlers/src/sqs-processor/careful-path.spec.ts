import { producerIdOf, runGroups } from './careful-path';

describe('runGroups', () => {
  it('puts suspects first, each alone, then the rest in groups of about sqrt(n)', () => {
    const indices = Array.from({ length: 12 }, (_, i) => i);
    expect(runGroups(indices, new Set([7, 3]))).toEqual([[3], [7], [0, 1, 2, 4], [5, 6, 8, 9], [10, 11]]);
  });
  it('keeps every record exactly once', () => {
    const indices = Array.from({ length: 1000 }, (_, i) => i);
    const groups = runGroups(indices, new Set([5, 500]));
    expect(groups.flat().sort((a, b) => a - b)).toEqual(indices);
    expect(groups).toHaveLength(2 + 32);
  });
  it('an empty run has no groups', () => {
    expect(runGroups([], new Set())).toEqual([]);
  });
});

describe('producerIdOf', () => {
  it('reads the message_id without parsing the body, else falls back to the SQS id', () => {
    expect(producerIdOf('{"message_id":"m-1","json_payload":{}}', 'sqs-1')).toBe('m-1');
    expect(producerIdOf('not json', 'sqs-1')).toBe('sqs-1');
  });
});
