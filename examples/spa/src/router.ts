/**
 * A two-route history router: every `a[data-route]` click and the back and
 * forward buttons change the URL without a page load, then call `onRoute`.
 * Routes live in the query (`./`, `./?product=sku-101`), so a reload on any
 * route works from a plain static server.
 * @example startRouter(window, (url) => render(url));
 */
export function startRouter(win: Window, onRoute: (url: URL) => void): void {
  const show = () => onRoute(new URL(win.location.href));
  win.document.addEventListener('click', (e) => {
    const link = (e.target as Element | null)?.closest?.<HTMLAnchorElement>('a[data-route]');
    // Let the browser handle new-tab clicks (ctrl, cmd, middle button).
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (link.href !== win.location.href) win.history.pushState(null, '', link.href);
    show();
  });
  win.addEventListener('popstate', show);
  show();
}
