import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  SectionUpdate,
  ServerToClientEvents,
} from '../../common/protocol.js';
import { InspectorClient } from '../../testkit/inspector.js';
import { sleep } from '../lib/clock.js';
import { startOpsdeck } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metricsText, metricValue } from '../lib/serve.js';
import { percentile } from '../lib/stats.js';
import { fmtBytes, fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

type DemoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const SECTIONS = ['kpis', 'sales', 'agents', 'recent'];
const READERS = 50;
const STALLED = 500;

/**
 * Issue 15, slow clients: the delivery lag of 50 reading clients (receipt minus the update's
 * changedAt, both on this machine's clock) over a window of `opsdeck demo --rate 600` (10 orders a
 * second): alone, then with 500 more clients that read, then once those 500 stopped reading (TCP
 * sockets paused). Targets: the readers' p99 with the stalled ones within 20 % of the run with
 * them reading (a stalled client costs no more than a reading one) and of the run without them
 * (issue 15's comparison), and the server's heap after GC under the 64 MB that docs/testing.md
 * documents.
 */
export const sStalledClients: Scenario = {
  id: '15s',
  title: 'stalled clients',
  timeoutMs: (quick) => (quick ? 120_000 : 240_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const windowMs = quick ? 10_000 : 30_000;
    const server = await startOpsdeck(
      'opsdeck-stalled',
      ['demo', '--port', '0', '--rate', '600', '--seed', '15'],
      { scope, inspect: true },
    );
    const inspector = await InspectorClient.connect(server.inspectorUrl ?? '');
    scope.defer('inspector', () => inspector.close());
    const sockets: DemoSocket[] = [];
    scope.defer('clients', () => {
      for (const s of sockets) s.close();
    });
    const open = async (): Promise<DemoSocket> => {
      const socket: DemoSocket = io(server.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await socket.timeout(30_000).emitWithAck('subscribe', { sections: SECTIONS });
      return socket;
    };
    const lags: number[] = [];
    let recording = false;
    for (let i = 0; i < READERS; i++) {
      const socket = await open();
      socket.on('update', (u: SectionUpdate) => {
        if (recording) lags.push(Date.now() - Date.parse(u.changedAt));
      });
    }
    const measure = async (): Promise<number[]> => {
      lags.length = 0;
      recording = true;
      await sleep(windowMs);
      recording = false;
      return [...lags];
    };
    await sleep(2000); // the first updates of a fresh demo
    const alone = await measure();
    const others: DemoSocket[] = [];
    for (let i = 0; i < STALLED; i += 50)
      others.push(...(await Promise.all(Array.from({ length: 50 }, () => open()))));
    const withReading = await measure();
    for (const s of others) tcpOf(s).pause();
    const withStalled = await measure();
    const heap = await inspector.heapAfterGc();
    const skipped = metricValue(await metricsText(server.url), 'opsdeck_slow_clients');
    const p99a = percentile(alone, 99);
    const p99r = percentile(withReading, 99);
    const p99b = percentile(withStalled, 99);
    log(
      `readers' lag p99 ${fmtMs(p99a)} alone (${alone.length} updates), ${fmtMs(p99r)} with ` +
        `${STALLED} more reading, ${fmtMs(p99b)} once those stopped reading ` +
        `(${withStalled.length} updates, ${skipped} skipped as slow); heap after GC ` +
        fmtBytes(heap.heapUsed),
    );
    return [
      {
        scenario: '15s stalled clients',
        figureName: `p99 delivery lag of ${READERS} readers, ${STALLED} other clients not reading`,
        figure: fmtMs(p99b),
        baseline: `the ${STALLED} reading: ${fmtMs(p99r)}`,
        ratio: fmtRatio(p99b, p99r),
        target: 'within 20 %',
        met: yesNo(p99b <= p99r * 1.2),
      },
      {
        // Issue 15's comparison. Until their kernel buffers fill (minutes with the demo's small
        // snapshots) stalled sockets are written to like any other: the server cannot tell.
        scenario: '15s stalled clients',
        figureName: `the same against ${READERS} readers alone (no other clients)`,
        figure: fmtMs(p99b),
        baseline: `alone: ${fmtMs(p99a)}`,
        ratio: fmtRatio(p99b, p99a),
        target: 'within 20 %',
        met: yesNo(p99b <= p99a * 1.2),
      },
      {
        scenario: '15s stalled clients',
        figureName: `server heap after GC with ${STALLED} stalled clients`,
        figure: fmtBytes(heap.heapUsed),
        baseline: '—',
        ratio: '—',
        target: '< 64 MB',
        met: yesNo(heap.heapUsed < 64 * 1024 * 1024),
      },
    ];
  },
};

/** The TCP socket under a socket.io-client websocket connection (Node's ws client). */
function tcpOf(socket: DemoSocket): NetSocket {
  const engine = socket.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } };
  return engine.transport.ws._socket;
}
