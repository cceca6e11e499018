import type { AckReply, ErrorCode, SectionUpdate } from '../../common/protocol.js';
import { verifyRequestSchema } from '../../common/schemas.js';
import { canonicalHash } from '../sections/canonicalHash.js';
import { parsePayload } from './parsePayload.js';

/** What `verify` reads: the section's current snapshot, from memory (never the database). */
export interface VerifyDirectory {
  has(id: string): boolean;
  snapshot(id: string): SectionUpdate | undefined;
}

type Fail = (reply: AckReply<'verify'>, code: ErrorCode, message: string) => void;

/**
 * The `verify` event (docs/socketio.md): does `{ section, version, hash }` (an evidence file, a
 * screenshot's numbers) match the snapshot the server holds now? `current: false` means the data
 * changed since (or the hash was altered); it is an answer, not an error.
 */
export function verifyHandler(directory: VerifyDirectory, fail: Fail) {
  return (payload: unknown, reply: AckReply<'verify'>): void => {
    const request = parsePayload(verifyRequestSchema, payload);
    if (!request.ok) return fail(reply, 'bad_request', request.message);
    const { section, version, hash } = request.value;
    if (!directory.has(section))
      return fail(reply, 'unknown_section', `unknown section: ${section}`);
    const snapshot = directory.snapshot(section);
    reply({ ok: true, current: snapshot !== undefined && matches(snapshot, version, hash) });
  };
}

function matches(snapshot: SectionUpdate, version: number, hash: string): boolean {
  if (snapshot.version !== version) return false;
  const held =
    snapshot.hash ?? canonicalHash(snapshot.columns, snapshot.rows, snapshot.truncated === true);
  return held === hash;
}
