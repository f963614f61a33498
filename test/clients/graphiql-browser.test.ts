// GraphiQL is where people first meet the graph, and no test had ever opened it: here a real headless
// Chromium (Debian's, driven by playwright-core) loads the page with every non-loopback request blocked,
// runs a preloaded tab and reads the result pane.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/server/graphiql.js';
import { startStack, type Stack } from '../support/stack.js';

/** Debian's chromium, installed by `.ci/ensure-chromium` (run by `npm test` and `.ci/run`). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run .ci/ensure-chromium or set CHROMIUM_PATH`);
  stack = await startStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('GraphiQL in a browser', () => {
  it('works offline and runs the preloaded ById tab against demo data', async () => {
    const page = await browser.newPage();
    const offsite: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
      offsite.push(url.href);
      return route.abort();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(stack.url, { waitUntil: 'load' });
    // A DOM click: the tabs are a drag-to-reorder list, where a pointer click can start a drag instead.
    await page.locator('.graphiql-tab-button', { hasText: 'ById' }).dispatchEvent('click');
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 20_000 }).toContain('ById');
    stack.resetRequests();
    await page.locator('.graphiql-execute-button').click();

    const result = page.locator('.graphiql-response');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"nodes"');
    // The pane wraps long lines: compare without any whitespace.
    const text = (await result.innerText()).replace(/\s+/g, '');
    // The three demo ids resolve to their entries: the result pane shows each id and no error.
    for (const id of Object.values(DEMO_IDS)) expect(text).toContain(id);
    expect(text).not.toContain('"errors"');
    expect(text).toContain('"sourceId":"195"');
    // One batched lookup per backend of the demo ids, as `nodes` promises.
    expect(Object.keys(DEMO_IDS).map((field) => stack.sims[field].requests.length).every((n) => n >= 1)).toBe(true);
    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
