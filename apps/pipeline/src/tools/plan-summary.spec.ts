import plan from './fixtures/plan-small.json';
import stack from './fixtures/stack-small.json';
import { constructPaths, countChanges, plannedChanges, summaryLine, baseAddress, type PlanJson } from './plan-summary';

describe('plan summary', () => {
  it('classifies changes and counts them', () => {
    const changes = plannedChanges(plan as unknown as PlanJson);
    expect(changes.map((c) => c.kind)).toEqual(['add', 'add', 'change', 'replace', 'destroy']);
    expect(countChanges(changes)).toEqual({ add: 2, change: 1, replace: 1, destroy: 1 });
  });

  it('prints the validate line', () => {
    expect(summaryLine({ add: 57, change: 0, replace: 0, destroy: 0 })).toBe('plan 57 to add');
    expect(summaryLine({ add: 0, change: 1, replace: 1, destroy: 2 })).toBe('plan 1 to change, 1 to replace, 2 to destroy');
    expect(summaryLine({ add: 0, change: 0, replace: 0, destroy: 0 })).toBe('plan no changes');
  });

  it('maps addresses to construct paths below the stack, for indexed addresses too', () => {
    const paths = constructPaths(stack);
    expect(paths['aws_dynamodb_table.state_errors_9A8B7C6D']).toBe('state/errors');
    expect(baseAddress('aws_sqs_queue.q["orders"]')).toBe('aws_sqs_queue.q');
    expect(baseAddress('aws_sqs_queue.q[0]')).toBe('aws_sqs_queue.q');
  });
});
