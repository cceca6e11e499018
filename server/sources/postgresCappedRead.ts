import type pg from 'pg';

/** One statement's answer: at most its `limit` parsed rows, the fields and the command tag. */
export interface StatementRows {
  rows: Record<string, unknown>[];
  fields: pg.FieldDef[];
  /** The command tag's verb ('SELECT', 'SHOW', 'SET', ...); undefined when none came. */
  command: string | undefined;
}

export interface CappedRows {
  /** One per statement, in order. */
  statements: StatementRows[];
  /** Session parameters the backend reported changed during the read (name -> value). */
  changedParameters: Map<string, string>;
}

/** A statement of a read and the most rows to fetch of it (0: all, only for trusted SQL). */
export interface CappedStatement {
  text: string;
  limit: number;
}

/** The part of pg's Connection this read writes to (pg's typings declare `rows` a string). */
interface WireConnection {
  readonly stream: { cork?: () => void; uncork?: () => void };
  parse(msg: { text: string }): void;
  bind(msg: { portal: string; values: unknown[] }): void;
  describe(msg: { type: 'P'; name: string }): void;
  execute(msg: { portal: string; rows: number }): void;
  flush(): void;
  sync(): void;
  on(
    event: 'parameterStatus',
    listener: (msg: { parameterName: string; parameterValue: string }) => void,
  ): unknown;
  removeListener(event: 'parameterStatus', listener: (msg: never) => void): unknown;
  once(event: 'readyForQuery' | 'end', listener: () => void): unknown;
  removeListener(event: 'readyForQuery' | 'end', listener: () => void): unknown;
  sendCopyFail?(message: string): void;
}

type Parser = (text: string) => unknown;

/**
 * One section read in one round trip and one (implicit) transaction: Parse, Bind, Describe,
 * Execute with a row limit, and Sync are written at once. The backend sends at most `limit` rows,
 * then PortalSuspended; Sync ends the implicit transaction, which closes the portal, so the rest
 * is never computed or sent. The extended protocol also refuses a second statement in one text.
 * Several statements (Opsdeck's own, several sections' reads) share the round trip and the
 * transaction, each with its own row limit; an error skips the ones after it (`failedStatement`
 * tells which one failed, `completed` holds the answers of those before it). Each statement's
 * answer is also reported as it completes (`onStatement`): a read-only statement's rows are final
 * then, whatever the statements after it do.
 *
 * A pg "submittable": `client.query(new CappedRead(...))` queues it like any query.
 */
export class CappedRead {
  readonly done: Promise<CappedRows>;
  private resolve!: (rows: CappedRows) => void;
  private reject!: (err: Error) => void;
  private parsers: Parser[] = [];
  private readonly answers: StatementRows[] = [];
  private current: StatementRows = { rows: [], fields: [], command: undefined };
  private readonly changedParameters = new Map<string, string>();
  private connection: WireConnection | undefined;
  private settled = false;
  /** Set when the read failed with its connection: it must not go back to the pool. */
  lostConnection = false;
  /** The index of the statement whose error failed the read. */
  failedStatement: number | undefined;
  /** The answers of the statements that completed before the error (all of them on success). */
  get completed(): readonly StatementRows[] {
    return this.answers;
  }
  /** Session parameters the backend reported changed so far (also after an error). */
  get parameters(): ReadonlyMap<string, string> {
    return this.changedParameters;
  }
  private readonly onParameter = (msg: { parameterName: string; parameterValue: string }) => {
    this.changedParameters.set(msg.parameterName, msg.parameterValue);
  };

  constructor(
    private readonly statements: readonly CappedStatement[],
    private readonly types: { getTypeParser(oid: number, format: 'text' | 'binary'): unknown },
    /** Each statement's answer as it completes (CommandComplete), before the batch's end. */
    private readonly onStatement: (index: number, rows: StatementRows) => void = () => undefined,
  ) {
    for (const { limit } of statements) {
      if (!Number.isInteger(limit) || limit < 0) throw new Error(`invalid row limit: ${limit}`);
    }
    this.done = new Promise<CappedRows>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: pg.Connection): void {
    const con = connection as unknown as WireConnection;
    this.connection = con;
    con.on('parameterStatus', this.onParameter);
    // One write: pg's own Query corks the same way.
    con.stream.cork?.();
    try {
      for (const { text, limit } of this.statements) {
        con.parse({ text });
        con.bind({ portal: '', values: [] });
        con.describe({ type: 'P', name: '' });
        con.execute({ portal: '', rows: limit });
        // The backend sends what it has only when asked (or at Sync): each statement's rows leave
        // as soon as they are made, not at the end of the batch. The last one is flushed by Sync.
        if (this.statements.length > 1) con.flush();
      }
      con.sync();
    } finally {
      con.stream.uncork?.();
    }
  }

  handleRowDescription(msg: { fields: pg.FieldDef[] }): void {
    this.current.fields = msg.fields;
    this.parsers = msg.fields.map(
      (f) =>
        this.types.getTypeParser(f.dataTypeID, f.format === 'binary' ? 'binary' : 'text') as Parser,
    );
  }

  handleDataRow(msg: { fields: (string | null)[] }): void {
    const row: Record<string, unknown> = {};
    msg.fields.forEach((raw, i) => {
      const field = this.current.fields[i];
      const parse = this.parsers[i];
      if (field && parse) row[field.name] = raw === null ? null : parse(raw);
    });
    this.current.rows.push(row);
  }

  handleCommandComplete(msg: { text?: string; command?: string }): void {
    this.current.command =
      (msg.command ?? msg.text ?? '').split(' ')[0]?.toUpperCase() || undefined;
    this.nextStatement();
  }

  /** The limit was reached; Sync (already sent) closes the portal. */
  handlePortalSuspended(): void {
    this.nextStatement();
  }

  handleEmptyQuery(): void {
    this.nextStatement();
  }

  private nextStatement(): void {
    const done = this.current;
    this.answers.push(done);
    this.current = { rows: [], fields: [], command: undefined };
    this.onStatement(this.answers.length - 1, done);
  }

  /** COPY is no section read; the backend waits for data only after COPY FROM STDIN. */
  handleCopyInResponse(): void {
    this.connection?.sendCopyFail?.('section reads do not take COPY data');
  }

  handleCopyData(): void {}

  handleReadyForQuery(): void {
    this.finish();
    this.resolve({ statements: this.answers, changedParameters: this.changedParameters });
  }

  /**
   * A backend error, or the connection's own failure. After an ErrorResponse the backend skips to
   * the Sync already sent and answers ReadyForQuery, unless the error ended the session (FATAL):
   * the read settles once that is known, and `lostConnection` tells which.
   */
  handleError(err: Error): void {
    this.finish();
    this.failedStatement = this.answers.length;
    const con = this.connection;
    if (!con || !isBackendError(err)) {
      this.lostConnection = true;
      this.reject(err);
      return;
    }
    const ready = (): void => {
      con.removeListener('end', ended);
      this.reject(err);
    };
    const ended = (): void => {
      con.removeListener('readyForQuery', ready);
      this.lostConnection = true;
      this.reject(err);
    };
    con.once('readyForQuery', ready);
    con.once('end', ended);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.connection?.removeListener('parameterStatus', this.onParameter);
  }
}

/** An ErrorResponse of the backend (pg's DatabaseError), not a socket or client failure. */
function isBackendError(err: Error): boolean {
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && code.length === 5 && typeof severity === 'string';
}
