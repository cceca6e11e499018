import { nearestKey } from '../config/nearestKey.js';
import { COMMANDS } from './commandSpecs.js';
import { commandUsage, USAGE, UsageError } from './usage.js';

const HELP_WORDS = ['--help', '-h'];

/**
 * The help text `argv` asks for, or undefined when it does not ask: `--help`, `-h` and `help` print
 * everything; `help COMMAND`, `COMMAND --help` and `COMMAND -h` print that command's help (even
 * among other flags, which are then not checked). `help` with an unknown command is a usage error.
 */
export function helpFor(argv: readonly string[]): string | undefined {
  const [first, ...rest] = argv;
  if (first === undefined) return undefined;
  if (HELP_WORDS.includes(first)) return USAGE;
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) return USAGE;
    const spec = COMMANDS.find((c) => c.name === topic);
    if (!spec) throw new UsageError(unknownCommandMessage(topic));
    if (extra.length > 0) throw new UsageError(`help takes one command, got "${extra.join(' ')}"`);
    return commandUsage(spec);
  }
  const spec = COMMANDS.find((c) => c.name === first);
  if (spec && rest.some((arg) => HELP_WORDS.includes(arg))) return commandUsage(spec);
  return undefined;
}

/** `unknown command "serv"; did you mean serve?` */
export function unknownCommandMessage(command: string): string {
  const names = COMMANDS.map((c) => c.name);
  const near = nearestKey(command, [...names, 'help']);
  return near === undefined
    ? `unknown command "${command}" (commands: ${names.join(', ')}, help)`
    : `unknown command "${command}"; did you mean ${near}?`;
}
