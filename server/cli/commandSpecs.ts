/**
 * Every command and every flag the CLI takes, with the text `opsdeck --help` prints for it. The
 * parsers take their options from here (optionsOf) and the numbers come from limits.ts, so the
 * help lists exactly the flags that are accepted, with the limits that are enforced.
 */
import {
  DEMO_DEFAULTS,
  DEMO_RATE_RANGE,
  PORT_RANGE,
  rangeText,
  TOKEN_MIN_LENGTH,
  WORKERS_RANGE,
} from './limits.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help (`--port N`); none for a boolean flag. */
  value?: string;
  /** Must be given (`serve --config FILE`). */
  required?: boolean;
  /** What it does, its limits and its default: one paragraph, wrapped by the help printer. */
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One paragraph: what the command does. */
  summary: string;
  flags: Readonly<Record<string, FlagSpec>>;
}

/** 0 is allowed everywhere a port is: the system picks a free one, printed in "listening on". */
const FREE_PORT = '0 = a free port, shown in the "listening on" line';

export const DEMO_COMMAND = {
  name: 'demo',
  summary:
    'Serve the built-in sales-floor demo: a SQLite database with 30 days of sales history, a simulated sales floor adding orders, the demo sections and the web console.',
  flags: {
    host: {
      type: 'string',
      value: 'H',
      help: `address to listen on (default ${DEMO_DEFAULTS.host}); an address other than loopback needs --token`,
    },
    port: {
      type: 'string',
      value: 'N',
      help: `port to listen on, ${rangeText(PORT_RANGE)} (default ${DEMO_DEFAULTS.port}; ${FREE_PORT})`,
    },
    rate: {
      type: 'string',
      value: 'R',
      help: `new orders a minute, ${rangeText(DEMO_RATE_RANGE)} (default ${DEMO_DEFAULTS.rate}; 0 = no new orders; fractions allowed)`,
    },
    seed: {
      type: 'string',
      value: 'S',
      help: `any text (default "${DEMO_DEFAULTS.seed}"); the same seed gives the same history and orders`,
    },
    db: {
      type: 'string',
      value: 'FILE',
      help: 'keep the demo database in FILE, created or reopened (its folder must exist); default: a temporary file removed at exit',
    },
    token: {
      type: 'string',
      value: 'T',
      help: `clients must send this token; at least ${TOKEN_MIN_LENGTH} characters. Also read from the OPSDECK_TOKEN environment variable (not visible in the process list); default: none (loopback only)`,
    },
  },
} as const satisfies CommandSpec;

/** `--config FILE`, which serve and check both require. */
const CONFIG_FLAG = {
  type: 'string',
  value: 'FILE',
  required: true,
  help: 'the configuration file (YAML); required',
} as const satisfies FlagSpec;

export const SERVE_COMMAND = {
  name: 'serve',
  summary:
    'Serve the sections of a configuration file (see docs/cli.md and the README). Flags override the file.',
  flags: {
    config: CONFIG_FLAG,
    host: {
      type: 'string',
      value: 'H',
      help: 'address to listen on, overrides listen.host; an address other than loopback needs auth.tokens (or auth.allowAnonymous: true)',
    },
    port: {
      type: 'string',
      value: 'N',
      help: `port to listen on, ${rangeText(PORT_RANGE)}, overrides listen.port (${FREE_PORT})`,
    },
    workers: {
      type: 'string',
      value: 'N',
      help: `run N worker processes sharing the port, a whole number ${rangeText(WORKERS_RANGE)} (default: one process, no workers). Needs the cluster key (workers share snapshots through Redis) and no listen.tls (terminate TLS at a load balancer)`,
    },
  },
} as const satisfies CommandSpec;

export const CHECK_COMMAND = {
  name: 'check',
  summary:
    'Validate a configuration file, connect to the database (and Redis if configured), run every section once and print rows, bytes and milliseconds per section, or the error. In notify mode, verify the change feed: the tables exist, the tables each query reads are covered, and each has a trigger that notifies the channel; print the exact fix for each problem. Exit 0 only if all pass.',
  flags: {
    config: CONFIG_FLAG,
    'install-triggers': {
      type: 'boolean',
      help: 'notify mode: create the missing notify triggers in one transaction (only when asked)',
    },
  },
} as const satisfies CommandSpec;

export const COMMANDS: readonly CommandSpec[] = [DEMO_COMMAND, SERVE_COMMAND, CHECK_COMMAND];

/** The node:util parseArgs options of a command: each flag's name and type. */
export function optionsOf<F extends Readonly<Record<string, FlagSpec>>>(spec: {
  flags: F;
}): { [K in keyof F]: { type: F[K]['type'] } } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) options[name] = { type: flag.type };
  return options as { [K in keyof F]: { type: F[K]['type'] } };
}

/** `--config FILE [--host H] ...`: required flags first, the others in brackets. */
export function synopsisOf(spec: CommandSpec): string {
  const words = Object.entries(spec.flags).map(([name, flag]) => {
    const word = flag.value ? `--${name} ${flag.value}` : `--${name}`;
    return { word: flag.required ? word : `[${word}]`, required: flag.required === true };
  });
  return [
    `opsdeck ${spec.name}`,
    ...words.filter((w) => w.required).map((w) => w.word),
    ...words.filter((w) => !w.required).map((w) => w.word),
  ].join(' ');
}
