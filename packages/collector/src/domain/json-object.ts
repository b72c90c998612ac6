/**
 * A JSON object: not null, not an array. The one check every route and
 * service applies before reading fields off a parsed body.
 * @example if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
 */
export const isJsonObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
