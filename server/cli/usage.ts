export const USAGE = `opsdeck: live operations console server

usage:
  opsdeck demo  [--host H] [--port N] [--rate R] [--seed S] [--db FILE] [--token T]
  opsdeck serve --config FILE [--host H] [--port N]
  opsdeck check --config FILE
  opsdeck --version | --help

demo   serve the built-in sales-floor demo on SQLite (R new orders a minute, default 30);
       the token may also come from the OPSDECK_TOKEN environment variable
serve  serve the sections of a configuration file
check  validate a configuration file, run every section once and report

Exit codes: 0 success, 2 usage or configuration error, 1 anything else.
Logs are JSON on standard error (level: OPSDECK_LOG_LEVEL, default info).`;

/** A command-line mistake: printed as `usage: ...` and exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
