// The page as a person opens it: it loads under the strict CSP, talks to nobody but its own
// origin, logs no errors, and every figure it shows is exactly the command line's number.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cliJson, launch, openPage, origin, presetPath } from './helpers.mjs';

/** The `data-kpi` names of the target rows, and the field of `targets[]` each shows. */
const TARGET_KPIS = { target_value: 'value', target_actual: 'actual', target_margin: 'margin' };

/** Metrics the page must show for Licheng (MODEL.md section 7: the plan's own targets). */
const MUST_SHOW = ['deposits', 'loans', 'npl', 'npl_ratio', 'disposal'];

describe('the page, opened on the Licheng 2019 preset', () => {
  let browser;
  let opened;
  let figures;
  let projection;

  before(async () => {
    browser = await launch();
    opened = await openPage(browser);
    // Let late requests and messages arrive before anything is judged.
    await opened.page.waitForLoadState('networkidle');
    figures = await opened.page.$$eval('[data-kpi]', (elements) =>
      elements.map((element) => ({
        kpi: element.getAttribute('data-kpi'),
        value: element.getAttribute('data-value'),
        year: element.closest('[data-year]')?.getAttribute('data-year') ?? null,
        target: element.closest('[data-target]')?.getAttribute('data-target') ?? null,
        text: element.textContent.trim(),
      })),
    );
    projection = JSON.parse(cliJson('simulate', presetPath('licheng-2019'), '--format', 'json'));
  });

  after(async () => {
    await browser?.close();
  });

  test('starts once: delever:ready fires once and window.delever is defined', async () => {
    const state = await opened.page.evaluate(() => ({
      ready: window.__e2e.ready,
      type: typeof window.delever,
      title: document.title,
    }));
    assert.equal(state.ready, 1);
    assert.equal(state.type, 'object');
    assert.match(state.title, /Delever/);
    // The app replaced the boot message.
    assert.equal(await opened.page.locator('#boot-status').count(), 0);
  });

  test('every year-end figure is the command line’s exact decimal', (t) => {
    const yearEnds = new Map(projection.region.year_ends.map((entry) => [String(entry.year), entry]));
    const lastYear = String(projection.region.year_ends.at(-1).year);
    const compared = new Set();
    const skipped = new Set();
    for (const figure of figures) {
      if (figure.kpi in TARGET_KPIS) {
        continue;
      }
      // A figure without a year is for the page's selected year; the page opens on the last.
      const entry = yearEnds.get(figure.year ?? lastYear);
      assert.ok(entry, `data-kpi="${figure.kpi}" is for year ${figure.year}, not in the projection`);
      const expected = figure.kpi.split('.').reduce((value, key) => (value == null ? undefined : value[key]), entry);
      if (expected === undefined || (expected !== null && typeof expected === 'object')) {
        skipped.add(figure.kpi); // Not a year-end metric (or a group of them).
        continue;
      }
      assert.equal(
        figure.value,
        expected,
        `data-kpi="${figure.kpi}" (year ${figure.year ?? lastYear}, shown "${figure.text}")`,
      );
      compared.add(figure.kpi);
    }
    t.diagnostic(`compared ${compared.size} metrics: ${[...compared].join(' ')}`);
    if (skipped.size > 0) {
      t.diagnostic(`not year-end metrics, not compared: ${[...skipped].join(' ')}`);
    }
    for (const metric of MUST_SHOW) {
      assert.ok(compared.has(metric), `the page shows no data-kpi="${metric}"; it shows ${[...compared]}`);
    }
    assert.deepEqual([...skipped].filter((kpi) => !kpi.includes('.')), [], 'data-kpi names that are no metric');
  });

  test('every target figure is the command line’s actual, margin and threshold', (t) => {
    const targets = new Map(projection.targets.map((target) => [target.id, target]));
    const rows = new Set();
    for (const figure of figures.filter((f) => f.kpi in TARGET_KPIS)) {
      assert.ok(figure.target, `data-kpi="${figure.kpi}" is not inside an element with data-target`);
      const target = targets.get(figure.target);
      assert.ok(target, `data-target="${figure.target}" is not a target of the scenario`);
      assert.equal(figure.value, target[TARGET_KPIS[figure.kpi]], `${figure.target} ${figure.kpi}`);
      rows.add(figure.target);
    }
    t.diagnostic(`compared the figures of ${rows.size} targets`);
    assert.deepEqual([...rows].sort(), [...targets.keys()].sort(), 'every target has its row');
  });

  test('no console errors and no uncaught exceptions', () => {
    assert.deepEqual(opened.log.pageErrors, []);
    assert.deepEqual(opened.log.console, []);
    assert.deepEqual(opened.log.failedRequests, []);
  });

  test('requests go to the page’s own origin only', () => {
    const own = origin();
    assert.ok(opened.log.requests.length >= 4, `requests: ${opened.log.requests}`);
    const foreign = opened.log.requests.filter((url) => new URL(url).origin !== own);
    assert.deepEqual(foreign, []);
    for (const file of ['index.html', 'boot.js', 'delever.js', 'delever_bg.wasm', 'style.css']) {
      const path = file === 'index.html' ? '/' : `/${file}`;
      assert.ok(
        opened.log.requests.some((url) => new URL(url).pathname === path),
        `${file} was not requested: ${opened.log.requests}`,
      );
    }
  });

  // Last, because it provokes a violation on purpose (and its console message).
  test('runs under the strict content security policy without a violation', async () => {
    const response = await opened.page.request.get(new URL('/', origin()).href);
    assert.equal(
      response.headers()['content-security-policy'],
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    );
    const violations = await opened.page.evaluate(() => window.__e2e.csp);
    assert.deepEqual(violations, []);
    // And the policy is in force: an inline script added now is refused (and reported).
    await opened.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.head.append(script);
    });
    await opened.page.waitForFunction(() => window.__e2e.csp.length > 0);
    assert.equal(await opened.page.evaluate(() => window.__inlineRan === true), false);
  });
});
