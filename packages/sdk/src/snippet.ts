import type { InitOptions } from './global.js';

/* The stub pasted into pages, kept ES5-shaped because it runs before anything
 * else on the storefront. It is stringified, so it must use only its own
 * parameters and globals; the build minifies it. */
function stub(w: Record<string, any>, d: Document, o: { host: string }) {
  var t = (w.threadline = w.threadline || {});
  // Pasted twice, or the SDK is already loaded: leave everything as it is.
  if (t.init) return;
  var q: unknown[][] = (t.q = []);
  'init track page identify alias reset flush ready anonymousId consent registerDevice'.split(' ').forEach(function (m) {
    t[m] = function () {
      var a = arguments;
      // Date.now() per call: the SDK replays with the original timestamps (SPEC §8).
      return new Promise(function (r) {
        t.e ? r(undefined) : q.push([m, a, Date.now(), r]);
      });
    };
  });
  t.init(o);
  var s = d.createElement('script');
  s.async = true;
  s.src = `${o.host}/threadline.js`;
  // Blocked or unreachable: settle every waiting promise so `await threadline.ready()` never hangs.
  s.onerror = function () {
    t.e = 1;
    q.forEach(function (c) {
      (c[3] as () => void)();
    });
  };
  d.head.appendChild(s);
}

/**
 * The inline `<script>` body for a storefront: defines the `threadline` stub,
 * calls `init`, and loads `{host}/threadline.js`. Values are JSON-encoded with
 * `<` escaped, so no option can close the script element.
 * @example `<script>${snippet({ host: 'https://collect.example.com', writeKey: 'wk_123' })}</script>`
 */
export function snippet(options: InitOptions): string {
  const init = { ...options, host: String(options.host).replace(/\/+$/, '') };
  return `(${String(stub)})(window,document,${JSON.stringify(init).replace(/</g, '\\u003c')});`;
}
