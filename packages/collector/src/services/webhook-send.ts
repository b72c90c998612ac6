import { Webhook } from 'standardwebhooks';

/** What a receiver answered, or why it answered nothing. */
export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export interface SendRequest {
  /** The delivery id: the `webhook-id` receivers deduplicate on, the same on every attempt. */
  id: string;
  url: string;
  secret: string;
  body: string;
  /** Epoch milliseconds of this attempt: the signed `webhook-timestamp`. */
  at: number;
}

/**
 * POSTs one delivery signed per the Standard Webhooks specification (SPEC §9):
 * `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`,
 * made by the `standardwebhooks` package rather than by hand. Any 2xx is a
 * success; redirects are not followed (a receiver that moved says so in the
 * attempt log instead of having its payload sent elsewhere).
 *
 * @example
 * await sendWebhook({ id, url: 'https://hooks.example.com/t', secret: 'whsec_…', body: '{"type":…}', at: Date.now() }, 15_000);
 */
export async function sendWebhook(req: SendRequest, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<SendResult> {
  const signature = new Webhook(req.secret).sign(req.id, new Date(req.at), req.body);
  try {
    const res = await fetchImpl(req.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Threadline-Webhooks/1',
        'webhook-id': req.id,
        'webhook-timestamp': String(Math.floor(req.at / 1000)),
        'webhook-signature': signature,
      },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not used; reading it to the end frees the connection for the next delivery.
    await res.arrayBuffer().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, status: null, error: String(reason).slice(0, 500) };
  }
}
