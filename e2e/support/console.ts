import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { COLLECTOR, SECRET_KEY } from './env.js';

/** The console's address for a path. */
export const consoleUrl = (path = '') => `${COLLECTOR}/console${path}`;

/** Signs in through the form, by keyboard only (the key typed, Enter to submit). */
export async function signIn(page: Page): Promise<void> {
  await page.goto(consoleUrl());
  await expect(page).toHaveURL(/\/console\/sign-in/);
  await page.getByLabel('Secret key').focus();
  await page.keyboard.type(SECRET_KEY);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

/** No serious or critical axe violation on the page as it is now (WCAG 2.1 A and AA rules). */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${page.url()}`,
  ).toEqual([]);
}

/** The number a live overview card shows. */
export const liveCount = async (page: Page, key: string) => Number(await page.locator(`[data-live="${key}"]`).first().textContent());
