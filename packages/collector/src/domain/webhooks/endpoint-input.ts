import { invalid } from '../errors.js';
import { isJsonObject } from '../json-object.js';
import { WEBHOOK_TYPES } from './types.js';

export interface EndpointInput {
  url: string;
  events: string[];
  description: string | null;
}

export type EndpointPatch = Partial<EndpointInput> & { enabled?: boolean };

const MAX_URL = 2048;
const MAX_DESCRIPTION = 500;

function url(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw invalid('url', 'must be an http or https URL');
  if (raw.length > MAX_URL) throw invalid('url', `must be at most ${MAX_URL} characters`);
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw invalid('url', 'must be an absolute http or https URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('url', 'must use http or https');
  // Credentials in the URL would be stored and shown in every listing; the signature is the authentication.
  if (parsed.username || parsed.password) throw invalid('url', 'must not carry a user name or password');
  return parsed.toString();
}

function events(raw: unknown): string[] {
  if (!Array.isArray(raw) || !raw.length) throw invalid('events', 'must be a non-empty list of event types, or ["*"]');
  for (const [i, type] of raw.entries()) {
    if (type === '*' && raw.length > 1) throw invalid(`events.${i}`, '"*" subscribes to everything and stands alone');
    if (type !== '*' && !(WEBHOOK_TYPES as readonly unknown[]).includes(type))
      throw invalid(`events.${i}`, `must be one of ${WEBHOOK_TYPES.join(', ')} (or ["*"])`);
  }
  return [...new Set(raw as string[])];
}

function description(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') throw invalid('description', 'must be a string');
  if (raw.length > MAX_DESCRIPTION) throw invalid('description', `must be at most ${MAX_DESCRIPTION} characters`);
  return raw;
}

const object = (body: unknown): Record<string, unknown> => {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object');
  return body;
};

/**
 * A new endpoint as POST /api/webhooks takes it (SPEC §9): an http(s) URL, the
 * event types it wants, an optional description.
 *
 * @example
 * parseEndpointInput({ url: 'https://hooks.example.com/t', events: ['profile.created'] })
 */
export function parseEndpointInput(body: unknown): EndpointInput {
  const b = object(body);
  return { url: url(b.url), events: events(b.events), description: description(b.description) };
}

/**
 * A PATCH: any of url, events, description, enabled.
 *
 * @example
 * parseEndpointPatch({ enabled: false }) // → { enabled: false }
 */
export function parseEndpointPatch(body: unknown): EndpointPatch {
  const b = object(body);
  const patch: EndpointPatch = {};
  if ('url' in b) patch.url = url(b.url);
  if ('events' in b) patch.events = events(b.events);
  if ('description' in b) patch.description = description(b.description);
  if ('enabled' in b) {
    if (typeof b.enabled !== 'boolean') throw invalid('enabled', 'must be true or false');
    patch.enabled = b.enabled;
  }
  return patch;
}
