import { describe } from 'vitest';
import { inCi, type ServiceName } from '../helpers/services.js';
import { describeCluster, findProgram } from '../cluster/helpers/requirements.js';

/**
 * describeCluster (services that must answer, a redis-server binary) plus the other programs a
 * highly available Redis test runs (redis-cli for `--cluster create`, openssl for certificates).
 * A missing program skips the block with the reason, except in CI, where the file fails.
 */
export async function describeHa(
  title: string,
  needs: { services: ServiceName[]; programs: string[] },
  fn: () => void,
): Promise<void> {
  const missing = needs.programs.filter((name) => !findProgram(name));
  if (missing.length > 0) {
    const reason = `${missing.join(', ')} not found (apt-get install redis-tools openssl)`;
    if (inCi()) throw new Error(`${title}: ${reason} (CI is set, so this fails)`);
    console.warn(`skipping "${title}": ${reason}`);
    describe.skip(title, fn);
    return;
  }
  await describeCluster(title, { services: needs.services, redisServer: true }, fn);
}
