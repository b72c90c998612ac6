import type { PopupRule } from '@threadline/protocol';
import type { FormFields } from './segment-form.js';

const one = (f: FormFields, name: string) => {
  const v = f[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
const num = (f: FormFields, name: string) => (one(f, name) === '' ? undefined : Number(one(f, name)));
const opt = (f: FormFields, name: string) => one(f, name) || undefined;
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Page rules as lines of "<match> <value>", e.g. "contains /cart" (match one of equals, contains, startsWith, glob, regex). */
const pageLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(' ');
      return at < 0 ? { match: 'contains', value: l } : { match: l.slice(0, at), value: l.slice(at + 1).trim() };
    });

function trigger(f: FormFields) {
  const type = one(f, 'triggerType') || 'pageView';
  if (type === 'event') return { type, event: one(f, 'triggerEvent') };
  if (type === 'timeOnPage') return { type, seconds: num(f, 'triggerSeconds') ?? 0 };
  if (type === 'scrollDepth') return { type, percent: num(f, 'triggerPercent') ?? 50 };
  return { type };
}

/**
 * The popup rule body (SPEC §6) a console form describes, for the same
 * createPopup / replacePopup as the admin API (which validate it).
 *
 * @example
 * popupFromForm({ name: 'Welcome', audience: 'anonymous', triggerType: 'pageView', title: 'Hi' })
 */
export function popupFromForm(f: FormFields): Record<string, unknown> {
  const field = one(f, 'formField');
  const ctaLabel = one(f, 'ctaLabel');
  return {
    name: one(f, 'name'),
    enabled: one(f, 'enabled') !== '',
    priority: num(f, 'priority') ?? 0,
    audience: audienceFromField(one(f, 'audience')),
    pages: { include: pageLines(one(f, 'include')), exclude: pageLines(one(f, 'exclude')) },
    trigger: trigger(f),
    frequency: defined({
      maxImpressions: num(f, 'maxImpressions'),
      maxPerSession: num(f, 'maxPerSession'),
      minIntervalSeconds: num(f, 'minIntervalSeconds'),
      stopAfterDismiss: one(f, 'stopAfterDismiss') ? true : undefined,
      stopAfterConversion: one(f, 'stopAfterConversion') ? true : undefined,
    }),
    content: defined({
      title: one(f, 'title'),
      body: opt(f, 'body'),
      cta: ctaLabel ? defined({ label: ctaLabel, url: opt(f, 'ctaUrl') }) : undefined,
    }),
    ...(field
      ? {
          form: defined({
            field,
            label: opt(f, 'formLabel'),
            placeholder: opt(f, 'formPlaceholder'),
            submitLabel: opt(f, 'formSubmitLabel'),
            consentText: opt(f, 'formConsentText'),
            successText: opt(f, 'formSuccessText'),
          }),
        }
      : {}),
  };
}

const lines = (list: Array<{ match: string; value: string }> | undefined) => (list ?? []).map((m) => `${m.match} ${m.value}`).join('\n');
const str = (v: unknown) => (v === undefined || v === null || v === false ? '' : v === true ? 'on' : String(v));

/** The audience field: a plain audience, or `segment:<id>` for a saved segment's members. */
const audienceFromField = (v: string | undefined) =>
  v?.startsWith('segment:') ? { segment: v.slice('segment:'.length) } : v || 'anonymous';

/** A stored rule as the form's fields, to edit it. */
export function formFromPopup(rule: PopupRule): Record<string, string> {
  const t = rule.trigger as Record<string, unknown>;
  return {
    name: rule.name,
    enabled: str(rule.enabled),
    priority: str(rule.priority),
    audience: typeof rule.audience === 'string' ? rule.audience : `segment:${rule.audience.segment}`,
    include: lines(rule.pages?.include),
    exclude: lines(rule.pages?.exclude),
    triggerType: rule.trigger.type,
    triggerEvent: str(t.event),
    triggerSeconds: str(t.seconds),
    triggerPercent: str(t.percent),
    maxImpressions: str(rule.frequency?.maxImpressions),
    maxPerSession: str(rule.frequency?.maxPerSession),
    minIntervalSeconds: str(rule.frequency?.minIntervalSeconds),
    stopAfterDismiss: str(rule.frequency?.stopAfterDismiss),
    stopAfterConversion: str(rule.frequency?.stopAfterConversion),
    title: rule.content.title,
    body: str(rule.content.body),
    ctaLabel: str(rule.content.cta?.label),
    ctaUrl: str(rule.content.cta?.url),
    formField: str(rule.form?.field),
    formLabel: str(rule.form?.label),
    formPlaceholder: str(rule.form?.placeholder),
    formSubmitLabel: str(rule.form?.submitLabel),
    formConsentText: str(rule.form?.consentText),
    formSuccessText: str(rule.form?.successText),
  };
}
