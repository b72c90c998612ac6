// @threadline/sdk/forms: form capture and the form embed (SPEC §6), an opt-in entry the core never imports.
export { formCapture } from './form-capture.js';
export type { FormCaptureOptions, SubmitSource } from './form-capture.js';
export { mountForm } from './mount-form.js';
export type { EmbedApi, FormEmbedOptions } from './mount-form.js';
export { mountEmbeds } from './embeds.js';
export type { ContactKind } from '../../ui/contact.js';
