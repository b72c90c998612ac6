/** Posts a console form's fields to `url` as our script (the CSRF token as a header too) and answers the JSON. */
export interface Answer {
  ok: boolean;
  /** The JSON answer; on an error `{ error: { message } }`. */
  body: { error?: { message?: string } } & Record<string, unknown>;
}

export async function postForm(form: HTMLFormElement, url: string): Promise<Answer> {
  const data = new FormData(form);
  const token = String(data.get('_csrf') ?? '');
  const body = new URLSearchParams();
  for (const [k, v] of data) if (typeof v === 'string') body.append(k, v);
  const res = await fetch(url, { method: 'POST', body, credentials: 'same-origin', headers: { 'x-csrf-token': token } });
  return { ok: res.ok, body: await res.json().catch(() => ({})) };
}
