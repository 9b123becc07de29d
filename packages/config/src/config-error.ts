/** A bad environment file (or several): one line per problem, `<file>: <key path>: <value>: <rule>`. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid environment configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
