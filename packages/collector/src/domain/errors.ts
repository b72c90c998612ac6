/** A request the caller can fix: answered 4xx with the code, message and the field at fault. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`, 404);
export const invalid = (field: string, message: string) => new DomainError('invalid_request', `${field}: ${message}`, 400, field);

/** A valibot issue, as far as an error needs it. */
interface Issue {
  message: string;
  path?: ReadonlyArray<{ key: unknown }>;
}

/**
 * The first schema issue as a 400 naming its path (`content.title`,
 * `pages.include.0.value`); an issue at the top names `fallback`.
 *
 * @example
 * const parsed = v.safeParse(Schema, body); if (!parsed.success) throw invalidFromIssues(parsed.issues);
 */
export function invalidFromIssues(issues: readonly [Issue, ...Issue[]], fallback = 'body'): DomainError {
  const issue = issues[0];
  return invalid(issue.path?.map((p) => String(p.key)).join('.') || fallback, issue.message);
}

const KiB = 1024;
const MiB = 1024 * KiB;
const sizeText = (bytes: number) => (bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MB` : `${Math.round(bytes / KiB)} KB`);

/** A body over its cap: 413 naming `body`. */
export const bodyTooLarge = (limit: number) =>
  new DomainError('payload_too_large', `body: must be at most ${sizeText(limit)}`, 413, 'body');
