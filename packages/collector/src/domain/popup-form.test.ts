import { PopupRuleInputSchema, type PopupRule } from '@threadline/protocol';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { formFromPopup, popupFromForm } from './popup-form.js';

const full = {
  name: 'Cart saver',
  enabled: 'on',
  priority: '5',
  audience: 'anonymous',
  include: 'contains /cart\nglob /products/*',
  exclude: 'startsWith /checkout',
  triggerType: 'timeOnPage',
  triggerSeconds: '10',
  maxImpressions: '3',
  maxPerSession: '1',
  minIntervalSeconds: '60',
  stopAfterDismiss: 'on',
  stopAfterConversion: 'on',
  title: 'Save your cart',
  body: 'We will email it to you.',
  ctaLabel: 'Shop on',
  ctaUrl: '/demo/',
  formField: 'email',
  formLabel: 'Your email',
  formPlaceholder: 'you@example.com',
  formSubmitLabel: 'Send',
  formConsentText: 'We will only email about your cart.',
  formSuccessText: 'Sent!',
};

describe('popupFromForm', () => {
  it('maps every form field to the rule the admin API validates', () => {
    const rule = popupFromForm(full);
    const parsed = v.parse(PopupRuleInputSchema, rule);
    expect(parsed).toMatchObject({
      priority: 5,
      pages: {
        include: [
          { match: 'contains', value: '/cart' },
          { match: 'glob', value: '/products/*' },
        ],
        exclude: [{ match: 'startsWith', value: '/checkout' }],
      },
      trigger: { type: 'timeOnPage', seconds: 10 },
      frequency: { maxImpressions: 3, maxPerSession: 1, minIntervalSeconds: 60, stopAfterDismiss: true, stopAfterConversion: true },
      content: { title: 'Save your cart', cta: { label: 'Shop on', url: '/demo/' } },
      form: { field: 'email', label: 'Your email', successText: 'Sent!' },
    });
  });

  it('round-trips through formFromPopup, so editing a rule keeps every field', () => {
    const stored = { ...v.parse(PopupRuleInputSchema, popupFromForm(full)), id: 'x', createdAt: '', updatedAt: '' } as PopupRule;
    expect(formFromPopup(stored)).toEqual({ ...full, triggerEvent: '', triggerPercent: '' });
  });

  it('leaves out the capture form and the call to action when their fields are empty, and an unchecked box disables', () => {
    const rule = popupFromForm({ name: 'Hi', triggerType: 'exitIntent', title: 'Wait' });
    expect(rule).toMatchObject({ enabled: false, audience: 'anonymous', trigger: { type: 'exitIntent' }, content: { title: 'Wait' } });
    expect(rule).not.toHaveProperty('form');
    expect(rule.content).not.toHaveProperty('cta');
  });
});
