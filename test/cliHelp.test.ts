/**
 * `opsdeck --help` and the flag checks, through real `opsdeck` processes: the help names every
 * command and flag, the limits it states are the limits the commands enforce (read from the help
 * text, then tried at and past each bound), unknown flags, commands and configuration keys name the
 * nearest known one.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/client.js';
import { createItemsDatabase, lines, ProcessPool, sqliteConfig } from './helpers/cliFixtures.js';
import { stackTraceLines, tempDir, type TempDir } from './helpers/cliFixtures.js';
import { runOpsdeck } from './helpers/opsdeckProcess.js';

/** Every flag of every command, written out here (not read from the code) so that none goes missing. */
const FLAGS = {
  demo: ['host', 'port', 'rate', 'seed', 'db', 'token'],
  serve: ['config', 'host', 'port', 'workers'],
  check: ['config', 'install-triggers'],
} as const;
type Command = keyof typeof FLAGS;

const servers = new ProcessPool();
let dir: TempDir;
let validConfig: string;
let fullHelp: string;

beforeAll(async () => {
  dir = tempDir('opsdeck-help-');
  createItemsDatabase(dir.file('items.db'));
  validConfig = dir.write('valid.yml', sqliteConfig('sqlite:items.db'));
  const result = await runOpsdeck(['--help']);
  expect(result.code).toBe(0);
  fullHelp = result.stdout;
});

afterAll(async () => {
  await servers.stopAll();
  dir.remove();
});

/** The help paragraph of one flag of one command (its lines joined), as `opsdeck --help` prints it. */
function flagHelp(help: string, command: Command, flag: string): string {
  const block = help.split('\n\n').find((b) => b.startsWith(`${command}:\n`));
  if (block === undefined) throw new Error(`no "${command}:" block in the help:\n${help}`);
  const out: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('  --')) {
      if (out.length > 0) break;
      if (line.startsWith(`  --${flag} `) || line === `  --${flag}`) out.push(line);
    } else if (out.length > 0) out.push(line);
  }
  if (out.length === 0) throw new Error(`--${flag} is not described under "${command}:"`);
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

/** The `lo..hi` range a flag's help states. */
function statedRange(command: Command, flag: string): [number, number] {
  const match = /(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)/.exec(flagHelp(fullHelp, command, flag));
  if (!match) throw new Error(`the help of ${command} --${flag} states no range`);
  return [Number(match[1]), Number(match[2])];
}

/** Asserts a usage error: exit 2, exactly one line on standard error, nothing started. */
function usageLine(result: { code: number | null; stdout: string; stderr: string }): string {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(stackTraceLines(result.stderr)).toEqual([]);
  const errors = lines(result.stderr);
  expect(errors).toHaveLength(1);
  return errors[0] ?? '';
}

describe.concurrent('the help', () => {
  it('--help, -h and help print the same full help on standard output, exit 0', async () => {
    const results = await Promise.all([
      runOpsdeck(['--help']),
      runOpsdeck(['-h']),
      runOpsdeck(['help']),
    ]);
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(fullHelp);
    }
    for (const line of fullHelp.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('names every command with every flag, and describes each flag', () => {
    expect(fullHelp).toMatch(/^usage:$/m);
    for (const [command, flags] of Object.entries(FLAGS) as [Command, readonly string[]][]) {
      const synopsis = fullHelp.split('\n').find((l) => l.startsWith(`  opsdeck ${command} `));
      expect(synopsis, command).toBeDefined();
      for (const flag of flags) {
        expect(synopsis).toMatch(new RegExp(`--${flag}\\b`));
        expect(flagHelp(fullHelp, command, flag).length).toBeGreaterThan(`  --${flag}`.length + 10);
      }
    }
    expect(fullHelp).toContain('opsdeck serve --config FILE');
    expect(fullHelp).toContain('opsdeck check --config FILE [--install-triggers]');
    expect(fullHelp).toContain('opsdeck --version');
    expect(fullHelp).toMatch(
      /Exit codes: 0 success \(and --help\), 2 usage or configuration error/,
    );
  });

  it.each([
    ['demo', ['demo', '--help']],
    ['demo', ['demo', '--port', '80', '-h']],
    ['serve', ['serve', '--help']],
    ['serve', ['help', 'serve']],
    ['check', ['check', '--config', 'x.yml', '--help']],
    ['check', ['help', 'check']],
  ] as const)('%s help (%j): that command and its flags only, exit 0', async (command, args) => {
    const result = await runOpsdeck([...args]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^usage:\\n  opsdeck ${command} `));
    for (const flag of FLAGS[command]) {
      expect(flagHelp(result.stdout, command, flag)).toBe(flagHelp(fullHelp, command, flag));
    }
    for (const other of Object.keys(FLAGS).filter((c) => c !== command)) {
      expect(result.stdout).not.toContain(`opsdeck ${other}`);
    }
  });

  it('states the limits and defaults, with the same numbers the commands enforce', () => {
    expect(statedRange('serve', 'workers')).toEqual([1, 64]);
    expect(flagHelp(fullHelp, 'serve', 'workers')).toMatch(/cluster key.*no listen\.tls/);
    expect(statedRange('demo', 'rate')).toEqual([0, 6000]);
    expect(flagHelp(fullHelp, 'demo', 'rate')).toMatch(/orders a minute.*\(default 30;/);
    expect(statedRange('demo', 'port')).toEqual([0, 65535]);
    expect(flagHelp(fullHelp, 'demo', 'port')).toMatch(/\(default 3001; 0 = a free port/);
    expect(statedRange('serve', 'port')).toEqual([0, 65535]);
    expect(flagHelp(fullHelp, 'demo', 'token')).toMatch(/at least 8 characters.*OPSDECK_TOKEN/);
    expect(flagHelp(fullHelp, 'demo', 'host')).toContain('(default 127.0.0.1)');
    expect(flagHelp(fullHelp, 'demo', 'seed')).toContain('(default "opsdeck")');
    expect(flagHelp(fullHelp, 'check', 'install-triggers')).toBe(
      '--install-triggers notify mode: create the missing notify triggers in one transaction (only when asked)',
    );
  });
});

describe.concurrent('the stated limits are enforced', () => {
  it('serve --workers: refused outside the stated range and for fractions, accepted at both ends', async () => {
    const [min, max] = statedRange('serve', 'workers');
    const run = (value: string) =>
      runOpsdeck(['serve', '--config', validConfig, '--port', '0', '--workers', value]);
    for (const value of [String(min - 1), String(max + 1), '2.5', 'many']) {
      expect(usageLine(await run(value))).toBe(
        `usage: --workers: expected a whole number ${min}..${max}, got "${value}" (see opsdeck --help)`,
      );
    }
    // In range: the next check speaks, the one the help names (the cluster key).
    for (const value of [String(min), String(max)]) {
      expect(usageLine(await run(value))).toBe(
        'config: cluster: required for --workers (workers share snapshots through Redis)',
      );
    }
  });

  it('--port: refused past the stated range on demo and serve', async () => {
    const [, max] = statedRange('demo', 'port');
    for (const args of [
      ['demo', '--port', String(max + 1)],
      ['serve', '--config', validConfig, '--port', String(max + 1)],
      ['demo', '--port', '80.5'],
    ]) {
      expect(usageLine(await runOpsdeck(args))).toMatch(
        new RegExp(`^usage: --port: expected a whole number 0\\.\\.${max}, got `),
      );
    }
  });

  it('demo --rate: refused outside the stated range', async () => {
    const [min, max] = statedRange('demo', 'rate');
    for (const value of [String(min - 1), String(max + 0.5), 'fast']) {
      expect(usageLine(await runOpsdeck(['demo', `--rate=${value}`]))).toBe(
        `usage: --rate: expected a number ${min}..${max}, got "${value}" (see opsdeck --help)`,
      );
    }
  });

  it('demo --token and OPSDECK_TOKEN: one character short of the stated minimum is refused', async () => {
    const minimum = Number(
      /at least (\d+) characters/.exec(flagHelp(fullHelp, 'demo', 'token'))?.[1],
    );
    expect(minimum).toBe(8);
    const short = 'x'.repeat(minimum - 1);
    const expected = `usage: --token: must be at least ${minimum} characters (see opsdeck --help)`;
    expect(usageLine(await runOpsdeck(['demo', '--token', short]))).toBe(expected);
    expect(usageLine(await runOpsdeck(['demo'], { OPSDECK_TOKEN: short }))).toBe(expected);
  });

  it('demo at the stated maximum rate, with a token of exactly the minimum length, starts', async () => {
    const [, maxRate] = statedRange('demo', 'rate');
    const token = 'x'.repeat(8);
    const server = await servers.start(
      ['demo', '--port', '0', '--rate', String(maxRate), '--token', token],
      { OPSDECK_LOG_LEVEL: 'info' },
    );
    const running = await waitFor(
      'the "demo running" log line',
      () =>
        lines(server.stderr())
          .filter((l) => l.includes('demo running'))
          .map((l) => JSON.parse(l) as { rate?: unknown })[0],
    );
    expect(running.rate).toBe(maxRate);
    expect((await fetch(`${server.url}/api/sections`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/api/sections`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('demo without flags uses the defaults the help states (host, rate, seed; 0 = a free port)', async () => {
    const server = await servers.start(['demo', '--port', '0'], { OPSDECK_LOG_LEVEL: 'info' });
    const running = await waitFor(
      'the "demo running" log line',
      () =>
        lines(server.stderr())
          .filter((l) => l.includes('demo running'))
          .map((l) => JSON.parse(l) as { rate?: unknown; seed?: unknown })[0],
    );
    expect(running).toMatchObject({ rate: 30, seed: 'opsdeck' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)$/);
    expect(server.url).not.toMatch(/:0$/);
    expect(await server.stop()).toBe(0);
  });
});

describe.concurrent('unknown flags and commands name the nearest known one', () => {
  it.each([
    [['demo', '--prot', '80'], 'unknown flag --prot; did you mean --port?'],
    [['demo', '--Token', 'abcdefgh'], 'unknown flag --Token; did you mean --token?'],
    [
      ['serve', '--config', 'x.yml', '--wokrers', '2'],
      'unknown flag --wokrers; did you mean --workers?',
    ],
    [['check', '--confg', 'x.yml'], 'unknown flag --confg; did you mean --config?'],
    [
      ['check', '--install-trigger'],
      'unknown flag --install-trigger; did you mean --install-triggers?',
    ],
    [
      ['demo', '--frobnicate'],
      'unknown flag --frobnicate (known: --host, --port, --rate, --seed, --db, --token, --help)',
    ],
    [['serv'], 'unknown command "serv"; did you mean serve?'],
    [['help', 'chek'], 'unknown command "chek"; did you mean check?'],
    [['frobnicate'], 'unknown command "frobnicate" (commands: demo, serve, check, help)'],
  ])('%j: exit 2, %s', async (args, message) => {
    expect(usageLine(await runOpsdeck(args))).toBe(`usage: ${message} (see opsdeck --help)`);
  });

  it('check accepts --install-triggers, the flag its help lists', async () => {
    const missing = dir.file('missing.yml');
    const result = await runOpsdeck(['check', '--config', missing, '--install-triggers']);
    expect(usageLine(result)).toBe(`config: cannot read ${missing}: file not found`);
  });
});

describe.concurrent.each(['serve', 'check'])('unknown configuration keys (%s)', (command) => {
  it('one line per key naming its path and the nearest known key, exit 2', async () => {
    const file = dir.write(
      `typos-${command}.yml`,
      sqliteConfig('sqlite:items.db', 'listen:\n  prot: 80\n  frobnicate: 1\n').replace(
        '    view: { type: table }\n',
        '    view: { type: table, yy: [qty] }\n    titel: x\n',
      ),
    );
    const result = await runOpsdeck([command, '--config', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(lines(result.stderr).sort()).toEqual([
      'config: listen.frobnicate: unknown key',
      'config: listen.prot: unknown key; did you mean "port"?',
      'config: sections[0].titel: unknown key', // title is already set: no suggestion
      'config: sections[0].view.yy: unknown key; did you mean "y"?',
    ]);
  });
});

describe('docs/cli.md', () => {
  const docs = readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8');
  const section = (command: Command) => {
    const start = docs.indexOf(`## \`opsdeck ${command}\``);
    expect(start, command).toBeGreaterThan(-1);
    const end = docs.indexOf('\n## ', start + 1);
    return docs.slice(start, end === -1 ? undefined : end);
  };

  it('documents every flag under its command, with the ranges the help states', () => {
    for (const [command, flags] of Object.entries(FLAGS) as [Command, readonly string[]][]) {
      for (const flag of flags)
        expect(section(command), `${command} --${flag}`).toContain(`\`--${flag}`);
    }
    for (const [command, flag] of [
      ['demo', 'port'],
      ['demo', 'rate'],
      ['serve', 'port'],
      ['serve', 'workers'],
    ] as const) {
      expect(section(command), `${command} --${flag}`).toContain(
        statedRange(command, flag).join('..'),
      );
    }
    expect(section('demo')).toContain('at least 8 characters');
  });
});
