import type { BatchResponse, RejectedMessage } from '@threadline/protocol';
import { retryAfterMs } from './backoff.js';
import type { FetchLike } from './fetch-like.js';
import { attempt } from '../util/guard.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** What the queue should do with the messages it sent. */
export type SendOutcome =
  | { kind: 'ack'; rejected: RejectedMessage[] } // stored, duplicate or refused one by one: all done
  // 429 / 5xx / network: keep, wait, send again. `suspect`: a server error that may be this payload's
  // doing (500, 501, 505+; never 502–504, which a proxy or an overload gives whatever was sent).
  | { kind: 'retry'; afterMs?: number; suspect?: boolean }
  | { kind: 'split' } // 413: the batch is too large, send halves
  | { kind: 'drop'; reason: string } // 400: the request can never succeed
  | { kind: 'stop'; reason: string }; // bad write key or endpoint: keep everything, stop sending

/**
 * POSTs a batch body and maps the answer to what the queue does next. `text/plain`
 * keeps the request CORS-simple, so no preflight doubles the latency or fails on
 * pagehide (Fetch spec, CORS-safelisted request-header). Never rejects on a network error.
 * @example await postBatch('https://c.example.com/v1/batch', body, fetch)
 */
export function postBatch(url: string, body: string, fetchFn: FetchLike, keepalive = false, now = Date.now): Promise<SendOutcome> {
  return attempt(() =>
    // A hung request would hold the flush lock of every tab; keepalive requests outlive the page anyway.
    fetchFn(url, {
      method: 'POST',
      body,
      keepalive,
      signal: keepalive ? undefined : AbortSignal.timeout?.(REQUEST_TIMEOUT_MS),
      headers: { 'Content-Type': 'text/plain' },
    }),
  ).then(
    async (res): Promise<SendOutcome> => {
      const s = res.status;
      const json = (await res.json().catch(() => undefined)) as (Partial<BatchResponse> & { error?: { message?: string } }) | undefined;
      const reason = `HTTP ${s}${json?.error?.message ? `: ${json.error.message}` : ''}`;
      return s < 300
        ? { kind: 'ack', rejected: Array.isArray(json?.rejected) ? json.rejected : [] }
        : s == 429
          ? { kind: 'retry', afterMs: retryAfterMs(res.headers.get('Retry-After'), now()) }
          : s == 413
            ? { kind: 'split' }
            : // A wrong write key or host is a site's misconfiguration, not a bad event: keep the queue for the fixed deploy.
              s == 401 || s == 403 || s == 404
              ? { kind: 'stop', reason }
              : s > 499 || s == 408
                ? { kind: 'retry', suspect: s > 499 && (s < 502 || s > 504) }
                : { kind: 'drop', reason };
    },
    () => ({ kind: 'retry' }),
  );
}
