import { CsrfField } from './csrf-field.js';
import { Field } from './form-field.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';

/** Create or edit a popup rule: every field of the rule, and a preview drawn by the SDK's own popup code (console.js). */
export function PopupFormPage(props: { csrfToken: string; id?: string; f: Record<string, string>; error?: string; ok?: string }) {
  const f = props.f;
  return (
    <Layout title={props.id ? `Popup: ${f.name}` : 'New popup'} active="popups" csrfToken={props.csrfToken}>
      <Notice error={props.error} ok={props.ok} />
      <form method="post" action={props.id ? `/console/popups/${props.id}` : '/console/popups'} class="card builder" data-popup-form>
        <CsrfField token={props.csrfToken} />
        <fieldset>
          <legend>Rule</legend>
          <Field f={f} name="name" label="Name" required />
          <Field f={f} name="enabled" label="Enabled" type="checkbox" />
          <Field f={f} name="priority" label="Priority" type="number" hint="Higher shows first when several fire." />
          <Field f={f} name="audience" label="Audience" options={['anonymous', 'identified', 'everyone']} />
          <Field
            f={f}
            name="include"
            label="Show on pages"
            type="textarea"
            hint="One per line: equals|contains|startsWith|glob|regex, a space, the value. Empty: every page."
          />
          <Field f={f} name="exclude" label="Never on pages" type="textarea" />
        </fieldset>
        <fieldset>
          <legend>Trigger</legend>
          <Field f={f} name="triggerType" label="When" options={['pageView', 'event', 'timeOnPage', 'scrollDepth', 'exitIntent']} />
          <Field f={f} name="triggerEvent" label="Event name (event)" />
          <Field f={f} name="triggerSeconds" label="Seconds on page (timeOnPage)" type="number" />
          <Field f={f} name="triggerPercent" label="Scroll percent (scrollDepth)" type="number" />
        </fieldset>
        <fieldset>
          <legend>Frequency</legend>
          <Field f={f} name="maxImpressions" label="Impressions per visitor" type="number" />
          <Field f={f} name="maxPerSession" label="Impressions per session" type="number" />
          <Field f={f} name="minIntervalSeconds" label="Minimum seconds between" type="number" />
          <Field f={f} name="stopAfterDismiss" label="Stop after a dismissal" type="checkbox" />
          <Field f={f} name="stopAfterConversion" label="Stop after a conversion" type="checkbox" />
        </fieldset>
        <fieldset>
          <legend>Content</legend>
          <Field f={f} name="title" label="Title" required />
          <Field f={f} name="body" label="Body" type="textarea" />
          <Field f={f} name="ctaLabel" label="Call to action label" />
          <Field f={f} name="ctaUrl" label="Call to action link" hint="http(s) URL or a path starting with /" />
        </fieldset>
        <fieldset>
          <legend>Capture form</legend>
          <Field f={f} name="formField" label="Ask for" options={['', 'email', 'phone']} />
          <Field f={f} name="formLabel" label="Field label" />
          <Field f={f} name="formPlaceholder" label="Placeholder" />
          <Field f={f} name="formSubmitLabel" label="Button label" />
          <Field f={f} name="formConsentText" label="Consent text" type="textarea" />
          <Field f={f} name="formSuccessText" label="Thank-you text" />
        </fieldset>
        <p class="preview-error" data-popup-preview-error role="alert" />
        <div class="actions">
          <button type="button" data-popup-preview hidden>
            Preview
          </button>
          <button type="submit" class="primary">
            Save popup
          </button>
        </div>
      </form>
    </Layout>
  );
}
