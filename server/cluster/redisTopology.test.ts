import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { permanentRedisProblem } from './redisProblem.js';
import {
  describeTopology,
  parseHostPort,
  redisTopology,
  RedisTlsFileError,
} from './redisTopology.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-topology-'));
writeFileSync(join(dir, 'ca.crt'), 'PEM');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('redisTopology', () => {
  it('makes one topology of the cluster keys, reading the TLS files relative to the config', () => {
    expect(redisTopology({ redis: 'redis://a:6379' }, dir)).toEqual({
      kind: 'standalone',
      url: 'redis://a:6379',
    });
    const sentinel = redisTopology(
      {
        sentinels: ['10.0.0.1:26379', '[::1]:26380'],
        sentinelName: 'opsdeck',
        sentinelPassword: 's',
        password: 'p',
        tls: { ca: 'ca.crt' },
      },
      dir,
    );
    expect(sentinel).toMatchObject({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'opsdeck',
      sentinelPassword: 's',
      password: 'p',
      tls: { ca: Buffer.from('PEM'), files: { ca: 'ca.crt' } },
    });
    expect(redisTopology({ nodes: ['a:7000'], username: 'u' }, dir)).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'a', port: 7000 }],
      username: 'u',
    });
  });

  it('an unreadable TLS file names its key path', () => {
    expect(() => redisTopology({ redis: 'rediss://a', tls: { ca: 'nope.crt' } }, dir)).toThrow(
      RedisTlsFileError,
    );
    expect(() => redisTopology({ redis: 'rediss://a', tls: { ca: 'nope.crt' } }, dir)).toThrow(
      `config: cluster.tls.ca: cannot read ${join(dir, 'nope.crt')}`,
    );
  });

  it('describes itself without secrets', () => {
    expect(describeTopology({ kind: 'standalone', url: 'rediss://u:secret@h:6380' })).toBe(
      'standalone rediss://u:***@h:6380',
    );
    expect(
      describeTopology({
        kind: 'sentinel',
        sentinels: [parseHostPort('a:1'), parseHostPort('[::1]:2')],
        name: 'm',
        password: 'secret',
        tls: { files: {} },
      }),
    ).toBe('sentinel "m" via a:1, [::1]:2 with TLS');
  });
});

describe('permanentRedisProblem', () => {
  const withCa = {
    kind: 'standalone' as const,
    url: 'rediss://h',
    tls: { ca: Buffer.from(''), files: { ca: 'ca.crt' } },
  };

  it('says what no retry fixes, naming the setting', () => {
    expect(
      permanentRedisProblem(
        codeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
        withCa,
      ),
    ).toBe(
      "TLS: Redis's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain); check cluster.tls.ca (ca.crt)",
    );
    expect(
      permanentRedisProblem(codeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), {
        kind: 'standalone',
        url: 'rediss://h',
      }),
    ).toContain('check cluster.tls.ca (unset: the system CAs)');
    expect(permanentRedisProblem(codeError('CERT_HAS_EXPIRED'), withCa)).toMatch(/not valid now/);
    expect(permanentRedisProblem(codeError('ERR_TLS_CERT_ALTNAME_INVALID'), withCa)).toMatch(
      /for another name/,
    );
    expect(permanentRedisProblem(codeError('ERR_SSL_WRONG_VERSION_NUMBER'), withCa)).toMatch(
      /is this port a TLS port/,
    );
    expect(
      permanentRedisProblem(new Error('WRONGPASS invalid username-password pair'), withCa),
    ).toBe('Redis refused the credentials (WRONGPASS invalid username-password pair)');
  });

  it('a name the sentinels do not monitor is a setting to fix', () => {
    const sentinel = { kind: 'sentinel' as const, sentinels: [parseHostPort('a:1')], name: 'nope' };
    const error = new Error(
      'All sentinels are unreachable and retry is disabled. Last error: ERR No such master with that name',
    );
    expect(permanentRedisProblem(error, sentinel)).toBe(
      'the sentinels monitor no primary named "nope": check cluster.sentinelName',
    );
    expect(
      permanentRedisProblem(new Error('All sentinels are unreachable'), sentinel),
    ).toBeUndefined();
  });

  it('leaves outages to the reconnect loop', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']) {
      expect(permanentRedisProblem(codeError(code), withCa)).toBeUndefined();
    }
    expect(permanentRedisProblem(new Error('LOADING Redis is loading'), withCa)).toBeUndefined();
    expect(
      permanentRedisProblem(new Error('CLUSTERDOWN The cluster is down'), withCa),
    ).toBeUndefined();
  });
});
