import { runInNewContext } from 'node:vm';
import type { TrackMessage } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { installGlobal, type ThreadlineGlobal } from './global.js';
import { snippet } from './snippet.js';
import { testDeps } from './test-support/fakes.js';
import type { ClientDeps, ClientOptions } from './types.js';

/** A page with just enough DOM for the snippet; `scripts` are the tags it added. */
function page() {
  const scripts: { src?: string; async?: boolean; onerror?: () => void }[] = [];
  const document = {
    createElement: () => ({}),
    head: { appendChild: (s: (typeof scripts)[number]) => void scripts.push(s) },
  };
  const window: { threadline?: ThreadlineGlobal } = {};
  const run = (code: string, now = Date.now) => runInNewContext(code, { window, document, Date: { now }, Promise });
  return { window, scripts, run };
}

const OPTIONS = { host: 'https://collect.example.com/', writeKey: 'wk_123' };

describe('snippet', () => {
  it('defines the stub, calls init and loads {host}/threadline.js once, async', () => {
    const p = page();
    p.run(snippet(OPTIONS));
    expect(p.scripts).toEqual([{ async: true, src: 'https://collect.example.com/threadline.js', onerror: expect.any(Function) }]);
    expect(p.window.threadline!.q!.map((c) => [c[0], Array.from(c[1])])).toEqual([
      ['init', [{ host: 'https://collect.example.com', writeKey: 'wk_123' }]],
    ]);
  });

  it('records each call with the time it was made', () => {
    const p = page();
    let now = 1000;
    p.run(snippet(OPTIONS), () => now);
    now = 2500;
    void p.window.threadline!.track('Product Viewed', { sku: 'A1' });
    const call = p.window.threadline!.q![1]!;
    expect([call[0], Array.from(call[1]), call[2]]).toEqual(['track', ['Product Viewed', { sku: 'A1' }], 2500]);
  });

  it('does nothing harmful when pasted twice: one stub, one init, one script tag, calls kept', () => {
    const p = page();
    p.run(snippet(OPTIONS));
    void p.window.threadline!.track('Before second paste');
    const stub = p.window.threadline;
    p.run(snippet({ ...OPTIONS, writeKey: 'wk_other' }));
    expect(p.window.threadline).toBe(stub);
    expect(p.scripts).toHaveLength(1);
    expect(p.window.threadline!.q!.map((c) => c[0])).toEqual(['init', 'track']);
  });

  it('does nothing when the SDK is already loaded', () => {
    const p = page();
    installGlobal(p.window as never, () => ({}) as never);
    p.run(snippet(OPTIONS));
    expect(p.scripts).toHaveLength(0);
  });

  it('settles waiting promises when the script cannot load (blocked collector)', async () => {
    const p = page();
    p.run(snippet(OPTIONS));
    const ready = p.window.threadline!.ready();
    p.scripts[0]!.onerror!();
    await expect(ready).resolves.toBeUndefined();
    await expect(p.window.threadline!.flush()).resolves.toBeUndefined();
  });

  it('escapes values so no option can close the script element', () => {
    const body = snippet({ ...OPTIONS, writeKey: '</script><script>alert(1)</script>' });
    expect(body).not.toContain('</script>');
    const p = page();
    p.run(body);
    expect((p.window.threadline!.q![0]![1][0] as ClientOptions).writeKey).toBe('</script><script>alert(1)</script>');
  });

  it('uses neither eval nor new Function', () => {
    expect(snippet(OPTIONS)).not.toMatch(/\beval\b|Function\(/);
  });
});

describe('installGlobal (the script-tag SDK taking over the stub)', () => {
  /** createClient with test fakes, recording what init passed. */
  function factory() {
    const deps = testDeps();
    const inits: ClientOptions[] = [];
    const create = (options: ClientOptions, d: ClientDeps) => (inits.push(options), createClient(options, { ...deps, now: d.now }));
    return { deps, inits, create };
  }

  it("replays the stub's calls in order with their original timestamps", async () => {
    const p = page();
    p.run(snippet(OPTIONS), () => Date.parse('2025-03-01T09:00:00.000Z'));
    const stub = p.window.threadline!;
    void stub.page();
    void stub.track('Product Added', { sku: 'A1' });
    const f = factory();
    const g = installGlobal(p.window, f.create);
    expect(g).toBe(stub); // taken over in place: references the page kept still work
    expect(g.q).toBeUndefined();
    expect(f.inits).toEqual([{ host: 'https://collect.example.com', writeKey: 'wk_123' }]);
    await g.flush();
    const sent = f.deps.fetch.sent();
    expect(sent.map((m) => [m.type, m.timestamp])).toEqual([
      ['page', '2025-03-01T09:00:00.000Z'],
      ['track', '2025-03-01T09:00:00.000Z'],
    ]);
    expect((sent[1] as TrackMessage).event).toBe('Product Added');
  });

  it("resolves the stub's promises with the real results", async () => {
    const p = page();
    p.run(snippet(OPTIONS));
    const ready = p.window.threadline!.ready();
    const id = p.window.threadline!.anonymousId();
    installGlobal(p.window, factory().create);
    await expect(ready).resolves.toBeUndefined();
    expect(await id).toBe(p.window.threadline!.anonymousId());
  });

  it('uses the current time for calls after init', async () => {
    const p = page();
    p.run(snippet(OPTIONS), () => 0);
    const f = factory();
    const g = installGlobal(p.window, f.create);
    g.track('Live');
    await g.flush();
    expect(Math.abs(Date.parse(f.deps.fetch.sent()[0]!.timestamp!) - Date.now())).toBeLessThan(5000);
  });

  it('keeps calls made before init when loaded by <script src> without the snippet', async () => {
    const win: { threadline?: ThreadlineGlobal } = {};
    const f = factory();
    const g = installGlobal(win, f.create);
    void g.track('Early');
    g.init(OPTIONS);
    await g.flush();
    expect(f.deps.fetch.sent().map((m) => (m as TrackMessage).event)).toEqual(['Early']);
  });

  it('ignores a second init and a second copy of the SDK', () => {
    const win: { threadline?: ThreadlineGlobal } = {};
    const f = factory();
    const g = installGlobal(win, f.create);
    g.init(OPTIONS);
    g.init({ ...OPTIONS, writeKey: 'other' });
    const again = installGlobal(win, f.create);
    expect(again).toBe(g);
    expect(f.inits).toHaveLength(1);
  });

  it('records consent() calls like the others and replays them in order: pending, then granted, sends the calls kept between', async () => {
    const p = page();
    p.run(snippet({ ...OPTIONS, consent: 'pending' }));
    const stub = p.window.threadline!;
    void stub.track('Before Consent');
    void stub.consent('granted');
    void stub.track('After Consent');
    expect(stub.q!.map((c) => c[0])).toEqual(['init', 'track', 'consent', 'track']);
    const f = factory();
    const g = installGlobal(p.window, f.create);
    await g.flush();
    expect(f.deps.fetch.sent().map((m) => (m as TrackMessage).event)).toEqual(['Before Consent', 'After Consent']);
  });

  it('replays a recorded consent("denied"): nothing recorded before it is sent', async () => {
    const p = page();
    p.run(snippet({ ...OPTIONS, consent: 'pending' }));
    void p.window.threadline!.track('Dropped');
    void p.window.threadline!.consent('denied');
    const f = factory();
    const g = installGlobal(p.window, f.create);
    expect(await g.flush()).toBe(false);
    expect(f.deps.fetch.calls).toEqual([]);
  });

  it('settles a recorded call to a method it does not have and replays the rest', async () => {
    const p = page();
    p.run(snippet(OPTIONS));
    const stub = p.window.threadline!;
    let settled = false;
    stub.q!.push(['optOut', [], Date.now(), () => void (settled = true)]);
    void stub.track('After');
    const f = factory();
    const g = installGlobal(p.window, f.create);
    expect(settled).toBe(true);
    await g.flush();
    expect(f.deps.fetch.sent().map((m) => (m as TrackMessage).event)).toEqual(['After']);
  });
});
