import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { CsrfField } from './csrf-field.js';

const NAV = [
  ['overview', 'Overview', '/console'],
  ['people', 'People', '/console/people'],
  ['segments', 'Segments', '/console/segments'],
  ['imports', 'Imports', '/console/imports'],
  ['popups', 'Popups', '/console/popups'],
  ['webhooks', 'Webhooks', '/console/webhooks'],
  ['triggers', 'Triggers', '/console/triggers'],
  ['settings', 'Settings', '/console/settings'],
] as const;

export type NavKey = (typeof NAV)[number][0];

/** Every console page: skip link, navigation with sign-out, and one main landmark. */
export function Layout(props: { title: string; active?: NavKey; csrfToken?: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Threadline`}</title>
          <link rel="stylesheet" href="/console/assets/console.css" />
          <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml" />
          <script src="/console/assets/console.js" type="module" />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <a class="brand" href="/console">
              Threadline
            </a>
            {props.csrfToken && (
              <nav aria-label="Console">
                <ul>
                  {NAV.map(([key, label, href]) => (
                    <li>
                      <a href={href} aria-current={props.active === key ? 'page' : undefined}>
                        {label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {props.csrfToken && (
              <form method="post" action="/console/sign-out" class="sign-out">
                <CsrfField token={props.csrfToken} />
                <button type="submit">Sign out</button>
              </form>
            )}
          </header>
          <main id="main" tabindex={-1}>
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
