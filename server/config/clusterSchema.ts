/**
 * The `cluster` key of the configuration file (docs/config.md, "cluster"): which Redis the nodes
 * share, as exactly one topology: one server (`redis`), a Sentinel set (`sentinels` +
 * `sentinelName`) or a Redis Cluster (`nodes`); `tls` optional with any of them.
 */
import { z } from 'zod';

/** `host:port` (a bracketed IPv6 address too), as Sentinel and Redis Cluster seeds are written. */
const hostPort = z
  .string()
  .trim()
  .regex(
    /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/,
    'must be host:port (e.g. 10.0.0.1:26379)',
  )
  .refine((v) => {
    if (!/:\d+$/.test(v)) return true; // not host:port at all: said above
    const port = Number(v.slice(v.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'the port must be 1-65535');

const pemFile = z.string().trim().min(1, 'a file name is required');

export const clusterSchema = z
  .strictObject({
    /** One Redis (or a proxy in front of several): redis:// or rediss:// (TLS). */
    redis: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .default('default'),
    /** Files (relative to the configuration file): CA to trust, client certificate and key. */
    tls: z
      .strictObject({ ca: pemFile.optional(), cert: pemFile.optional(), key: pemFile.optional() })
      .optional(),
    sentinels: z.array(hostPort).min(1, 'at least one sentinel').optional(),
    sentinelName: z.string().trim().min(1).optional(),
    sentinelPassword: z.string().optional(),
    nodes: z.array(hostPort).min(1, 'at least one node').optional(),
    /** Credentials of the data nodes with `sentinels` or `nodes` (a `redis` URL carries its own). */
    username: z.string().min(1).optional(),
    password: z.string().optional(),
  })
  .superRefine((cluster, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const given = (['redis', 'sentinels', 'nodes'] as const).filter(
      (k) => cluster[k] !== undefined,
    );
    if (given.length === 0) {
      issue([], 'one of redis, sentinels (with sentinelName) or nodes is required');
    } else if (given.length > 1) {
      issue(given.slice(1, 2), `only one topology: ${given.join(' and ')} were both given`);
    }
    if (cluster.sentinels && !cluster.sentinelName) {
      issue(['sentinelName'], "required with sentinels (the monitored primary's name)");
    }
    if (!cluster.sentinels) {
      for (const key of ['sentinelName', 'sentinelPassword'] as const) {
        if (cluster[key] !== undefined) issue([key], 'only with sentinels');
      }
    }
    if (cluster.redis) {
      for (const key of ['username', 'password'] as const) {
        if (cluster[key] !== undefined) {
          issue([key], 'put the credentials in the redis URL (redis://user:password@host:port)');
        }
      }
      if (cluster.tls && cluster.redis.startsWith('redis://')) {
        issue(['tls'], 'needs a rediss:// URL in cluster.redis (TLS)');
      }
    }
    if (cluster.tls) {
      const { cert, key } = cluster.tls;
      if (cert !== undefined && key === undefined) issue(['tls', 'key'], 'required with tls.cert');
      if (key !== undefined && cert === undefined) issue(['tls', 'cert'], 'required with tls.key');
    }
    for (const key of ['sentinels', 'nodes'] as const) {
      const list = cluster[key] ?? [];
      list.forEach((entry, index) => {
        if (list.indexOf(entry) !== index) issue([key, index], `duplicate ${entry}`);
      });
    }
  });

export type ClusterConfig = z.output<typeof clusterSchema>;
