/**
 * Creates an element with attributes and text. Everything the popups and the
 * form embed show goes through here: text is `textContent`, never parsed as
 * HTML, so a title like `<img onerror=…>` is shown as those characters.
 * @example el(document, 'h2', { id: 't' }, rule.content.title)
 */
export function el<K extends string>(
  doc: Document,
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): K extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[K] : HTMLElement {
  const node = doc.createElement(tag) as K extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[K] : HTMLElement;
  for (const name in attrs) node.setAttribute(name, attrs[name]!);
  if (text !== undefined) node.textContent = text;
  return node;
}
