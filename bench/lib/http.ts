/** POSTs a JSON body (as text/plain, as browsers send it) and answers the parsed reply; throws on a non-2xx. */
export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/plain', ...headers } });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** GETs JSON with the secret key; throws on a non-2xx. */
export async function getJson<T>(url: string, secretKey: string): Promise<T> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${secretKey}` } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

/** Sends bodies `parallel` at a time. */
export async function postAll(url: string, bodies: string[], parallel = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) await post(url, bodies[next++]!);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
