import { useCallback, useEffect, useRef, useState } from 'react';
import type { VerifyAck, VerifyRequest } from '../../../common/protocol.js';

/** Asks the server whether a version and hash are current (PushClient.verify). */
export type Verifier = (request: VerifyRequest) => Promise<VerifyAck>;

export type VerifyResult =
  | { state: 'idle' }
  | { state: 'checking'; version: number }
  | { state: 'current'; version: number }
  | { state: 'stale'; version: number }
  | { state: 'error'; version: number; message: string };

/** The answer in words for people; plain, never a colour alone. */
export function verifyWords(result: VerifyResult): string {
  switch (result.state) {
    case 'idle':
      return '';
    case 'checking':
      return `Checking version ${result.version} with the server…`;
    case 'current':
      return `Version ${result.version} matches the server's current version.`;
    case 'stale':
      return `Version ${result.version} is no longer current: the server holds other rows now.`;
    case 'error':
      return `Could not verify version ${result.version}: ${result.message}.`;
  }
}

/** Runs one `verify` at a time; an answer that comes after the panel closed is dropped. */
export function useVerify(verifier: Verifier) {
  const [result, setResult] = useState<VerifyResult>({ state: 'idle' });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    (request: VerifyRequest) => {
      const { version } = request;
      setResult({ state: 'checking', version });
      verifier(request).then(
        (ack) => {
          if (!mounted.current) return;
          if (!ack.ok) setResult({ state: 'error', version, message: ack.error.message });
          else setResult({ state: ack.current ? 'current' : 'stale', version });
        },
        (error: unknown) => {
          if (!mounted.current) return;
          const message = error instanceof Error ? error.message : String(error);
          setResult({ state: 'error', version, message });
        },
      );
    },
    [verifier],
  );
  return { result, run };
}
