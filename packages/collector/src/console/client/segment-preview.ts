import { postForm } from './post-form.js';

/** Shows the builder's live size and reachability: previewed (debounced) on every change, as the API's preview. */
export function segmentPreview(doc: Document): void {
  const form = doc.querySelector<HTMLFormElement>('form[data-segment-builder]');
  const out = form?.querySelector<HTMLOutputElement>('[data-segment-preview]');
  if (!form || !out) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const run = async () => {
    const mine = ++asked;
    const { ok, body } = await postForm(form, '/console/segments/preview');
    if (mine !== asked) return; // an older answer arriving late must not overwrite a newer one
    if (!ok) {
      out.textContent = body?.error?.message ?? 'Cannot preview this definition.';
      return;
    }
    const counts = body as { size: number; contacts: number; anonymous: number; reachability: Record<string, number> };
    const reach = Object.entries(counts.reachability)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    out.textContent = `${counts.size} profiles (${counts.contacts} contacts, ${counts.anonymous} anonymous). Reachable: ${reach}.`;
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 300);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
}
