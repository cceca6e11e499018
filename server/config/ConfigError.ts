/**
 * A configuration or usage problem: the CLI prints one line per problem (naming the key path)
 * and exits 2, without a stack trace.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
