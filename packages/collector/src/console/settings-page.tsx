import type { Settings } from '../domain/settings.js';
import { CsrfField } from './csrf-field.js';
import { Field } from './form-field.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';

/** Workspace settings (the admin API's PATCH /api/settings), and the write key and snippet to paste into a site. */
export function SettingsPage(props: {
  csrfToken: string;
  settings: Settings;
  profiles: number;
  writeKey: string;
  snippet: string;
  error?: string;
  ok?: string;
}) {
  const s = props.settings;
  const locked = props.profiles > 0;
  const f = {
    primaryKey: s.primaryKey,
    defaultCountry: s.defaultCountry,
    blockList: s.blockList.join('\n'),
    traitConflictPolicy: s.traitConflictPolicy,
    hardBounceThreshold: String(s.hardBounceThreshold),
    verifiedLinksOnly: s.verifiedLinksOnly ? 'on' : '',
  };
  return (
    <Layout title="Settings" active="settings" csrfToken={props.csrfToken}>
      <Notice error={props.error} ok={props.ok} />
      <form method="post" action="/console/settings" class="card builder">
        <CsrfField token={props.csrfToken} />
        <span class="field">
          <label for="primaryKey">Primary key</label>
          <select id="primaryKey" name="primaryKey" disabled={locked} aria-describedby="primaryKey-hint">
            {['email', 'phone', 'userId'].map((k) => (
              <option value={k} selected={s.primaryKey === k}>
                {k}
              </option>
            ))}
          </select>
          <small id="primaryKey-hint" class="hint">
            {locked
              ? `Locked: the workspace has ${props.profiles} profiles, and changing who is who would re-judge every merge already made.`
              : 'Decides who is the same person. It locks once the first profile exists.'}
          </small>
        </span>
        <Field f={f} name="defaultCountry" label="Default country" hint="ISO code (US, IN, GB…) for national phone numbers." />
        <Field
          f={f}
          name="blockList"
          label="Block list"
          type="textarea"
          hint="One value per line: shared or fake emails and phones never link profiles."
        />
        <Field f={f} name="traitConflictPolicy" label="Trait conflict on merge" options={['survivor', 'newest']} />
        <Field f={f} name="hardBounceThreshold" label="Hard bounces before an email is suppressed" type="number" />
        <Field
          f={f}
          name="verifiedLinksOnly"
          label="Verified links only (unverified claims never link an anonymous ID to an identified profile)"
          type="checkbox"
        />
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
      <section aria-labelledby="install" class="card">
        <h2 id="install">Install on your site</h2>
        <p>
          Write key (public): <code id="write-key">{props.writeKey}</code>{' '}
          <button type="button" data-copy="write-key" hidden>
            Copy write key
          </button>
        </p>
        <label for="snippet">Snippet for the page's head</label>
        <textarea id="snippet" readonly rows={6}>
          {props.snippet}
        </textarea>
        <button type="button" data-copy="snippet" hidden>
          Copy snippet
        </button>
        <p class="hint">The secret key is for your servers and this console only; it is never shown here.</p>
      </section>
    </Layout>
  );
}
