import type { PopupRule } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { fetchRules, type GetJson } from './fetch-rules.js';

const rule = { id: 'p1', name: 'Welcome', trigger: { type: 'pageView' }, content: { title: 'Hi' } } as PopupRule;
const answering = (status: number, body: unknown) => {
  const calls: [string, RequestInit][] = [];
  const get: GetJson = async (url, init) => (calls.push([url, init]), { ok: status < 300, json: async () => body });
  return Object.assign(get, { calls });
};

describe('fetchRules', () => {
  it('asks GET {host}/v1/popups with the write key and the anonymous ID, without credentials', async () => {
    const get = answering(200, { popups: [rule] });
    expect(await fetchRules('https://collect.example.com', 'wk_1', 'aid-1', get)).toEqual([rule]);
    const [url, init] = get.calls[0]!;
    expect(url).toBe('https://collect.example.com/v1/popups?writeKey=wk_1&anonymousId=aid-1');
    expect(init).toEqual({ credentials: 'omit' }); // no method, no headers: a CORS-simple GET
  });

  it('answers no rules on an error status, a wrong body or a network failure', async () => {
    expect(await fetchRules('h', 'k', 'a', answering(500, { popups: [rule] }))).toEqual([]);
    expect(await fetchRules('h', 'k', 'a', answering(200, { popups: 'nope' }))).toEqual([]);
    expect(await fetchRules('h', 'k', 'a', answering(200, null))).toEqual([]);
    expect(await fetchRules('h', 'k', 'a', async () => Promise.reject(new TypeError('Failed to fetch')))).toEqual([]);
  });

  it('drops entries that are not rules', async () => {
    expect(await fetchRules('h', 'k', 'a', answering(200, { popups: [null, { id: 7 }, { id: 'x' }, rule] }))).toEqual([rule]);
  });
});
