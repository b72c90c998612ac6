import type { TestApp } from './app.js';

export const ORIGIN = 'http://localhost';

/** A console user agent for route tests: signs in with a key, keeps the cookie, reads the CSRF token from pages. */
export interface ConsoleAgent {
  cookie: string;
  /** The Set-Cookie header the sign-in answered. */
  setCookie: string;
  get(path: string): Promise<{ status: number; html: string; res: Response }>;
  /** Posts a form with the page's CSRF token (unless `csrf: false`) from this origin. */
  post(
    path: string,
    fields: Record<string, string | string[]>,
    opts?: { csrf?: boolean },
  ): Promise<{ status: number; html: string; res: Response }>;
  csrf(): Promise<string>;
}

export const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
};

/** Posts the sign-in form as a browser on the console's origin would. */
export const postSignIn = (t: TestApp, secretKey: string) =>
  Promise.resolve(t.app.request('/console/sign-in', { method: 'POST', headers: { Origin: ORIGIN }, body: form({ secretKey }) }));

export async function signedIn(t: TestApp): Promise<ConsoleAgent> {
  const res = await postSignIn(t, t.secretKey);
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const read = async (r: Response | Promise<Response>) => {
    const res = await r;
    return { status: res.status, html: await res.text(), res };
  };
  const agent: ConsoleAgent = {
    cookie,
    setCookie,
    get: (path) => read(t.app.request(path, { headers: { Cookie: cookie } })),
    async csrf() {
      const token = csrfIn((await agent.get('/console')).html);
      if (!token) throw new Error('no CSRF token on the overview');
      return token;
    },
    async post(path, fields, opts = {}) {
      const all = opts.csrf === false ? fields : { ...fields, _csrf: await agent.csrf() };
      return read(t.app.request(path, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN }, body: form(all) }));
    },
  };
  return agent;
}
