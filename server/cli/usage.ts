import { COMMANDS, synopsisOf, type CommandSpec, type FlagSpec } from './commandSpecs.js';

/** Help lines are wrapped to this width. */
const WIDTH = 100;
/** Where a flag's description starts. */
const FLAG_COLUMN = 24;

/** Wraps `text` into lines of at most `width - indent` characters, each indented by `indent`. */
function wrap(text: string, indent: number, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(' '.repeat(indent) + line);
  return lines;
}

/** Every command takes `--help` (main.ts answers it before the command parses its flags). */
const HELP_FLAG: [string, FlagSpec] = [
  'help',
  { type: 'boolean', help: 'print this help and exit 0 (also -h)' },
];

/** One command's block: name, summary and every flag with its limits and default. */
function commandBlock(spec: CommandSpec): string[] {
  const lines = [`${spec.name}:`, ...wrap(spec.summary, 2)];
  for (const [name, flag] of [...Object.entries(spec.flags), HELP_FLAG]) {
    const left = `  --${name}${flag.value ? ` ${flag.value}` : ''}`;
    const text = wrap(flag.help, FLAG_COLUMN);
    const first = (text[0] ?? '').slice(FLAG_COLUMN);
    if (left.length < FLAG_COLUMN) lines.push(left.padEnd(FLAG_COLUMN) + first);
    else lines.push(left, ' '.repeat(FLAG_COLUMN) + first);
    lines.push(...text.slice(1));
  }
  return lines;
}

const FOOTER = [
  'Exit codes: 0 success (and --help), 2 usage or configuration error (one line per problem,',
  'naming the flag or the key path), 1 anything else (port in use, database unreachable, ...).',
  'Help goes to standard output; errors and logs to standard error. Logs are JSON lines (level:',
  'OPSDECK_LOG_LEVEL=debug|info|warn|error, default info).',
];

/** `opsdeck --help`: every command and every flag. */
export const USAGE = [
  'opsdeck: live operations console server',
  '',
  'usage:',
  ...COMMANDS.map((spec) => `  ${synopsisOf(spec)}`),
  '  opsdeck help [COMMAND]      (or: opsdeck COMMAND --help)',
  '  opsdeck --version | --help',
  '',
  ...COMMANDS.flatMap((spec) => [...commandBlock(spec), '']),
  ...FOOTER,
].join('\n');

/** `opsdeck <command> --help`: that command's usage line and flags. */
export function commandUsage(spec: CommandSpec): string {
  return ['usage:', `  ${synopsisOf(spec)}`, '', ...commandBlock(spec), '', ...FOOTER].join('\n');
}

/** A command-line mistake: printed as `usage: ...` and exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
