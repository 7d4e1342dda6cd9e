// WebKitGTK (Debian's `webkit2gtk-driver` and its MiniBrowser) through WebKitWebDriver, which
// speaks classic W3C WebDriver over HTTP. MiniBrowser is a GTK program: it needs a display,
// so the tests run under `xvfb-run` (as `cargo xtask e2e` runs them).
//
// The client is the few dozen lines of HTTP below (node's own fetch) rather than a dependency:
// the tests use ten commands of the protocol (status, new and delete session, timeouts, url,
// refresh, execute/async, find element, element click, element send keys), and the usual
// clients (selenium-webdriver, webdriverio) bring dozens of packages, and driver managers
// that would fetch browsers and drivers from the network, to do the same.
//
// Each page is its own WebDriver session: its own MiniBrowser, in automation mode, with an
// ephemeral profile, so every page starts with empty storage as in the other drivers.
// Classic WebDriver reports no network requests (page.requests is null) and no console; the
// page's uncaught errors are recorded by a listener installed once each document has loaded.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

import { functionSource, setFieldInPage } from './index.mjs';

/** The W3C element reference key. */
const ELEMENT = 'element-6066-11e4-a52f-4f735466cecf';

/** How long a page load or a script may take (WebDriver's timeouts) ... */
const TIMEOUT_MS = 60_000;

/** ... and any one command, after which the client gives up on it and says which it was. */
const COMMAND_TIMEOUT_MS = 75_000;

/** A free TCP port on loopback, for the driver to listen on. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** DELEVER_DRIVER_LOG=1 prints every WebDriver command and how long it took (to stderr). */
const LOG = Boolean(process.env.DELEVER_DRIVER_LOG);

/** One WebDriver command; returns the answer's `value`, throws the driver's error. */
async function command(base, method, path, body) {
  const started = Date.now();
  try {
    return await send(base, method, path, body);
  } finally {
    if (LOG) {
      process.stderr.write(`webdriver ${method} ${path.replace(/^\/session\/[^/]+/, '')} ${Date.now() - started} ms\n`);
    }
  }
}

async function send(base, method, path, body) {
  try {
    return await sendOnce(base, method, path, body);
  } catch (error) {
    if (error.name === 'TimeoutError') {
      throw new Error(`WebKitWebDriver ${method} ${path}: no answer within ${COMMAND_TIMEOUT_MS} ms`);
    }
    throw error;
  }
}

async function sendOnce(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error(`WebKitWebDriver ${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok || (answer.value && answer.value.error)) {
    const { error = `HTTP ${response.status}`, message = '' } = answer.value ?? {};
    throw new Error(`WebKitWebDriver ${method} ${path}: ${error}: ${message}`);
  }
  return answer.value;
}

/** In the page: records uncaught errors and unhandled rejections from now on (once per document). */
function installErrorRecorder() {
  if (!window.__driverErrors) {
    Object.defineProperty(window, '__driverErrors', { value: [] });
    window.addEventListener('error', (event) => window.__driverErrors.push(`uncaught: ${event.message}`));
    window.addEventListener('unhandledrejection', (event) => window.__driverErrors.push(`unhandled rejection: ${event.reason}`));
  }
  return window.__driverErrors.slice();
}

/** The drivers running, stopped if this process ends before it closes them (e.g. a test times out). */
const running = new Set();
process.once('exit', () => {
  for (const driver of running) {
    driver.kill('SIGKILL');
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
}

/** Starts a WebKitWebDriver on a free port; returns its address and a way to stop it. */
async function startDriver(driverPath) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const driver = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let driverLog = '';
  driver.stderr.on('data', (chunk) => {
    driverLog = (driverLog + chunk).slice(-4000);
  });
  running.add(driver);
  const exited = new Promise((resolve) => driver.on('exit', resolve));
  exited.then(() => running.delete(driver));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await command(base, 'GET', '/status').then((status) => status.ready, () => false);
    if (ready) {
      break;
    }
    if (driver.exitCode !== null || Date.now() > deadline) {
      driver.kill();
      throw new Error(`WebKitWebDriver did not start on port ${port}: ${driverLog}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async () => {
    driver.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  };
  return { base, stop };
}

export async function launch({ proxy = null } = {}) {
  const driverPath = process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver';
  const binary = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
  for (const [what, path] of [['WebKitWebDriver', driverPath], ['MiniBrowser', binary]]) {
    if (!existsSync(path)) {
      throw new Error(`${what} not found at ${path}: install webkit2gtk-driver (cargo xtask setup)`);
    }
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('MiniBrowser needs a display: run the WebKit tests under xvfb-run (cargo xtask e2e does)');
  }
  /** The pages open, to close with the browser. */
  const pages = new Set();
  const browser = {
    name: 'webkit',
    ownTraffic: [], // MiniBrowser asks nobody on its own
    version: null, // MiniBrowser's WebKitGTK version, known once a session exists.
    async newPage() {
      // MiniBrowser's own --proxy is the default proxy of every scheme (WebDriver's `proxy`
      // capability reaches only plain http here).
      const args = proxy ? ['--automation', `--proxy=http://${proxy}`] : ['--automation'];
      const capabilities = { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args } };
      // WebKitWebDriver holds one session at a time: a driver of its own for each page.
      const { base, stop } = await startDriver(driverPath);
      let created;
      try {
        created = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
      } catch (error) {
        await stop();
        throw error;
      }
      const session = `/session/${created.sessionId}`;
      browser.version ??= created.capabilities.browserVersion;
      await command(base, 'POST', `${session}/timeouts`, { script: TIMEOUT_MS, pageLoad: TIMEOUT_MS, implicit: 0 });
      const call = (method, path, body) => command(base, method, `${session}${path}`, body);
      /** Errors recorded by documents this page has left. */
      const earlier = [];
      const element = async (selector) => {
        const found = await call('POST', '/element', { using: 'css selector', value: selector });
        const id = found[ELEMENT] ?? Object.values(found)[0];
        if (!id) {
          throw new Error(`WebKitWebDriver: no element reference for ${selector}: ${JSON.stringify(found)}`);
        }
        return id;
      };
      const page = {
        browserName: 'webkit',
        requests: null,
        async evaluate(fn, arg = null) {
          // The page's function, as text, in an asynchronous script: WebDriver runs the script
          // itself outside the page's content security policy (no eval in the page).
          const script = `const done = arguments[arguments.length - 1];
            Promise.resolve().then(() => (${functionSource(fn)})(arguments[0])).then(
              (value) => done({ ok: true, value: value === undefined ? null : value }),
              (error) => done({ ok: false, error: String(error && error.message ? error.message : error) }));`;
          const result = await call('POST', '/execute/async', { script, args: [arg] });
          if (!result || !result.ok) {
            throw new Error(`in the page: ${result ? result.error : 'no answer'}`);
          }
          return result.value;
        },
        async goto(url) {
          earlier.push(...(await page.evaluate(installErrorRecorder).catch(() => [])));
          await call('POST', '/url', { url });
          await page.evaluate(installErrorRecorder);
        },
        async reload() {
          earlier.push(...(await page.evaluate(installErrorRecorder).catch(() => [])));
          await call('POST', '/refresh', {});
          await page.evaluate(installErrorRecorder);
        },
        async click(selector) {
          await call('POST', `/element/${await element(selector)}/click`, {});
        },
        async fill(selector, value) {
          await page.evaluate(setFieldInPage, { selector, value });
        },
        async type(selector, text) {
          await page.evaluate(setFieldInPage, { selector, value: '' });
          // Element Send Keys focuses the field and types at its end, key by key.
          await call('POST', `/element/${await element(selector)}/value`, { text });
        },
        async errors() {
          return [...earlier, ...(await page.evaluate(installErrorRecorder))];
        },
        async close() {
          if (pages.delete(page)) {
            await call('DELETE', '', undefined).catch(() => {});
            await stop();
          }
        },
      };
      pages.add(page);
      return page;
    },
    async close() {
      for (const page of [...pages]) {
        await page.close();
      }
    },
  };
  return browser;
}
