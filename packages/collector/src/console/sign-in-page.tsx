import { Layout } from './layout.js';
import { Notice } from './notice.js';

/** Sign-in with the workspace's secret key; the key is posted once and never rendered back. */
export function SignInPage(props: { next?: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <Notice error={props.error} />
      <form method="post" action="/console/sign-in" class="card narrow">
        <input type="hidden" name="next" value={props.next ?? '/console'} />
        <label for="secretKey">Secret key</label>
        <input id="secretKey" name="secretKey" type="password" autocomplete="current-password" required />
        <p class="hint">The secret key printed when the collector first started (THREADLINE_SECRET_KEY).</p>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </Layout>
  );
}
