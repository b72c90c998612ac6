import { describe, expect, it } from 'vitest';
import { definitionFromForm, scalarOf } from './segment-form.js';
import { parseDefinition } from './segments/parse.js';

describe('definitionFromForm', () => {
  it('builds "added to cart within 1 day and did not order" as a definition the segment parser accepts', () => {
    const def = definitionFromForm({
      combine: 'all',
      ev0Mode: 'did',
      ev0Name: 'Product Added',
      ev0Prop: 'price',
      ev0PropOp: 'gte',
      ev0PropValue: '20',
      ev0AtLeast: '2',
      ev0Within: '1',
      ev0Unit: 'days',
      ev1Mode: 'didNot',
      ev1Name: 'Order Completed',
    });
    expect(def).toEqual({
      all: [
        { event: 'Product Added', where: [{ property: 'price', op: 'gte', value: 20 }], atLeast: 2, within: { days: 1 } },
        { not: { event: 'Order Completed' } },
      ],
    });
    expect(() => parseDefinition(def)).not.toThrow();
  });

  it('joins profile conditions with any and negates the whole when asked', () => {
    const def = definitionFromForm({
      combine: 'any',
      negate: 'on',
      status: ['identified', 'addressable'],
      has: 'phone',
      suppressed: 'sms',
    });
    expect(def).toEqual({ not: { any: [{ status: ['identified', 'addressable'] }, { has: 'phone' }, { suppressed: 'sms', is: true }] } });
  });

  it('takes the JSON field as the whole definition, and names the field when it is not JSON', () => {
    expect(definitionFromForm({ json: '{"has":"email"}', has: 'phone' })).toEqual({ has: 'email' });
    expect(() => definitionFromForm({ json: '{nope' })).toThrow(/json: is not valid JSON/);
  });

  it('refuses an empty form instead of selecting everyone', () => {
    expect(() => definitionFromForm({ combine: 'all' })).toThrow(/add at least one condition/);
  });

  it('reads numbers and booleans from text boxes and keeps other text', () => {
    expect([scalarOf('42'), scalarOf('-1.5'), scalarOf('true'), scalarOf('gold')]).toEqual([42, -1.5, true, 'gold']);
  });
});
