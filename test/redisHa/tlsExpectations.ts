import { expect } from 'vitest';
import { lines } from '../helpers/cliFixtures.js';
import { waitFor } from '../helpers/client.js';
import { metricValue, scrape } from '../helpers/metrics.js';
import { runOpsdeck, startOpsdeck } from '../helpers/opsdeckProcess.js';

/**
 * `check` and `serve` on `file`, whose `cluster.tls.ca` is other-ca.crt (a CA that signed none of
 * the deployment's certificates): one FAIL line naming the setting, exit 1; `serve` exits 1 before
 * listening, its error naming the deployment (`kind`) and the setting.
 */
export async function expectWrongCaRefused(
  file: string,
  kind: 'cluster' | 'sentinel',
): Promise<void> {
  const checked = await runOpsdeck(['check', '--config', file]);
  expect(lines(checked.stdout).filter((l) => l.includes('FAIL'))).toEqual([
    expect.stringMatching(
      /FAIL {2}TLS: Redis's certificate is not trusted .*; check cluster\.tls\.ca \(other-ca\.crt\)$/,
    ),
  ]);
  expect(checked.code).toBe(1);
  const served = await runOpsdeck(['serve', '--config', file, '--port', '0']);
  expect(served.stdout).not.toContain('listening on');
  expect(served.stderr).toMatch(
    new RegExp(`^error: redis: ${kind} .*check cluster\\.tls\\.ca \\(other-ca\\.crt\\)$`, 'm'),
  );
  expect(served.code).toBe(1);
}

/** `serve` on `file` leads (`opsdeck_is_leader 1`, `what` names the wait) and exits 0 on SIGTERM. */
export async function expectServeLeads(file: string, what: string): Promise<void> {
  const server = await startOpsdeck(['serve', '--config', file, '--port', '0'], {}, 60_000);
  try {
    await waitFor(
      what,
      async () => metricValue(await scrape(server.url), 'opsdeck_is_leader') === 1,
      30_000,
      100,
    );
  } finally {
    expect(await server.stop('SIGTERM')).toBe(0);
  }
}
