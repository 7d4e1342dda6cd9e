// Firefox ESR (Debian's `firefox-esr`) through puppeteer-core over WebDriver BiDi
// (`browser: 'firefox'`). puppeteer-core downloads no browser; it starts the one given.
// One browser, a fresh BiDi user context (profile) per page.

import puppeteer from 'puppeteer-core';

import { setFieldInPage, watchPage } from './index.mjs';

export async function launch({ proxy = null } = {}) {
  // Nothing of Firefox's own on the network (puppeteer's defaults turn most of it off already).
  // Remote settings: its server pointed at nothing, as Mozilla's own test profiles do; a
  // release build honours that only with MOZ_REMOTE_SETTINGS_DEVTOOLS set (below).
  const prefs = {
    'services.settings.server': 'data:,#remote-settings-dummy/v1',
    'app.normandy.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'extensions.update.enabled': false,
  };
  if (proxy) {
    const [host, port] = proxy.split(':');
    Object.assign(prefs, {
      'network.proxy.type': 1,
      'network.proxy.http': host,
      'network.proxy.http_port': Number(port),
      'network.proxy.ssl': host,
      'network.proxy.ssl_port': Number(port),
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
    });
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: prefs,
    protocolTimeout: 180_000,
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
  });
  const version = await browser.version(); // e.g. "firefox/140.1.0"
  return {
    name: 'firefox',
    ownTraffic: [], // none reaches the network with the preferences above
    version: version.replace(/^firefox\//i, ''),
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultTimeout(120_000);
      page.setDefaultNavigationTimeout(120_000);
      const { errors, requests } = watchPage(page);
      return {
        browserName: 'firefox',
        errors: async () => errors.slice(),
        requests,
        goto: (url) => page.goto(url, { waitUntil: 'load' }).then(() => {}),
        reload: () => page.reload({ waitUntil: 'load' }).then(() => {}),
        evaluate: (fn, arg = null) => page.evaluate(fn, arg),
        click: (selector) => page.click(selector),
        fill: (selector, value) => page.evaluate(setFieldInPage, { selector, value }).then(() => {}),
        async type(selector, text) {
          await page.evaluate(setFieldInPage, { selector, value: '' });
          await page.type(selector, text, { delay: 20 });
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
