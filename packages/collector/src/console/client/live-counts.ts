/** How often the overview asks for fresh counts: often enough to watch a visitor arrive. */
const EVERY_MS = 3000;

const pick = (data: unknown, path: string) =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);

/** Keeps every `[data-live]` number under `[data-live-source]` current by polling its JSON. */
export function liveCounts(doc: Document): void {
  const source = doc.querySelector<HTMLElement>('[data-live-source]')?.dataset.liveSource;
  if (!source) return;
  const refresh = async () => {
    if (doc.hidden) return;
    const res = await fetch(source, { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => undefined);
    if (!res?.ok || res.redirected) return;
    const data: unknown = await res.json();
    for (const el of doc.querySelectorAll<HTMLElement>('[data-live]')) {
      const value = pick(data, el.dataset.live ?? '');
      if (value !== undefined && el.textContent !== String(value)) el.textContent = String(value);
    }
  };
  setInterval(() => void refresh(), EVERY_MS);
}
