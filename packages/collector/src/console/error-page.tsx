import { Layout } from './layout.js';

/** What the console shows instead of the admin API's JSON error. */
export function ErrorPage(props: { title: string; message: string; csrfToken?: string }) {
  return (
    <Layout title={props.title} csrfToken={props.csrfToken}>
      <p role="alert">{props.message}</p>
      <p>
        <a href="/console">Back to the overview</a>
      </p>
    </Layout>
  );
}
