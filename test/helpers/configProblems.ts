import { ConfigError } from '../../server/config/ConfigError.js';
import { parseConfigText } from '../../server/config/loadConfig.js';

/** The problem lines a configuration text is refused with; fails the test if it is accepted. */
export function configProblems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
