// Large scenarios run in the engine's Web Worker (issue 10, item 5; `OFF_THREAD_FROM` in
// src/state.rs): on the hosted page under its content security policy, and in the single
// file opened from disk with the network off. A slider move on 100 institutions × 5 years
// is handed to the worker: the page marks the previous result as updating meanwhile, then
// shows exactly the command line's numbers for the edited scenario; the sensitivity panel,
// run in the worker too, answers exactly as the command line does. The worker's module was
// fetched (hosted) or started from the file itself (single file), and nothing else was.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { largeScenario } from './bench.mjs';
import {
  ROOT,
  assertCardsMatch,
  baseUrl,
  cliJson,
  eventually,
  fragment,
  launch,
  openPage,
  origin,
  simulateWithCli,
  waitForAddress,
} from './helpers.mjs';

const SINGLE_FILE_URL = pathToFileURL(join(ROOT, 'dist', 'delever.html')).href;
/** The first size that goes to the worker: 100 × 5 × 12 = 6,000 institution-months. */
const INSTITUTIONS = 100;
const YEARS = 5;
const LEVER = 'defaults.loan_growth';


/** Records, in the page, whether the results were ever marked as updating. */
async function watchUpdating({ page }) {
  await page.addInitScript(() => {
    window.__updating = 0;
    new MutationObserver(() => {
      if (document.querySelector('.results[data-updating="true"]')) {
        window.__updating += 1;
      }
    }).observe(document, { attributes: true, attributeFilter: ['data-updating'], subtree: true });
  });
}

/** Moves the lever's slider to 60% of its range, as a hand would (an `input` event). */
async function moveLever(page) {
  await page.evaluate((path) => {
    const slider = document.querySelector(`input[type=range][data-field="${path}"]`);
    const min = Number(slider.min || 0);
    const max = Number(slider.max || 100);
    slider.value = String(min + (max - min) * 0.6);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, LEVER);
}

/** `delever-cli ARGS… FILE --format json` of a scenario given as an object, parsed. */
function cliOn(scenario, ...args) {
  const dir = mkdtempSync(join(tmpdir(), 'delever-worker-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario, null, 2));
    return JSON.parse(cliJson(args[0], file, ...args.slice(1), '--format', 'json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sensitivity panel on the page's (large) scenario: the command line's answer. */
async function assertSensitivity(page, scenario) {
  await page.click('button[data-panel="sensitivity"]');
  const answer = page.locator('.answer[data-analysis="sensitivity"][data-fresh="true"]');
  await answer.waitFor({ state: 'attached', timeout: 120_000 });
  assert.deepEqual(JSON.parse(await answer.getAttribute('data-json')), cliOn(scenario, 'sensitivity', '--metric', 'npl_ratio'));
}

/** The move, answered by the worker with the command line's numbers; returns the edited scenario. */
async function assertMoveOffThread(opened, scenario) {
  const { page } = opened;
  const before = scenario.defaults.loan_growth;
  await moveLever(page);
  const { scenario: edited } = await waitForAddress(page, (s) => s.defaults.loan_growth !== before, 'the move');
  await eventually(async () => {
    assert.equal(await page.locator('.results[data-updating="true"]').count(), 0, 'still updating');
  }, { timeout: 30_000 });
  assert.ok((await page.evaluate(() => window.__updating)) > 0, 'the results were never marked as updating');
  const projection = simulateWithCli(edited);
  await eventually(() => assertCardsMatch(page, projection.region.year_ends[0], 'after the move'));
  return edited;
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a large scenario in the engine worker', () => {
  const scenario = largeScenario(INSTITUTIONS, YEARS);

  test('hosted, under the content security policy', async () => {
    const opened = await openPage(browser, { url: `${baseUrl()}${fragment(scenario)}`, beforeNavigation: watchUpdating });
    try {
      await assertCardsMatch(opened.page, simulateWithCli(scenario).region.year_ends[0], 'as opened');
      const edited = await assertMoveOffThread(opened, scenario);
      await assertSensitivity(opened.page, edited);
      const paths = opened.log.requests.map((url) => new URL(url)).filter((url) => url.origin === origin()).map((url) => url.pathname);
      for (const path of ['/worker.js', '/worker/delever_worker.js', '/worker/delever_worker_bg.wasm']) {
        assert.ok(paths.includes(path), `${path} was never fetched`);
      }
      assert.deepEqual(opened.log.pageErrors, [], 'uncaught exceptions');
      assert.deepEqual(opened.log.console, [], 'console errors');
      assert.deepEqual(opened.log.failedRequests, [], 'failed requests');
      assert.deepEqual(await opened.page.evaluate(() => window.__e2e.csp), [], 'content security policy violations');
    } finally {
      await opened.context.close();
    }
  });

  test('when the worker cannot start, the page does the work itself, with the same numbers', async () => {
    // Projections with the page's own engine; the analysis with the engine's module, fetched
    // by the page and run on its thread in slices.
    const opened = await openPage(browser, {
      url: `${baseUrl()}${fragment(scenario)}`,
      beforeNavigation: async (context) => {
        await watchUpdating(context);
        // The worker's script never arrives (a proxy that blocks it, a broken copy of dist/).
        await context.page.route('**/worker.js', (route) => route.abort('blockedbyclient'));
      },
    });
    try {
      const edited = await assertMoveOffThread(opened, scenario);
      await assertSensitivity(opened.page, edited);
      const paths = opened.log.requests.map((url) => new URL(url)).filter((url) => url.origin === origin()).map((url) => url.pathname);
      assert.ok(paths.includes('/worker/delever_worker_bg.wasm'), 'the engine module was never fetched');
      assert.deepEqual(opened.log.pageErrors, [], 'uncaught exceptions');
    } finally {
      await opened.context.close();
    }
  });

  test('in the single file, from disk, offline', async () => {
    const refused = [];
    const url = `${SINGLE_FILE_URL}${fragment(scenario)}`;
    const opened = await openPage(browser, {
      url,
      contextOptions: { offline: true },
      beforeNavigation: async (context) => {
        await watchUpdating(context);
        await context.context.route(
          (address) => !['file:', 'data:', 'blob:'].includes(address.protocol),
          (route) => {
            refused.push(route.request().url());
            return route.abort('internetdisconnected');
          },
        );
      },
    });
    try {
      const edited = await assertMoveOffThread(opened, scenario);
      await assertSensitivity(opened.page, edited);
      assert.deepEqual(refused, [], 'requests the offline route refused');
      const outside = opened.log.requests.filter((address) => !address.startsWith('file:') && !/^(blob:null\/|data:)/.test(address));
      assert.deepEqual(outside, [], 'requests beyond the file');
      assert.deepEqual(opened.log.pageErrors, [], 'uncaught exceptions');
      assert.deepEqual(opened.log.console, [], 'console errors');
    } finally {
      await opened.context.close();
    }
  });
});
