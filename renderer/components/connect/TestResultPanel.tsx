import type { TestFailure, TestFailureKind, TestResult } from '../../live/connectionTestTypes.js';
import { CheckIcon, CrossIcon, StopIcon } from './icons.js';
import type { TestState } from './useConnectionTest.js';

const FAILURE_TITLES: Record<TestFailureKind, string> = {
  invalid_url: 'Invalid URL',
  host_not_found: 'Host name not found',
  refused: 'Connection refused',
  unreachable: 'Could not connect',
  unauthorized: 'Token refused',
  not_opsdeck: 'Not an Opsdeck server',
  tls: 'TLS problem',
  timeout: 'No answer in time',
  cancelled: 'Test cancelled',
};

/** The headline of a failure: its kind, with "needed" and "refused" told apart for tokens. */
function failureTitle(result: TestFailure): string {
  return result.kind === 'unauthorized' && result.token === 'missing'
    ? 'Token needed'
    : FAILURE_TITLES[result.kind];
}

/**
 * Where "Test connection" answers, below the profile form: a spinner while the test runs, then
 * the result (what answers there, or what is wrong), one line per URL when there are several.
 */
export function TestResultPanel({ test }: { test: TestState }) {
  return (
    <div className="cd-test" aria-live="polite">
      {test.state === 'running' && (
        <div
          className="cd-result cd-result--running"
          data-testid="test-result"
          data-ok=""
          data-kind="running"
        >
          <span className="cd-spinner" aria-hidden="true" />
          <div className="cd-result-body">
            <p className="cd-result-title">
              Testing {test.urls.length > 1 ? `${test.urls.length} URLs` : test.urls[0]}…
            </p>
            <p className="cd-result-text">Probing HTTP, then Socket.IO with the token.</p>
          </div>
        </div>
      )}
      {test.state === 'done' && <TestResults results={test.results} />}
    </div>
  );
}

function TestResults({ results }: { results: { url: string; result: TestResult }[] }) {
  const failure = results.find((r) => !r.result.ok);
  const ok = failure === undefined;
  const kind = failure && !failure.result.ok ? failure.result.kind : 'ok';
  const first = results[0];
  if (!first) return null;
  const single = results.length === 1;
  return (
    <div
      className={`cd-result cd-result--${ok ? 'ok' : kind === 'cancelled' ? 'neutral' : 'danger'}`}
      data-testid="test-result"
      data-ok={ok ? 'true' : 'false'}
      data-kind={kind}
    >
      <span className="cd-result-icon" aria-hidden="true">
        {ok ? <CheckIcon /> : kind === 'cancelled' ? <StopIcon /> : <CrossIcon />}
      </span>
      <div className="cd-result-body">
        {single ? (
          <SingleResult result={first.result} />
        ) : (
          <>
            <p className="cd-result-title">
              {ok
                ? `All ${results.length} URLs answer`
                : `${results.filter((r) => !r.result.ok).length} of ${results.length} URLs failed`}
            </p>
            <ul className="cd-result-list">
              {results.map(({ url, result }) => (
                <li key={url} data-ok={result.ok ? 'true' : 'false'}>
                  <span className="cd-result-url">{url}</span>
                  {result.ok ? (
                    <span className="cd-muted">
                      {serverLabel(result.serverName, result.version)} ·{' '}
                      {plural(result.nodes, 'node')} · {plural(result.sections, 'section')} ·{' '}
                      {formatRtt(result.rttMs)}
                    </span>
                  ) : (
                    <span>
                      <strong>{failureTitle(result)}:</strong> {result.message}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function SingleResult({ result }: { result: TestResult }) {
  if (!result.ok) {
    return (
      <>
        <p className="cd-result-title">{failureTitle(result)}</p>
        <p className="cd-result-text">{result.message}</p>
      </>
    );
  }
  return (
    <>
      <p className="cd-result-title">
        Connection OK{' '}
        <span className="cd-result-server">{serverLabel(result.serverName, result.version)}</span>
      </p>
      <dl className="cd-stats">
        <div>
          <dt>Nodes</dt>
          <dd>{result.nodes}</dd>
        </div>
        <div>
          <dt>Sections</dt>
          <dd>{result.sections}</dd>
        </div>
        <div>
          <dt>Round trip</dt>
          <dd>{formatRtt(result.rttMs)}</dd>
        </div>
      </dl>
      <p className="cd-result-foot">
        {result.url} · node {result.nodeId}
      </p>
    </>
  );
}

function serverLabel(name: string, version: string): string {
  const display = name === 'opsdeck' ? 'Opsdeck' : name;
  return `${display} ${version}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatRtt(ms: number): string {
  const digits = ms < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(ms)} ms`;
}
