import { describe, expect, it } from 'vitest';
import { audiencesFor } from './popup-audience.js';

describe('audiencesFor', () => {
  it('puts an unknown or anonymous visitor in the anonymous audience', () => {
    expect(audiencesFor(undefined)).toEqual(['anonymous', 'everyone']);
    expect(audiencesFor('anonymous')).toEqual(['anonymous', 'everyone']);
  });

  it('puts a visitor who left an address, or the primary key, in the identified audience', () => {
    expect(audiencesFor('addressable')).toEqual(['identified', 'everyone']);
    expect(audiencesFor('identified')).toEqual(['identified', 'everyone']);
  });
});
