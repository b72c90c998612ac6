import type { BatchResponse, RejectedMessage } from '@threadline/protocol';
import { retryAfterMs } from './backoff.js';
import type { FetchLike } from './fetch-like.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** What the queue should do with the messages it sent. */
export type SendOutcome =
  | { kind: 'ack'; rejected: RejectedMessage[] } // stored, duplicate or refused one by one: all done
  | { kind: 'retry'; afterMs?: number } // 429 / 5xx / network: keep, wait, send again
  | { kind: 'split' } // 413: the batch is too large, send halves
  | { kind: 'drop'; reason: string } // 400: the request can never succeed
  | { kind: 'stop'; reason: string }; // bad write key or endpoint: keep everything, stop sending

/**
 * POSTs a batch body. `text/plain` keeps the request CORS-simple, so no
 * preflight doubles the latency or fails on pagehide (Fetch spec, CORS-safelisted request-header).
 * @example await postBatch('https://c.example.com/v1/batch', body, fetch)
 */
export async function postBatch(url: string, body: string, fetchFn: FetchLike, keepalive = false, now = Date.now): Promise<SendOutcome> {
  let res;
  try {
    // A hung request would hold the flush lock of every tab; keepalive requests outlive the page anyway.
    const signal = keepalive ? undefined : AbortSignal.timeout?.(REQUEST_TIMEOUT_MS);
    res = await fetchFn(url, { method: 'POST', body, keepalive, signal, headers: { 'Content-Type': 'text/plain' } });
  } catch {
    return { kind: 'retry' };
  }
  return classifyResponse(res, now());
}

/**
 * Maps an HTTP answer to what the queue does next.
 * @example await classifyResponse(new Response(null, { status: 503 }), Date.now()) // { kind: 'retry' }
 */
export async function classifyResponse(res: Pick<Response, 'status' | 'headers' | 'json'>, now: number): Promise<SendOutcome> {
  const s = res.status;
  const body = (await res.json().catch(() => undefined)) as Partial<BatchResponse> & { error?: { message?: string } } | undefined;
  const reason = `HTTP ${s}${body?.error?.message ? `: ${body.error.message}` : ''}`;
  if (s < 300) return { kind: 'ack', rejected: Array.isArray(body?.rejected) ? body.rejected : [] };
  if (s === 429) return { kind: 'retry', afterMs: retryAfterMs(res.headers.get('Retry-After'), now) };
  if (s === 413) return { kind: 'split' };
  // A wrong write key or host is a site's misconfiguration, not a bad event: keep the queue for the fixed deploy.
  if (s === 401 || s === 403 || s === 404) return { kind: 'stop', reason };
  if (s >= 500 || s === 408) return { kind: 'retry' };
  return { kind: 'drop', reason };
}
