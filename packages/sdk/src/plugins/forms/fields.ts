import type { Traits } from '../../types.js';
import { contactValue, type ContactKind } from '../../ui/contact.js';

/** The parts of a form control read here; `HTMLInputElement`, `HTMLSelectElement` and `HTMLTextAreaElement` fit. */
export interface FieldLike {
  readonly tagName: string;
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly value: string;
  readonly checked?: boolean;
  getAttribute(name: string): string | null;
}

/** The parts of a form read here; `HTMLFormElement` fits (`elements` includes controls joined by `form=`). */
export interface FormLike {
  readonly elements: ArrayLike<unknown>;
  readonly id?: string;
  getAttribute(name: string): string | null;
}

// Never read, whatever the site marks: a show-password toggle turns type=password into
// text, so names and autocomplete tokens count too; hidden fields are the site's, not the visitor's.
const NEVER_TYPES = /^(password|hidden|file|submit|reset|button|image)$/;
const SENSITIVE = /pass|pwd|secret|cvc|cvv|ssn/i;
const TEXT_TYPES = /^(text|email|tel|search|)$/;
const TRAIT_NAME = /^[A-Za-z][\w.-]{0,63}$/;
const MAX_TRAIT = 256;

const attr = (f: FieldLike, name: string) => f.getAttribute(name) ?? '';
const tokens = (f: FieldLike) => attr(f, 'autocomplete').toLowerCase().split(/\s+/);

/** False for controls this plugin never reads: passwords, hidden fields, card and secret-looking fields, buttons. */
export function readable(f: FieldLike): boolean {
  const tag = String(f.tagName).toUpperCase();
  if (tag !== 'INPUT' && tag !== 'SELECT' && tag !== 'TEXTAREA') return false;
  const auto = tokens(f);
  return (
    !NEVER_TYPES.test(f.type) &&
    !SENSITIVE.test(`${f.name} ${f.id ?? ''}`) &&
    !auto.some((t) => t.includes('password') || t.startsWith('cc-'))
  );
}

/**
 * Which identifier a control holds: marked with `data-threadline-field`, else by
 * type (`email`, `tel`), autocomplete token, or name (email; phone, mobile).
 * @example contactKind(input) // 'email' for <input name="user_email">
 */
export function contactKind(f: FieldLike): ContactKind | undefined {
  if (!readable(f)) return undefined;
  const marked = attr(f, 'data-threadline-field');
  if (marked === 'email' || marked === 'phone') return marked;
  if (String(f.tagName).toUpperCase() !== 'INPUT' || !TEXT_TYPES.test(f.type)) return undefined;
  if (f.type === 'email') return 'email';
  if (f.type === 'tel') return 'phone';
  const auto = tokens(f);
  if (auto.includes('email')) return 'email';
  if (auto.includes('tel') || auto.includes('tel-national')) return 'phone';
  if (/e-?mail/i.test(f.name)) return 'email';
  if (/phone|mobile/i.test(f.name)) return 'phone';
  return undefined;
}

const controls = (form: FormLike) =>
  Array.from(form.elements as ArrayLike<FieldLike>).filter((f) => f && typeof f.getAttribute === 'function');

/** True when the form has a field for an email or a phone, filled or not: what `auto` capture watches. */
export function hasContactField(form: FormLike): boolean {
  return controls(form).some((f) => contactKind(f) !== undefined);
}

/** A marked trait's value: a checkbox's state, a checked radio's value, else the trimmed text (capped). */
function traitValue(f: FieldLike): unknown {
  if (f.type === 'checkbox') return !!f.checked;
  if (f.type === 'radio' && !f.checked) return undefined;
  return (
    String(f.value ?? '')
      .trim()
      .slice(0, MAX_TRAIT) || undefined
  );
}

/**
 * The traits a submitted form gives: the first valid email and phone (marked
 * fields first) and fields marked `data-threadline-trait="name"`. Nothing else.
 * @example readForm(form) // { email: 'ana@example.com', firstName: 'Ana' }
 */
export function readForm(form: FormLike): Traits {
  const traits: Traits = {};
  const fields = controls(form).filter(readable);
  for (const f of fields) {
    const name = attr(f, 'data-threadline-trait');
    // email and phone come only from the checks below, never unvalidated from a trait mark.
    if (!TRAIT_NAME.test(name) || name === 'email' || name === 'phone') continue;
    const value = traitValue(f);
    if (value !== undefined) traits[name] = value;
  }
  for (const kind of ['email', 'phone'] as const) {
    const found = fields.filter((f) => contactKind(f) === kind);
    const marked = found.filter((f) => attr(f, 'data-threadline-field') === kind);
    for (const f of [...marked, ...found]) {
      const value = contactValue(kind, f.value);
      if (value) {
        traits[kind] = value;
        break;
      }
    }
  }
  return traits;
}
