// The thin driver layer under the core browser tests (tests/e2e/core/): one small interface,
// implemented for Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi)
// and WebKitGTK (classic W3C WebDriver, WebKitWebDriver driving MiniBrowser). The browser is
// chosen by DELEVER_BROWSER (chromium | firefox | webkit); `cargo xtask e2e` sets it, and the
// paths of the browsers (CHROMIUM, FIREFOX, WEBKIT_WEBDRIVER, MINIBROWSER).
//
// The interface, as each driver module's `launch(options)` returns it:
//
//   browser.name, browser.version       'chromium' | 'firefox' | 'webkit', and its version
//   browser.ownTraffic                  host patterns the browser itself contacts unasked
//                                       (updates, sign-in), never the page: [] for most
//   await browser.newPage()             a page in a fresh profile (empty storage, no cache)
//   await browser.close()
//
//   await page.goto(url)                navigates and waits for the load event
//   await page.reload()                 reloads and waits for the load event
//   await page.evaluate(fn, arg)        runs `fn(arg)` in the page (awaiting a promise);
//                                       `arg` and the result are JSON values
//   await page.click(selector)          a real click on the first match
//   await page.fill(selector, value)    sets a field's value and dispatches input and change
//                                       (what a slider move or a paste does)
//   await page.type(selector, text)     empties the field, then types `text` key by key
//   await page.errors()                 the page's uncaught exceptions (and console errors,
//                                       where the protocol reports them) so far
//   page.requests                       every URL the browser requested for the page, or
//                                       null where the protocol does not report them (WebKit)
//   await page.close()
//
// `options.proxy` ('127.0.0.1:PORT') sends every request the browser makes, loopback
// included, through that HTTP proxy (the offline test's recorder).
//
// Everything else the tests need (waiting for a selector or a predicate, reading an
// attribute or a value) is built here, once, on `evaluate`.

import assert from 'node:assert/strict';

import { eventually as retry } from '../helpers.mjs';

/** The browsers the core tests run in. */
export const BROWSERS = ['chromium', 'firefox', 'webkit'];

/** The browser of this run: DELEVER_BROWSER, chromium when unset. */
export function browserName() {
  const name = process.env.DELEVER_BROWSER || 'chromium';
  if (!BROWSERS.includes(name)) {
    throw new Error(`DELEVER_BROWSER=${name} is not one of ${BROWSERS.join(', ')}`);
  }
  return name;
}

/** Launches the browser of this run (see the interface above). */
export async function launchBrowser(options = {}) {
  const name = browserName();
  const driver = await import(`./${name}.mjs`);
  return driver.launch(options);
}

/**
 * The text a page given to `evaluate` receives as a function: its source. Each driver
 * hands it to the browser as the protocol wants (a function, or its text in a script).
 */
export function functionSource(fn) {
  const source = fn.toString();
  assert.ok(/^(async\s*)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(source), `not a function expression: ${source.slice(0, 60)}`);
  return source;
}

/** In the page: sets an input's value as a person would leave it and tells the page (input, then change). */
export function setFieldInPage({ selector, value }) {
  const element = document.querySelector(selector);
  if (!element) {
    throw new Error(`no element matches ${selector}`);
  }
  element.focus();
  const prototype = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
    : element instanceof HTMLSelectElement ? HTMLSelectElement.prototype
    : HTMLInputElement.prototype;
  // The prototype's setter, as a browser's own input does, so a framework's value tracking sees it.
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(element, value);
  if (!(element instanceof HTMLSelectElement)) {
    element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
  }
  element.dispatchEvent(new Event('change', { bubbles: true }));
  return element.value;
}

/**
 * Polls `predicate(arg)` in the page until it returns a truthy value (returned), or fails
 * after `timeout` ms saying `what`. An error thrown in the page (e.g. during a navigation)
 * counts as not yet.
 */
export async function waitFor(page, predicate, arg = null, { timeout = 30_000, interval = 100, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try {
      const value = await page.evaluate(predicate, arg);
      if (value) {
        return value;
      }
      last = null;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${page.browserName}: ${what} did not happen within ${timeout} ms${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Waits until `selector` matches an element in the document. */
export function waitForSelector(page, selector, options = {}) {
  return waitFor(page, (s) => document.querySelector(s) !== null, selector, { what: `an element ${selector}`, ...options });
}

/** The attribute `name` of the first match of `selector` (null when absent or nothing matches). */
export function attribute(page, selector, name) {
  return page.evaluate(({ selector, name }) => document.querySelector(selector)?.getAttribute(name) ?? null, { selector, name });
}

/** The current value of the field `selector` (null when nothing matches). */
export function value(page, selector) {
  return page.evaluate((s) => document.querySelector(s)?.value ?? null, selector);
}

/** How many elements match `selector`. */
export function count(page, selector) {
  return page.evaluate((s) => document.querySelectorAll(s).length, selector);
}

/** helpers.mjs's `eventually`, with the longer default wait the slower browsers need. */
export function eventually(check, options = {}) {
  return retry(check, { timeout: 20_000, interval: 100, ...options });
}

/**
 * Records a playwright or puppeteer page's uncaught errors, console errors and requests
 * (both libraries name these events alike); WebDriver has no such events.
 */
export function watchPage(page) {
  const errors = [];
  const requests = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error?.stack ?? error}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()}`);
    }
  });
  page.on('request', (request) => requests.push(request.url()));
  return { errors, requests };
}
