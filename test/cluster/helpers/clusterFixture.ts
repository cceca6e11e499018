import { startOpsdeck, type OpsdeckProcess } from '../../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../../helpers/serveConfig.js';
import type { TestDatabase } from '../../helpers/services.js';
import {
  clusterConfig,
  createFixtureDatabase,
  deleteClusterKeys,
  randomClusterName,
  SHARED_REDIS,
} from './fixture.js';
import { startNginx, testNginxConfig, type Nginx } from './nginx.js';
import { NODE_START_MS, startCluster, waitForLeader, type Cluster } from './nodes.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';

/** Readiness, not a bound under test: the first election on a loaded machine. */
const LEADER_READY_MS = 30_000;

export interface ClusterFixtureOptions {
  /** `nodes` separate `opsdeck serve` processes, or one `opsdeck serve --workers N`. */
  nodes?: number;
  workers?: number;
  /** A real nginx in front of the nodes (round robin, test/cluster/helpers/nginx.ts). */
  nginx?: boolean;
  /** A private Redis the test may pause and kill, instead of the machine's shared one. */
  privateRedis?: boolean;
  /** Resolve start() only once one node reports `opsdeck_is_leader 1` (default: with nodes). */
  leader?: boolean;
}

/**
 * One cluster test's world: a fresh fixture database, Redis (shared, under a random cluster name,
 * or private), the nodes, optionally nginx in front; everything waited for (ready lines, nginx
 * answering, a leader), never slept. `start()` in beforeAll, `stop()` in afterAll: it removes what
 * it made, the cluster's Redis keys included.
 */
export class ClusterFixture {
  readonly name = randomClusterName();
  private parts: {
    db?: TestDatabase;
    redis?: PrivateRedis;
    cluster?: Cluster;
    server?: OpsdeckProcess;
    config?: ReturnType<typeof writeServeConfig>;
    nginx?: Nginx;
  } = {};

  constructor(private readonly options: ClusterFixtureOptions) {}

  get db(): TestDatabase {
    return this.need(this.parts.db, 'database');
  }
  get cluster(): Cluster {
    return this.need(this.parts.cluster, 'cluster (options.nodes)');
  }
  /** The `serve --workers` process (options.workers). */
  get server(): OpsdeckProcess {
    return this.need(this.parts.server, 'server (options.workers)');
  }
  get nginx(): Nginx {
    return this.need(this.parts.nginx, 'nginx (options.nginx)');
  }
  get redis(): PrivateRedis {
    return this.need(this.parts.redis, 'private Redis (options.privateRedis)');
  }
  get redisUrl(): string {
    return this.parts.redis?.url ?? SHARED_REDIS;
  }

  async start(): Promise<this> {
    const { nodes, workers } = this.options;
    this.parts.db = await createFixtureDatabase();
    if (this.options.privateRedis) this.parts.redis = await startPrivateRedis();
    const config = clusterConfig(this.db, this.redisUrl, this.name);
    if (workers !== undefined) {
      this.parts.config = writeServeConfig(config);
      const args = ['serve', '--config', this.parts.config.file, '--port', '0'];
      // `listening on` comes once every worker reports ready.
      this.parts.server = await startOpsdeck(
        [...args, '--workers', String(workers)],
        {},
        NODE_START_MS,
      );
    }
    if (nodes !== undefined) this.parts.cluster = await startCluster(nodes, config);
    if (this.options.nginx) {
      const ports = this.cluster.nodes.map((n) => n.port);
      this.parts.nginx = await startNginx((dir, port) => testNginxConfig(dir, port, ports));
    }
    if (this.options.leader ?? nodes !== undefined)
      await waitForLeader(this.cluster.nodes, LEADER_READY_MS);
    return this;
  }

  async stop(): Promise<void> {
    const { db, redis, cluster, server, config, nginx } = this.parts;
    this.parts = {};
    await nginx?.stop();
    await cluster?.stop();
    if (server) {
      const code = await server.stop('SIGTERM');
      if (code !== 0) console.warn(`serve --workers exited with ${code}: ${server.stderr()}`);
    }
    config?.remove();
    // A private Redis goes away with all its keys.
    if (redis) await redis.stop();
    else if (db) await deleteClusterKeys(SHARED_REDIS, this.name);
    await db?.drop();
  }

  private need<T>(part: T | undefined, what: string): T {
    if (part === undefined) throw new Error(`cluster fixture: no ${what}; started?`);
    return part;
  }
}
