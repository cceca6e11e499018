import { createRequire } from 'node:module';
import type * as IoredisModule from 'ioredis';
import type * as RedisAdapterModule from '@socket.io/redis-adapter';

/**
 * ioredis and the Socket.IO Redis adapter, loaded the first time a cluster needs them. Together they
 * cost about a fifth of a server's start-up, and a server without `cluster` (and `opsdeck demo`)
 * never uses them. Loaded synchronously (both are CommonJS packages) so that the cluster's
 * constructors stay synchronous; a load failure surfaces where the cluster is created.
 */
const load = createRequire(import.meta.url);

export function ioredis(): typeof IoredisModule {
  return load('ioredis') as typeof IoredisModule;
}

export function redisAdapter(): typeof RedisAdapterModule {
  return load('@socket.io/redis-adapter') as typeof RedisAdapterModule;
}
