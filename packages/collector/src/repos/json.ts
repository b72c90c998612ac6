/** JSON columns are jsonb on PostgreSQL (parsed by pg) and text on SQLite. */
export function parseJson<T = Record<string, unknown>>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value as T;
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
