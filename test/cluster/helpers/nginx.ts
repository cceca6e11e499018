import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../testkit/freePort.js';
import { waitFor } from '../../helpers/client.js';
import { NGINX } from './requirements.js';

/** Readiness on a loaded two-core machine: waited for, returns as soon as it answers. */
const READY_MS = 30_000;

export interface Nginx {
  url: string;
  port: number;
  dir: string;
  /** nginx's error log so far (for failure messages). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * The test load balancer: round robin over the nodes (spreads the test's clients, which all come
 * from 127.0.0.1 and would all land on one node with ip_hash), WebSocket upgrade headers, long
 * read timeouts, and an upstream that goes to the next node when one refuses connections. Same
 * proxy settings as deploy/nginx.conf, minus the stickiness: these clients use the websocket
 * transport, which needs none.
 */
export function testNginxConfig(dir: string, port: number, upstreams: number[]): string {
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`);
  return `worker_processes 1;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  upstream opsdeck {
${servers.join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://opsdeck;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_buffering off;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

/**
 * Starts Debian's nginx in the foreground with everything (config, logs, pid, temp files) in a
 * fresh folder, listening on 127.0.0.1 only; resolves once it proxies /healthz.
 * `config(dir, port)` returns the configuration text.
 */
export async function startNginx(config: (dir: string, port: number) => string): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx not found');
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-nginx-'));
  // Workers run as `nobody` when the tests run as root: they must reach the temp folders.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config(dir, port));
  const errorLog = join(dir, 'error.log');
  const child = spawn(
    NGINX,
    ['-p', `${dir}/`, '-c', file, '-e', errorLog, '-g', `daemon off; pid ${dir}/nginx.pid;`],
    // Own process group: if the master ever has to be killed, its worker goes with it.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    await stopProcessGroup(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const answered = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    try {
      return (await fetch(`${url}/healthz`)).status === 200 && 'up';
    } catch {
      return false; // not listening yet
    }
  };
  const state = await waitFor('nginx /healthz', answered, READY_MS, 50).catch(
    async (error: unknown) => {
      await stop();
      throw new Error(`nginx did not start: ${output}`, { cause: error });
    },
  );
  if (state === 'exited') {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx exited: ${output}\n${errors()}`);
  }
  return { url, port, dir, errors, stop };
}

/** SIGTERM (nginx's fast shutdown), then SIGKILL to the group if it lingers. */
async function stopProcessGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
