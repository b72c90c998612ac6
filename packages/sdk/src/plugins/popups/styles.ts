/**
 * The host element's own style, inline and `!important`: an inline important
 * declaration beats any page rule, so a page's `div { display: none !important }`
 * or `* { position: static }` cannot hide or move the popup. `all: initial`
 * stops the page's inherited font and colour at the shadow boundary.
 * `position: fixed` takes the popup out of the flow: no layout shift.
 */
export const HOST_STYLE =
  'all:initial!important;display:block!important;position:fixed!important;inset:0!important;z-index:2147483647!important;contain:layout style!important';

/** The popup's styles, inside its shadow root: they cannot reach the page, and the page's cannot reach in. */
// Indented so no line of the file starts with a bare statement (boundaries.test.ts); gzip takes the spaces.
export const POPUP_CSS = `
  .backdrop{position:fixed;inset:0;background:rgba(17,24,39,.55)}
  .dialog{position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);box-sizing:border-box;width:min(92vw,420px);max-height:90vh;overflow:auto;background:#fff;color:#111827;border-radius:12px;padding:28px 24px 24px;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 20px 50px rgba(0,0,0,.3);text-align:left}
  h2{margin:0 32px 8px 0;font-size:20px;line-height:1.3;font-weight:700;color:#111827}
  p{margin:0 0 12px}
  label{display:block;font-weight:600;margin-bottom:4px}
  input{box-sizing:border-box;width:100%;margin-bottom:8px;padding:10px 12px;font:inherit;color:inherit;background:#fff;border:1px solid #6b7280;border-radius:8px}
  [role=alert]{color:#b91c1c;font-size:14px}
  [role=alert]:empty{display:none}
  #tl-consent{color:#4b5563;font-size:13px}
  .cta,[type=submit]{display:inline-block;margin-top:4px;padding:10px 18px;border:0;border-radius:8px;background:#111827;color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
  .close{position:absolute;top:8px;right:8px;width:36px;height:36px;border:0;border-radius:50%;background:transparent;color:#374151;font:24px/1 system-ui,sans-serif;cursor:pointer}
  :focus-visible{outline:3px solid #2563eb;outline-offset:2px}`;
