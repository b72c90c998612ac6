/** `[data-copy=<id>]` buttons copy that element's text (the write key, the snippet) to the clipboard. */
export function copyButtons(doc: Document): void {
  for (const button of doc.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
    const target = doc.getElementById(button.dataset.copy ?? '');
    if (!target || !navigator.clipboard) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      const text = target instanceof HTMLTextAreaElement ? target.value : (target.textContent ?? '');
      await navigator.clipboard.writeText(text).catch(() => {});
      button.textContent = 'Copied';
      setTimeout(() => {
        button.textContent = label;
      }, 1500);
    });
  }
}
