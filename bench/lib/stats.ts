/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A number for a table: thousands separated, `digits` decimals. */
export const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** `ours / theirs` to two decimals, or a dash when either is missing. */
export const ratio = (ours: number | undefined, theirs: number | undefined) =>
  ours === undefined || theirs === undefined || !theirs ? undefined : ours / theirs;

export const bytes = (n: number | undefined) => (n === undefined ? '—' : n >= 10_240 ? `${fmt(n / 1024, 1)} KB` : `${fmt(n)} B`);
