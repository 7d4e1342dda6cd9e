// Shared by the end-to-end tests and the browser benchmark: where things are, the browser,
// a page that records what it did (console, errors, requests, CSP violations), the CLI.
//
// Run through `cargo xtask e2e` (or `cargo xtask bench --browser`), which builds dist/ and
// the release command line, serves dist/ and sets DELEVER_E2E_URL, DELEVER_CLI and CHROMIUM.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

/** The workspace root (tests/e2e/../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The presets, as files: the CLI reads these paths, the page gets the same text. */
export const PRESETS = ['licheng-2019', 'yangjiang-2016-2018', 'chongqing-2016-2020'];

/** How long the page may take to start (cold wasm compile on a busy 2-core machine). */
export const READY_TIMEOUT_MS = 60_000;

// Headless, no sandbox (root in a container), and nothing that talks to the network on
// its own, so that every request the tests see is the page's.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`cargo xtask e2e\``);
  }
  return value;
}

/** The served page, e.g. `http://127.0.0.1:40123/`. */
export function baseUrl() {
  return required('DELEVER_E2E_URL');
}

/** The page's origin, e.g. `http://127.0.0.1:40123`. */
export function origin() {
  return new URL(baseUrl()).origin;
}

/**
 * Launches Chromium. Playwright gives each launch a fresh temporary profile
 * (user-data-dir) and removes it on close, so every test file starts clean.
 */
export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Opens the page in a fresh context and records what happens while it runs.
 *
 * `log.console` holds console messages of type error (and any mentioning the Content
 * Security Policy), `log.pageErrors` uncaught exceptions, `log.requests` every URL
 * requested, `log.failedRequests` requests that failed or got a 4xx/5xx answer.
 * In the page, an init script (injected by the browser, so not subject to the page's
 * CSP) counts `delever:ready` events and collects `securitypolicyviolation` events in
 * `window.__e2e`.
 *
 * `url` opens that address instead of `path` on the served page (e.g. a `file://` URL);
 * `contextOptions` go to `browser.newContext` (e.g. `{ offline: true }`); `beforeNavigation`
 * (async, given `{ context, page }`) runs before the page is opened (e.g. to route requests).
 */
export async function openPage(
  browser,
  { path = '', url = null, contextOptions = {}, beforeNavigation = null, waitForReady = true } = {},
) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const log = { console: [], pageErrors: [], requests: [], failedRequests: [] };
  page.on('console', (message) => {
    const text = message.text();
    const where = message.location()?.url ?? '';
    if (message.type() === 'error' || /Content Security Policy/i.test(text)) {
      log.console.push(`${message.type()}: ${text}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (error) => log.pageErrors.push(String(error && error.stack ? error.stack : error)));
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('requestfailed', (request) => {
    const reason = request.failure() ? request.failure().errorText : 'failed';
    // Chromium fetches the icon again whenever the address changes (the page rewrites its
    // #scenario= fragment); a reload or navigation in the meantime cancels that fetch.
    // A cancelled icon is the browser's own bookkeeping, not a failure of the page.
    if (reason === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/favicon.svg') {
      return;
    }
    log.failedRequests.push(`${request.url()}: ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      log.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    }
  });
  await page.addInitScript(() => {
    const state = { ready: 0, readyDetail: null, csp: [] };
    Object.defineProperty(window, '__e2e', { value: state });
    window.addEventListener('delever:ready', (event) => {
      state.ready += 1;
      state.readyDetail = event.detail ?? null;
    });
    window.addEventListener(
      'securitypolicyviolation',
      (event) => state.csp.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`),
      true,
    );
  });
  if (beforeNavigation) {
    await beforeNavigation({ context, page });
  }
  await page.goto(url ?? new URL(path, baseUrl()).href);
  if (waitForReady) {
    await waitUntilReady(page);
  }
  return { context, page, log };
}

/** Waits until `window.delever` is published and the page shows its first figure. */
export async function waitUntilReady(page) {
  await page.waitForFunction(() => window.__e2e.ready > 0, null, { timeout: READY_TIMEOUT_MS });
  await page.waitForSelector('[data-kpi]', { state: 'attached', timeout: READY_TIMEOUT_MS });
}

/** Reads a preset's scenario file as text, exactly as the CLI reads it. */
/** The `#scenario=` fragment of a scenario object (MODEL.md section 8: base64url, no padding). */
export function fragment(scenario) {
  return `#scenario=${Buffer.from(JSON.stringify(scenario), 'utf8').toString('base64url').replace(/=+$/, '')}`;
}

export function presetPath(id) {
  return join(ROOT, 'www', 'presets', `${id}.json`);
}

/** The Licheng plan as one aggregate institution (the preset before it had banks), for tests written for one. */
export const AGGREGATE_PATH = join(ROOT, 'tests', 'fixtures', 'licheng-2019-aggregate.json');

export function aggregateScenario() {
  return JSON.parse(readFileSync(AGGREGATE_PATH, 'utf8'));
}

export function presetText(id) {
  return readFileSync(presetPath(id), 'utf8');
}

/**
 * Runs the release command line; returns `{ status, stdout, stderr }` (all text).
 * Fails loudly if it cannot be started, so a missing binary is never a silent pass.
 */
export function cli(...args) {
  const program = required('DELEVER_CLI');
  // DELEVER_LANG would change the languages of the messages; the API speaks both.
  const env = { ...process.env };
  delete env.DELEVER_LANG;
  const result = spawnSync(program, args, { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`cannot run ${program}: ${result.error.message}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI's standard output for a command that must succeed. */
export function cliJson(...args) {
  const result = cli(...args);
  if (result.status !== 0) {
    throw new Error(`delever-cli ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** A preset's scenario as an object (a fresh copy each call, to edit freely). */
export function presetScenario(id) {
  return JSON.parse(presetText(id));
}

/**
 * `delever-cli simulate --format json` of a scenario given as an object: written to a
 * temporary file (as a person would save it), run, parsed. Fails loudly on any refusal.
 */
export function simulateWithCli(scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'delever-e2e-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario, null, 2));
    return JSON.parse(cliJson('simulate', file, '--format', 'json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Retries `check` (which asserts, sync or async) until it passes or `timeout` ms have gone,
 * then throws its last error: a wait for the page that fails with the assertion's message.
 */
export async function eventually(check, { timeout = 15_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Every `[data-kpi]` on the page, in document order, as `kpi@target=value` lines (targets rows included). */
export async function allKpis(page) {
  return page.$$eval('[data-kpi]', (elements) =>
    elements.map((element) => {
      const target = element.closest('[data-target]')?.getAttribute('data-target');
      return `${element.getAttribute('data-kpi')}${target ? `@${target}` : ''}=${element.getAttribute('data-value')}`;
    }),
  );
}

/**
 * The result cards of the selected year: `{ metric: data-value }`. Only each card's own
 * figure; the target lines inside a card (`[data-target]`) carry figures of their own.
 */
export async function cardKpis(page) {
  const pairs = await page.$$eval('.card.kpi [data-kpi]', (elements) =>
    elements
      .filter((element) => !element.closest('[data-target]'))
      .map((element) => [element.getAttribute('data-kpi'), element.getAttribute('data-value')]),
  );
  return Object.fromEntries(pairs);
}

/**
 * Asserts that every card on the page equals the command line's year-end `entry`
 * (exact decimal strings); returns the metrics compared. A card the year-end does not
 * have (leverage_ratio when no capital is given) must show no value.
 */
export async function assertCardsMatch(page, entry, label = '') {
  const cards = await cardKpis(page);
  assert.ok(Object.keys(cards).length >= 5, `${label}: only ${Object.keys(cards)} cards`);
  for (const [metric, value] of Object.entries(cards)) {
    const expected = entry[metric] ?? null;
    assert.equal(value, expected, `${label}: data-kpi="${metric}" of ${entry.year}`);
  }
  return Object.keys(cards);
}

/** The text field (not the slider) of a JSON path. */
export function textField(page, path) {
  return page.locator(`input.value[data-field="${path}"]`);
}

/** The slider of a JSON path. */
export function slider(page, path) {
  return page.locator(`input[type=range][data-field="${path}"]`);
}

/**
 * Asserts the page of `openPage` ran cleanly: no console errors (and no CSP message),
 * no uncaught exceptions, no failed request, and no request to another origin. Waits for
 * the network to settle first, so that late requests are judged too.
 */
export async function assertClean(opened, label = 'page') {
  await opened.page.waitForLoadState('networkidle').catch(() => {});
  assert.deepEqual(opened.log.pageErrors, [], `${label}: uncaught exceptions`);
  assert.deepEqual(opened.log.console, [], `${label}: console errors`);
  assert.deepEqual(opened.log.failedRequests, [], `${label}: failed requests`);
  const own = origin();
  const foreign = opened.log.requests.filter((url) => new URL(url).origin !== own);
  assert.deepEqual(foreign, [], `${label}: requests to another origin`);
  assert.ok(opened.log.requests.length > 0, `${label}: no request recorded`);
}

/**
 * The scenario in the page's address (`#scenario=` + base64url of its JSON), parsed; null
 * when the address has none. The page writes the address a moment after the last edit.
 */
export async function scenarioInAddress(page) {
  const href = await page.evaluate(() => location.href);
  const match = /#scenario=([A-Za-z0-9_-]*)$/.exec(href);
  return match ? { href, scenario: JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) } : null;
}

/** Waits until the address carries a scenario for which `predicate(scenario)` holds; returns `{ href, scenario }`. */
export async function waitForAddress(page, predicate, what = 'the edit') {
  return eventually(async () => {
    const address = await scenarioInAddress(page);
    assert.ok(address, 'the address has no #scenario=');
    assert.ok(predicate(address.scenario), `the address does not carry ${what} yet`);
    return address;
  });
}

/**
 * Clicks `selector` and returns the downloaded file's name, bytes and path (saved under `dir`,
 * with a time prefix so that two downloads of one name do not collide).
 */
export async function download(page, selector, dir) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path), path };
}

/**
 * Saves Licheng as A and with 9% loan growth as B, ticks both in the compare panel, and
 * asserts that the panel shows the command line's year-ends of both.
 */
export async function assertCompareLichengAB(page) {
  await page.fill('input[data-field="ui.save_name"]', 'A');
  await page.click('button[data-action="save"]');
  await textField(page, 'defaults.loan_growth').fill('9');
  await waitForAddress(page, (s) => String(s.defaults.loan_growth) === '0.09', 'loan growth 9%');
  await page.fill('input[data-field="ui.save_name"]', 'B');
  await page.click('button[data-action="save"]');
  await page.click('button[data-panel="compare"]');
  await page.check('input[data-field="analysis.compare"][value="A"]');
  await page.check('input[data-field="analysis.compare"][value="B"]');
  const b = presetScenario('licheng-2019');
  b.defaults.loan_growth = '0.09';
  const expected = {
    A: simulateWithCli(presetScenario('licheng-2019')).region.year_ends[0],
    B: simulateWithCli(b).region.year_ends[0],
  };
  for (const name of ['A', 'B']) {
    for (const metric of ['loans', 'npl', 'npl_ratio']) {
      const cell = page.locator(`.compare-table tr[data-metric="${metric}"] td[data-scenario="${name}"]`);
      await eventually(async () => assert.equal(await cell.getAttribute('data-value'), expected[name][metric], `${name} ${metric}`));
    }
  }
}
