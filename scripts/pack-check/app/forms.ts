// Compiled strictly by scripts/pack-check.mjs against the packed @threadline/sdk/forms.
import { createClient } from '@threadline/sdk';
import { type FormCaptureOptions, formCapture, mountEmbeds } from '@threadline/sdk/forms';

const options: FormCaptureOptions = {};
const client = createClient({ writeKey: 'wk_pack_check', host: 'https://collect.example.com', plugins: [formCapture(options)] });

// @ts-expect-error mountEmbeds needs the embed API first
mountEmbeds(document.body);
// @ts-expect-error formCapture takes an options object, not a string
formCapture('auto');

export { client };
