/**
 * A client-fleet process: holds thousands of Socket.IO / ws clients or HTTP pollers for the
 * benchmark and records when each message arrived (state.ts). Controlled over IPC (protocol.ts).
 */
import { connect } from './connect.js';
import { httpOnce, startPollers, stopPollers } from './pollers.js';
import type { Envelope, Reply, Request } from './protocol.js';
import {
  closeAll,
  completions,
  countsNow,
  fanout,
  markerReceipts,
  markers,
  resetRecords,
  resync,
} from './state.js';

async function handle(req: Request): Promise<unknown> {
  switch (req.cmd) {
    case 'connect':
      return connect(req.args);
    case 'closeAll':
      return closeAll();
    case 'reset':
      resetRecords();
      return true;
    case 'markers':
      return markers;
    case 'markerReceipts':
      return markerReceipts(req.group, req.marker);
    case 'completions':
      return completions(req.group, req.windows, req.sections);
    case 'fanout':
      return fanout;
    case 'counts':
      return countsNow();
    case 'resync':
      return resync(req.expected, req.since);
    case 'startPollers':
      startPollers(req.args);
      return true;
    case 'stopPollers':
      stopPollers();
      return true;
    case 'httpOnce':
      return httpOnce(req.url, req.count);
    case 'memory':
      return process.memoryUsage();
  }
}

function send(reply: Reply): void {
  process.send?.(reply);
}

process.on('message', (message: Envelope) => {
  handle(message.req).then(
    (result) => send({ id: message.id, ok: true, result }),
    (error: unknown) =>
      send({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

// The benchmark going away (even by SIGKILL) closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0));
