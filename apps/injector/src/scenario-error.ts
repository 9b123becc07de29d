/** A bad scenario file: one line per problem, `<file>: <key path>: <value as JSON>: <rule>`. */
export class ScenarioError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid scenario:\n${problems.join('\n')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}
