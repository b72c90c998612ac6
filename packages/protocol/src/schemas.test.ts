import { describe, expect, it } from 'vitest';
import { parseMessage } from './schemas.js';

describe('parseMessage for screen and group calls', () => {
  it('reads a screen like a page: name, category and properties', () => {
    expect(parseMessage({ type: 'screen', anonymousId: 'v1', name: 'Home', category: 'Shop', properties: { tab: 'feed' } })).toEqual({
      ok: true,
      message: { type: 'screen', anonymousId: 'v1', name: 'Home', category: 'Shop', properties: { tab: 'feed' } },
    });
  });

  it('reads a group with its groupId, a numeric one as text, and its traits', () => {
    expect(parseMessage({ type: 'group', userId: 'u1', groupId: 42, traits: { name: 'Acme' } })).toEqual({
      ok: true,
      message: { type: 'group', userId: 'u1', groupId: '42', traits: { name: 'Acme' } },
    });
  });

  it('names the field at fault: a missing or empty groupId, traits that are not an object, a screen name not a string', () => {
    expect(parseMessage({ type: 'group', anonymousId: 'v1' })).toMatchObject({ ok: false, field: 'groupId' });
    expect(parseMessage({ type: 'group', anonymousId: 'v1', groupId: '  ' })).toMatchObject({ ok: false, field: 'groupId' });
    expect(parseMessage({ type: 'group', anonymousId: 'v1', groupId: 'g', traits: 'x' })).toMatchObject({ ok: false, field: 'traits' });
    expect(parseMessage({ type: 'screen', anonymousId: 'v1', name: 7 })).toMatchObject({ ok: false, field: 'name' });
  });

  it('still refuses a type Segment does not have', () => {
    expect(parseMessage({ type: 'purchase', anonymousId: 'v1' })).toMatchObject({ ok: false, field: 'type' });
  });
});
