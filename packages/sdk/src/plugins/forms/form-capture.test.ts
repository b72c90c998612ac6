import type { IdentifyMessage, Message, TrackMessage } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { type fakeFetch, testDeps } from '../../test-support/fakes.js';
import { field, form } from '../../test-support/forms.js';
import type { PluginApi } from '../../types.js';
import { formCapture, formIdOf } from './form-capture.js';

/** A plugin API recording identify/track calls, and a document whose submit listener the test fires. */
function setup(options: { auto?: boolean; identify?: () => void } = {}) {
  const calls: unknown[][] = [];
  const logs: unknown[] = [];
  const listeners: { fn: (e: { target: unknown }) => void; capture: boolean }[] = [];
  const root = {
    addEventListener: (_type: 'submit', fn: (e: { target: unknown }) => void, capture: boolean) => void listeners.push({ fn, capture }),
  };
  const api = {
    identify: options.identify ?? ((...a: unknown[]) => void calls.push(['identify', ...a])),
    track: (...a: unknown[]) => void calls.push(['track', ...a]),
    log: (e: unknown) => void logs.push(e),
  } as unknown as PluginApi;
  formCapture({ auto: options.auto, root })(api);
  const submit = (target: unknown) => listeners.forEach((l) => l.fn({ target }));
  return { calls, logs, listeners, submit };
}

const signup = (attrs: Record<string, string> = { 'data-threadline-form': 'signup' }) =>
  form([field({ type: 'email', name: 'email' }, 'ana@example.com'), field({ type: 'password', name: 'password' }, 'hunter2')], attrs);

describe('formCapture', () => {
  it('listens once, on the capture phase, so it reads the form before the site’s own handler', () => {
    expect(setup().listeners.map((l) => l.capture)).toEqual([true]);
  });

  it('identifies a marked form with traits only and tracks Form Submitted with its name', () => {
    const { calls, submit } = setup();
    submit(signup());
    expect(calls).toEqual([
      ['identify', { email: 'ana@example.com' }],
      ['track', 'Form Submitted', { formId: 'signup' }],
    ]);
  });

  it('ignores an unmarked form without auto, and captures it with auto', () => {
    const off = setup();
    off.submit(signup({ id: 'newsletter' }));
    expect(off.calls).toEqual([]);
    const on = setup({ auto: true });
    on.submit(signup({ id: 'newsletter' }));
    expect(on.calls).toEqual([
      ['identify', { email: 'ana@example.com' }],
      ['track', 'Form Submitted', { formId: 'newsletter' }],
    ]);
  });

  it('with auto, still ignores forms without an email or tel field and forms marked data-threadline-ignore', () => {
    const { calls, submit } = setup({ auto: true });
    submit(form([field({ type: 'search', name: 'q' }, 'shoes')]));
    submit(signup({ 'data-threadline-ignore': '' }));
    expect(calls).toEqual([]);
  });

  it('tracks a marked form with no usable address without identifying', () => {
    const { calls, submit } = setup();
    submit(form([field({ type: 'email', name: 'email' }, '')], { 'data-threadline-form': '', name: 'contact' }));
    expect(calls).toEqual([['track', 'Form Submitted', { formId: 'contact' }]]);
  });

  it('ignores submits whose target is not a form, and never throws into the page', () => {
    const { calls, logs, submit } = setup({
      identify: () => {
        throw new Error('boom');
      },
    });
    submit(null);
    submit({ tagName: 'DIV', getAttribute: () => '' });
    expect(calls).toEqual([]);
    expect(() => submit(signup())).not.toThrow();
    expect(logs).toEqual([new Error('boom')]);
  });
});

describe('formCapture in a client', () => {
  it('sends the identify with the email as a trait, no userId, then Form Submitted, and no password anywhere', async () => {
    const deps = testDeps();
    let onSubmit: (e: { target: unknown }) => void = () => {};
    const root = { addEventListener: (_t: 'submit', fn: typeof onSubmit) => void (onSubmit = fn) };
    const client = createClient({ writeKey: 'wk_123', host: 'https://collect.example.com', plugins: [formCapture({ root })] }, deps);
    onSubmit({ target: signup() });
    await client.flush();
    const sent = (deps.fetch as ReturnType<typeof fakeFetch>).sent() as Message[];
    const [identify, track] = sent as [IdentifyMessage, TrackMessage];
    expect(identify).toMatchObject({ type: 'identify', traits: { email: 'ana@example.com' } });
    expect(identify.userId).toBeUndefined();
    expect(track).toMatchObject({
      type: 'track',
      event: 'Form Submitted',
      properties: { formId: 'signup' },
      anonymousId: identify.anonymousId,
    });
    expect(JSON.stringify(deps.fetch.calls.map((c) => c.body))).not.toContain('hunter2');
  });
});

describe('formIdOf', () => {
  it('names a form by its mark, else its id, else its name attribute, else null', () => {
    expect(formIdOf(form([], { 'data-threadline-form': 'checkout', id: 'f1' }))).toBe('checkout');
    expect(formIdOf(form([], { 'data-threadline-form': '', id: 'f1' }))).toBe('f1');
    expect(formIdOf(form([], { name: 'contact' }))).toBe('contact');
    expect(formIdOf(form([]))).toBeNull();
  });
});
