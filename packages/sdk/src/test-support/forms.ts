// Form fakes for the forms plugin's tests: just the properties and attributes it reads (no jsdom here).
import type { FieldLike, FormLike } from '../plugins/forms/fields.js';

/** A form control as the DOM exposes it: `type` as the browser normalises it, attributes by name. */
export function field(attrs: Record<string, string>, value = '', extra: { tag?: string; checked?: boolean } = {}): FieldLike {
  const tag = (extra.tag ?? 'input').toUpperCase();
  const type = tag === 'SELECT' ? 'select-one' : tag === 'TEXTAREA' ? 'textarea' : (attrs.type ?? 'text').toLowerCase();
  return {
    tagName: tag,
    type,
    name: attrs.name ?? '',
    id: attrs.id ?? '',
    value,
    checked: extra.checked,
    getAttribute: (n) => attrs[n] ?? null,
  };
}

/** A `<form>` with these controls and attributes. */
export function form(fields: FieldLike[], attrs: Record<string, string> = {}): FormLike & { tagName: string } {
  return { tagName: 'FORM', elements: fields, id: attrs.id ?? '', getAttribute: (n) => attrs[n] ?? null };
}
