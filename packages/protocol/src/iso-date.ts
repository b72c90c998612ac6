// Date.parse alone accepts "1" or "March 7" (V8 reads them as 2001 dates), so
// the shape is checked first: a date, optionally a time and a zone offset.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** True for an ISO 8601 date or date-time that names a real moment. */
export const isIsoDate = (s: string) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s));
