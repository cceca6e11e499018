/**
 * Sentinel over TLS with a password: the data nodes and the sentinels speak only TLS (tls-port,
 * tls-replication, an openssl CA), the data nodes want a password; `cluster.sentinels` +
 * `cluster.tls` + `cluster.password` reach them. The right CA and password: `check` names the
 * primary and runs the scripts, `serve` leads. A wrong CA or password: one line naming the
 * cause (check FAIL, serve exit 1 before listening).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSentinelSet, type SentinelSet } from '../../testkit/redisSentinel.js';
import { makeTestPki } from '../../testkit/redisTls.js';
import { lines } from '../helpers/cliFixtures.js';
import { runOpsdeck } from '../helpers/opsdeckProcess.js';
import { ClusterConfigDir } from './clusterConfigDir.js';
import { describeHa } from './describeHa.js';
import { expectServeLeads, expectWrongCaRefused } from './tlsExpectations.js';

let dir: ClusterConfigDir;
let set: SentinelSet;
const PASSWORD = 'sentinel-tls-secret';

/** A configuration in the PKI's folder with the Sentinel set and `tls` (its path). */
function config(name: string, tls: string, password = PASSWORD): string {
  return dir.write(name, [
    `sentinels: [${set.addresses.join(', ')}]`,
    `sentinelName: ${set.name}`,
    `name: tls-sentinel-${name}`,
    `tls: ${tls}`,
    `password: ${password}`,
  ]);
}

await describeHa(
  'Redis Sentinel over TLS, with a password',
  { services: [], programs: ['openssl'] },
  () => {
    beforeAll(async () => {
      dir = ClusterConfigDir.create('opsdeck-sentinel-tls-');
      const pki = makeTestPki(dir.path);
      set = await startSentinelSet({ tls: pki, password: PASSWORD });
    });

    afterAll(async () => {
      await set.stop();
      dir.remove();
    });

    it('check with the right CA: the primary the sentinels name, the scripts run', async () => {
      const { code, stdout } = await runOpsdeck([
        'check',
        '--config',
        config('good', '{ ca: ca.crt }'),
      ]);
      const port = await set.primaryPort();
      expect(stdout).toContain(
        `redis: sentinel "${set.name}" via ${set.addresses.join(', ')} with TLS`,
      );
      expect(stdout).toContain(
        `ok    primary 127.0.0.1:${port} (named by the sentinels), role master`,
      );
      expect(stdout).toContain('ok    snapshot script');
      expect(code).toBe(0);
    });

    it('check and serve with a wrong CA: one line naming cluster.tls.ca, exit 1', async () => {
      await expectWrongCaRefused(config('wrong', '{ ca: other-ca.crt }'), 'sentinel');
    });

    it('a wrong password: one line saying Redis refused the credentials, exit 1', async () => {
      const file = config('wrong-password', '{ ca: ca.crt }', 'not-it');
      const checked = await runOpsdeck(['check', '--config', file]);
      expect(lines(checked.stdout).filter((l) => l.includes('FAIL'))).toEqual([
        expect.stringMatching(/FAIL {2}Redis refused the credentials \(WRONGPASS/),
      ]);
      expect(checked.code).toBe(1);
      const served = await runOpsdeck(['serve', '--config', file, '--port', '0']);
      expect(served.stderr).toMatch(/^error: redis: sentinel .*Redis refused the credentials/m);
      expect(served.code).toBe(1);
    });

    it('serve with the right CA leads over TLS', async () => {
      await expectServeLeads(
        config('serve', '{ ca: ca.crt }'),
        'the node to lead through the TLS sentinels',
      );
    });
  },
);
