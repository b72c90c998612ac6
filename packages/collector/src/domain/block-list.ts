/**
 * The block list of shared or fake values (SPEC §2): plain values and, with
 * `*` standing for any run of characters, patterns such as
 * `*@placeholder.email` (Iterable's placeholder addresses) or `*@example.com`.
 */

/** Characters a pattern must have besides `*`, so no entry can block (nearly) everything. */
export const MIN_PATTERN_LITERALS = 3;

const isPattern = (entry: string) => entry.includes('*');

/**
 * Why a block-list entry is unusable, or undefined when it is fine. Plain
 * values are taken as given; a pattern needs a few literal characters and no
 * spaces.
 *
 * @example
 * blockListEntryProblem('*') // → 'a pattern needs at least 3 characters besides "*" …'
 */
export function blockListEntryProblem(entry: string): string | undefined {
  const e = entry.trim();
  if (!isPattern(e)) return undefined;
  if (/\s/.test(e)) return 'a pattern must not contain spaces';
  if (e.replaceAll('*', '').length < MIN_PATTERN_LITERALS)
    return `a pattern needs at least ${MIN_PATTERN_LITERALS} characters besides "*", such as "*@placeholder.email"`;
  return undefined;
}

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

interface Compiled {
  values: string[];
  patterns: RegExp[];
}

// One block list serves a whole batch: compile its patterns once per list.
const compiled = new WeakMap<readonly string[], Compiled>();

function compile(blockList: readonly string[]): Compiled {
  const hit = compiled.get(blockList);
  if (hit) return hit;
  const values: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of blockList) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (!isPattern(e)) values.push(e);
    else if (!blockListEntryProblem(e)) patterns.push(new RegExp(`^${e.split('*').map(escapeRegex).join('.*')}$`));
  }
  const result = { values, patterns };
  compiled.set(blockList, result);
  return result;
}

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * True when a normalised value is on the workspace's block list. Plain
 * phones compare by their trailing digits so `0000000000` blocks `+1 000…`
 * too; a pattern matches the whole value (a phone's E.164 form or its digits).
 *
 * @example
 * isBlocked('email', 'x91@placeholder.email', ['*@placeholder.email']) // → true
 */
export function isBlocked(kind: 'email' | 'phone' | 'userId', value: string, blockList: readonly string[]): boolean {
  const v = value.toLowerCase();
  const { values, patterns } = compile(blockList);
  if (patterns.some((p) => p.test(v) || (kind === 'phone' && p.test(digits(v))))) return true;
  return values.some((e) => {
    if (kind !== 'phone') return e === v;
    const d = digits(e);
    return d.length >= 6 && digits(v).endsWith(d);
  });
}

/**
 * The block list for SQL over stored addresses: plain values lower-cased,
 * patterns as `LIKE` patterns (`*` → `%`, with `%`, `_` and `\` escaped by `\`).
 * Reachability uses it so an address a profile held before its entry was
 * added stops counting as reachable too.
 *
 * @example
 * blockListForSql(['*@placeholder.email', 'test@test.com']) // → { values: ['test@test.com'], likes: ['%@placeholder.email'] }
 */
export function blockListForSql(blockList: readonly string[]): { values: string[]; likes: string[] } {
  const values: string[] = [];
  const likes: string[] = [];
  for (const entry of blockList) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (!isPattern(e)) values.push(e);
    else if (!blockListEntryProblem(e)) likes.push(e.replace(/[\\%_]/g, '\\$&').replaceAll('*', '%'));
  }
  return { values, likes };
}
