import type { CDPSession, Page } from '@playwright/test';
import type { PopupRule, PopupRuleInput, UrlMatch } from '@threadline/protocol';
import { COLLECTOR, SECRET_KEY } from './env.js';

/** Creates a rule through the real admin API (`POST /api/popups`), as a marketer's tool would. */
export async function createPopup(input: Partial<PopupRuleInput> & Pick<PopupRuleInput, 'name'>): Promise<PopupRule> {
  const body: PopupRuleInput = { audience: 'everyone', trigger: { type: 'pageView' }, content: { title: input.name }, ...input };
  const res = await fetch(`${COLLECTOR}/api/popups`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/popups answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as PopupRule;
}

/** A tag no other spec's URL contains, so rules created for one test match only its pages. */
export const uniqueCase = () => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Page rules for the fixture pages of one test: `?case=<tag>` in the URL. */
export const onCase = (tag: string, exclude: UrlMatch[] = []) => ({
  include: [{ match: 'contains' as const, value: `case=${tag}` }],
  exclude,
});

/** The popup as assistive technology sees it: Chromium's accessibility tree, which includes closed shadow roots. */
export interface AxPopup {
  name: string;
  description: string;
  modal: boolean;
  /** Role and name of the focused node, when it is inside the dialog. */
  focused?: { role: string; name: string };
}

interface AxNode {
  nodeId: string;
  parentId?: string;
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  description?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
}

const cdpSessions = new WeakMap<Page, Promise<CDPSession>>();
const cdp = (page: Page) => {
  if (!cdpSessions.has(page)) cdpSessions.set(page, page.context().newCDPSession(page));
  return cdpSessions.get(page)!;
};

/**
 * The open dialog in the accessibility tree, or undefined when none is shown.
 * Playwright's locators cannot enter a closed shadow root (by design: neither
 * can the page), so specs read what a screen reader reads, through CDP.
 */
export async function axPopup(page: Page): Promise<AxPopup | undefined> {
  const session = await cdp(page);
  const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const prop = (n: AxNode, name: string) => n.properties?.find((p) => p.name === name)?.value.value;
  const dialog = nodes.find((n) => !n.ignored && n.role?.value === 'dialog');
  if (!dialog) return undefined;
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const inside = (n: AxNode | undefined): boolean => !!n && (n === dialog || inside(byId.get(n.parentId ?? '')));
  const focused = nodes.find((n) => prop(n, 'focused') === true && inside(n));
  return {
    name: dialog.name?.value ?? '',
    description: dialog.description?.value ?? '',
    modal: prop(dialog, 'modal') === true,
    focused: focused && { role: focused.role?.value ?? '', name: focused.name?.value ?? '' },
  };
}

/**
 * Runs `fn` with the popup's closed shadow root as `this` (through CDP, which
 * sees closed roots) and answers its JSON result; undefined when no popup is
 * in the page. For what the accessibility tree does not say: computed styles,
 * the elements a title became.
 */
export async function inPopup<T>(page: Page, fn: (this: ShadowRoot) => T): Promise<T | undefined> {
  const session = await cdp(page);
  type DomNode = { nodeId: number; nodeName: string; children?: DomNode[]; shadowRoots?: DomNode[] };
  const { root } = (await session.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const find = (n: DomNode): DomNode | undefined => (n.nodeName === 'THREADLINE-POPUP' ? n : n.children?.map(find).find(Boolean));
  const shadow = find(root)?.shadowRoots?.[0];
  if (!shadow) return undefined;
  const { object } = await session.send('DOM.resolveNode', { nodeId: shadow.nodeId });
  const { result } = await session.send('Runtime.callFunctionOn', {
    objectId: object.objectId!,
    functionDeclaration: fn.toString(),
    returnByValue: true,
  });
  return result.value as T;
}

/** Whether a popup host element is in the page (whatever the page's CSS does to it). */
export const popupInPage = (page: Page) => page.evaluate(() => !!document.querySelector('threadline-popup'));

/** Resolves once the page has its answer from `GET /v1/popups`. */
export const rulesFetched = (page: Page) => page.waitForResponse((r) => r.url().includes('/v1/popups?'));
