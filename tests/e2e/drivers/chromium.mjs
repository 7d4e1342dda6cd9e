// Chromium (Debian's `chromium`) through playwright-core, as the full suite drives it
// (tests/e2e/helpers.mjs): one browser, a fresh context (profile) per page.

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS as ARGS } from '../helpers.mjs';
import { setFieldInPage, watchPage } from './index.mjs';


export async function launch({ proxy = null } = {}) {
  const args = [...ARGS];
  if (proxy) {
    // `<-loopback>` takes loopback off Chromium's built-in bypass list: every request goes to the proxy.
    args.push(`--proxy-server=http://${proxy}`, '--proxy-bypass-list=<-loopback>');
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
  return {
    name: 'chromium',
    version: browser.version(),
    // Debian's Chromium asks Google for its clock, component updates and sign-in on its own,
    // whatever the flags say; these are the browser's, not the page's (the page's requests
    // are in page.requests), so the offline test tolerates them at its proxy.
    ownTraffic: [/^(.+\.)?google\.com$/, /^(.+\.)?googleapis\.com$/],
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      const { errors, requests } = watchPage(page);
      return {
        browserName: 'chromium',
        errors: async () => errors.slice(),
        requests,
        goto: (url) => page.goto(url).then(() => {}),
        reload: () => page.reload().then(() => {}),
        evaluate: (fn, arg = null) => page.evaluate(fn, arg),
        click: (selector) => page.click(selector),
        fill: (selector, value) => page.evaluate(setFieldInPage, { selector, value }).then(() => {}),
        async type(selector, text) {
          await page.evaluate(setFieldInPage, { selector, value: '' });
          await page.locator(selector).first().pressSequentially(text, { delay: 20 });
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
