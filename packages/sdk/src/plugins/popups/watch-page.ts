import type { Occurrence } from './choose-rule.js';

/** The browser surface the page watchers read; `window` in the page. */
export type WatchWindow = Pick<
  Window,
  'addEventListener' | 'removeEventListener' | 'setTimeout' | 'clearTimeout' | 'scrollY' | 'innerHeight'
> & {
  document: Pick<Document, 'addEventListener' | 'removeEventListener' | 'documentElement'>;
  matchMedia?: Window['matchMedia'];
};

/**
 * Watches one page view for the triggers that need the page: time on page
 * (one timer per threshold in `seconds`, counted from `startedAt` seconds ago),
 * scroll depth and exit intent. Answers a function that stops watching (the
 * next SPA page view starts a new watch).
 * @example const stop = watchPage(window, [10, 30], performance.now() / 1000, fire);
 */
export function watchPage(win: WatchWindow, seconds: number[], startedAt: number, fire: (o: Occurrence) => void): () => void {
  const timers = [...new Set(seconds)].map((s) =>
    win.setTimeout(() => fire({ type: 'timeOnPage', seconds: s }), Math.max(0, s - startedAt) * 1000),
  );
  let deepest = 0;
  // Depth as popup tools count it: 0 % at the top, 100 % at the bottom of what can be scrolled.
  // A page shorter than the window has nothing to scroll and fires nothing.
  const onScroll = () => {
    const room = win.document.documentElement.scrollHeight - win.innerHeight;
    const percent = room > 0 ? Math.min(100, Math.round((win.scrollY / room) * 100)) : 0;
    if (percent > deepest) fire({ type: 'scrollDepth', percent: (deepest = percent) });
  };
  // Exit intent: the pointer leaves through the top edge (towards tabs and the address bar).
  // Touch screens have no pointer to leave, so only a fine pointer (a mouse) counts.
  const desktop = win.matchMedia?.('(pointer: fine)').matches !== false;
  const onOut = (e: Event) => {
    const m = e as MouseEvent;
    if (desktop && !m.relatedTarget && m.clientY <= 0) fire({ type: 'exitIntent' });
  };
  win.addEventListener('scroll', onScroll, { passive: true });
  // A visitor who scrolled before the rules arrived (or whose position the browser restored) is already that deep.
  if (win.scrollY > 0) onScroll();
  win.document.addEventListener('mouseout', onOut);
  return () => {
    timers.forEach((t) => win.clearTimeout(t));
    win.removeEventListener('scroll', onScroll);
    win.document.removeEventListener('mouseout', onOut);
  };
}
