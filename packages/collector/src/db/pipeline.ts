import { createRequire } from 'node:module';
import { CompiledQuery } from 'kysely';

const require = createRequire(import.meta.url);
// pg's own row parsing and value encoding, so a pipelined statement answers exactly as a lone one.
const Result = require('pg/lib/result.js') as new (
  rowMode: undefined,
  types: unknown,
) => {
  command: string | null;
  rowCount: number | null;
  rows: unknown[];
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
  addCommandComplete(msg: unknown): void;
};
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };

/** Marker texts: never sent as such; the pool's client (preparingClient) acts on them. */
export const PIPELINE_TEXT = '-- threadline: pipeline';
export const DEFER_TEXT = '-- threadline: defer';

/** The statements a marker query carries. */
export class Statements {
  constructor(
    readonly queries: readonly CompiledQuery[],
    /** Which statement's rows answer (pipelined only). */
    readonly answer = queries.length - 1,
  ) {}
}

/**
 * `queries` sent to a single-node PostgreSQL in one write and answered in
 * one round trip, in order, as one query whose rows are those of
 * `queries[answer]` (the last by default). The
 * extended protocol's single Sync at the end makes an error stop the rest:
 * inside a transaction nothing after a failed statement runs, and the
 * transaction is left to be rolled back. Only through the pool of
 * db/connection.ts (preparingClient); never on Citus or SQLite.
 *
 * @example
 * const { rows } = await conn.executeQuery(pipelined([write, CompiledQuery.raw('commit')]));
 */
export function pipelined(queries: readonly CompiledQuery[], answer = queries.length - 1): CompiledQuery {
  return CompiledQuery.raw(PIPELINE_TEXT, [new Statements(queries, answer)]);
}

/**
 * `queries` held back on the connection, answered at once with no rows: they
 * go out with the next statement the connection runs, in the same write
 * (pipelined), and an error of theirs is that statement's. For a
 * transaction's opening (`begin` and its locks) that would otherwise cost a
 * round trip of its own before the first read.
 *
 * @example
 * await conn.executeQuery(deferred([CompiledQuery.raw('begin'), locks]));
 */
export function deferred(queries: readonly CompiledQuery[]): CompiledQuery {
  return CompiledQuery.raw(DEFER_TEXT, [new Statements(queries)]);
}

interface Step {
  text: string;
  values: readonly unknown[];
  /** The prepared statement's name, given only when the connection has already parsed it: the step is bound to it, not parsed. */
  name?: string;
}

interface PgConnection {
  stream: { cork?(): void; uncork?(): void };
  parse(q: { text: string; name: string; types: unknown[] }): void;
  bind(c: { portal: string; statement: string; values: readonly unknown[]; valueMapper: (v: unknown) => unknown }): void;
  describe(m: { type: 'P'; name: string }): void;
  execute(c: { portal: string; rows: number }): void;
  sync(): void;
}

/**
 * A pg "submittable" running `steps` in one round trip: Parse (unless
 * named: prepared on the connection already), Bind, Describe and Execute each,
 * then one Sync, all in one write. pg hands it each statement's row
 * description, rows and completion in order.
 */
export class PipelineQuery {
  readonly text: string;
  readonly done: Promise<{ command: string | null; rowCount: number | null; rows: unknown[] }>;
  private readonly results: Array<InstanceType<typeof Result>>;
  private at = 0;
  private settle!: { resolve: (r: InstanceType<typeof Result>) => void; reject: (e: unknown) => void };

  constructor(
    private readonly steps: readonly Step[],
    types: unknown,
    private readonly answer = steps.length - 1,
  ) {
    this.text = steps.map((s) => s.text).join('; ');
    this.results = steps.map(() => new Result(undefined, types));
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: PgConnection): void {
    connection.stream.cork?.();
    try {
      for (const step of this.steps) {
        if (step.name === undefined) connection.parse({ text: step.text, name: '', types: [] });
        connection.bind({ portal: '', statement: step.name ?? '', values: step.values, valueMapper: prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(msg: { fields: unknown[] }): void {
    this.results[this.at]?.addFields(msg.fields);
  }

  handleDataRow(msg: { fields: unknown[] }): void {
    const result = this.results[this.at];
    result?.addRow(result.parseRow(msg.fields));
  }

  handleCommandComplete(msg: unknown): void {
    this.results[this.at]?.addCommandComplete(msg);
    this.at++;
  }

  handleEmptyQuery(): void {
    this.at++;
  }

  handlePortalSuspended(): void {}

  handleError(err: unknown): void {
    this.settle.reject(err);
  }

  handleReadyForQuery(): void {
    this.settle.resolve(this.results[this.answer]!);
  }

  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('no COPY in a pipeline');
  }

  handleCopyData(): void {}
}
