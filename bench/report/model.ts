/** One Markdown table. */
export interface Table {
  title?: string;
  headers: string[];
  rows: string[][];
}

/** What a benchmark hands the report: tables, how they were taken, and what they mean. */
export interface Part {
  tables: Table[];
  /** How the numbers were taken and how to reproduce them. */
  method: string[];
  /** Targets missed (with the measured reason), one line each; they also go to the summary. */
  missed: string[];
  /** Other observations worth a reader's time (measured, not guessed). */
  findings: string[];
  /** One-line headline figures for the summary. */
  headline: string[];
}

export const emptyPart = (): Part => ({ tables: [], method: [], missed: [], findings: [], headline: [] });

/** Folds parts into one. */
export const joinParts = (...parts: Part[]): Part => ({
  tables: parts.flatMap((p) => p.tables),
  method: [...new Set(parts.flatMap((p) => p.method))],
  missed: parts.flatMap((p) => p.missed),
  findings: parts.flatMap((p) => p.findings),
  headline: parts.flatMap((p) => p.headline),
});

/** A part that could not be measured here, with the reason. */
export const notMeasured = (what: string, reason: string): Part => ({
  ...emptyPart(),
  tables: [{ headers: ['measure', 'status'], rows: [[what, `not measured: ${reason}`]] }],
});

export const yesNo = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'yes' : '**no**');
