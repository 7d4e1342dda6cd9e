// Delever with nothing but its own files. The single file (dist/delever.html, `cargo xtask
// dist`) opened from disk with the network off, and the hosted dist/ under its content
// security policy, are each taken through the same tour: the Licheng figures equal the
// command line's, every analysis panel answers exactly as the command line does, saved
// scenarios compare, and the spreadsheet module (template download, import, workbook
// export) works. Then: the single file asked for nothing but itself (and the blob: URLs it
// makes), the hosted page for nothing but the site's own files, with no CSP violation;
// neither logged an error or threw.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  ROOT,
  assertCompareLichengAB,
  cardKpis,
  cliJson,
  download,
  eventually,
  launch,
  openPage,
  origin,
  presetPath,
} from './helpers.mjs';

const LICHENG = 'licheng-2019';

/** The single file, as `cargo xtask build` (release) and `cargo xtask dist` write it. */
const SINGLE_FILE = join(ROOT, 'dist', 'delever.html');

/**
 * The hosted site's files a visit may request (paths on the server): the page, its script,
 * glue, wasm, styles and icon, the engine's worker, and the spreadsheet module (`/sheets/…`,
 * on first use).
 */
const HOSTED_FILES = [
  '/',
  '/index.html',
  '/boot.js',
  '/delever.js',
  '/delever_bg.wasm',
  '/style.css',
  '/favicon.svg',
  // The engine's worker, which runs the analyses (and large scenarios' projections).
  '/worker.js',
  '/worker/delever_worker.js',
  '/worker/delever_worker_bg.wasm',
];
const HOSTED_LAZY_DIR = '/sheets/';

/** The `data-kpi` names of the target rows, and the field of `targets[]` each shows. */
const TARGET_KPIS = { target_value: 'value', target_actual: 'actual', target_margin: 'margin' };

let browser;
let dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'delever-offline-'));
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every figure on the page equals the command line's Licheng projection (year-ends and targets). */
async function assertLichengFigures(page) {
  const projection = JSON.parse(cliJson('simulate', presetPath(LICHENG), '--format', 'json'));
  const figures = await page.$$eval('[data-kpi]', (elements) =>
    elements.map((element) => ({
      kpi: element.getAttribute('data-kpi'),
      value: element.getAttribute('data-value'),
      year: element.closest('[data-year]')?.getAttribute('data-year') ?? null,
      target: element.closest('[data-target]')?.getAttribute('data-target') ?? null,
    })),
  );
  const yearEnds = new Map(projection.region.year_ends.map((entry) => [String(entry.year), entry]));
  const lastYear = String(projection.region.year_ends.at(-1).year);
  const targets = new Map(projection.targets.map((target) => [target.id, target]));
  const compared = new Set();
  for (const figure of figures) {
    if (figure.kpi in TARGET_KPIS) {
      const target = targets.get(figure.target);
      assert.ok(target, `data-target="${figure.target}" is not a target of the scenario`);
      assert.equal(figure.value, target[TARGET_KPIS[figure.kpi]], `${figure.target} ${figure.kpi}`);
      continue;
    }
    const entry = yearEnds.get(figure.year ?? lastYear);
    assert.ok(entry, `data-kpi="${figure.kpi}" is for year ${figure.year}, not in the projection`);
    const expected = figure.kpi.split('.').reduce((value, key) => (value == null ? undefined : value[key]), entry);
    if (expected === undefined || (expected !== null && typeof expected === 'object')) {
      continue; // Not a year-end metric.
    }
    assert.equal(figure.value, expected, `data-kpi="${figure.kpi}" of ${figure.year ?? lastYear}`);
    compared.add(figure.kpi);
  }
  for (const metric of ['deposits', 'loans', 'npl', 'npl_ratio', 'disposal']) {
    assert.ok(compared.has(metric), `the page shows no data-kpi="${metric}"`);
  }
}

/** Opens analysis panel `panel` and returns its fresh answer's JSON, parsed. */
async function openPanel(page, panel) {
  await page.click(`button[data-panel="${panel}"]`);
  const answer = page.locator(`.answer[data-analysis="${panel}"][data-fresh="true"]`);
  await answer.waitFor({ state: 'attached', timeout: 90_000 });
  return JSON.parse(await answer.getAttribute('data-json'));
}

/** Goal seek, sensitivity, feasibility map and Monte Carlo on Licheng: each the command line's answer, each chart drawn. */
async function assertEveryAnalysis(page) {
  const file = presetPath(LICHENG);
  const cli = (...args) => JSON.parse(cliJson(...args, '--format', 'json'));
  assert.deepEqual(await openPanel(page, 'goal-seek'), cli('goal-seek', file, '--lever', 'write_off_share'));
  assert.deepEqual(await openPanel(page, 'sensitivity'), cli('sensitivity', file, '--metric', 'npl_ratio'));
  assert.deepEqual(
    await openPanel(page, 'feasibility'),
    cli('feasibility', file, '--x', 'disposal', '--y', 'write_off_share', '--steps', '41'),
  );
  assert.deepEqual(
    await openPanel(page, 'monte-carlo'),
    cli('monte-carlo', file, '--paths', '1000', '--seed', '42', '--cv', '0.25'),
  );
  for (const panel of ['sensitivity', 'feasibility', 'monte-carlo']) {
    await page.click(`button[data-panel="${panel}"]`);
    await eventually(async () => {
      const drawn = await page.locator('.analysis-chart canvas').getAttribute('data-rendered');
      assert.ok(Number(drawn) > 0, `${panel} chart not drawn`);
    });
  }
}



/** The spreadsheet module: both templates download, the xlsx one imports back, the workbook exports. */
async function assertSpreadsheets(page) {
  const xlsx = await download(page, 'button[data-action="template-xlsx"]', dir);
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip');
  const csv = await download(page, 'button[data-action="template-csv"]', dir);
  assert.match(csv.name, /\.csv$/);
  assert.ok(csv.bytes.length > 20, `the csv template has ${csv.bytes.length} bytes`);
  await page.setInputFiles('input[data-field="ui.import_sheet"]', xlsx.path);
  await eventually(async () => {
    const ids = await page.$$eval('input[data-field$="].id"][data-field^="institutions["]', (inputs) =>
      inputs.map((input) => input.value),
    );
    assert.ok(ids.length >= 1, 'no institutions after the import');
    assert.equal(await page.locator('.sheet-issues').count(), 0, 'the template was refused');
  });
  assert.ok((await cardKpis(page)).loans, 'the imported scenario has results');
  const workbook = await download(page, 'button[data-action="export-xlsx"]', dir);
  assert.match(workbook.name, /\.xlsx$/);
  assert.ok(workbook.bytes.length > 5000, `the workbook has only ${workbook.bytes.length} bytes`);
}

/** The same tour on either page: figures, analyses, compare, spreadsheets, in that order (each changes the page). */
function tour(opened) {
  test('the Licheng figures are the command line’s', async () => {
    await assertLichengFigures(opened().page);
  });
  test('every analysis answers as the command line does', async () => {
    await assertEveryAnalysis(opened().page);
  });
  test('saved scenarios compare', async () => {
    await assertCompareLichengAB(opened().page);
  });
  test('the spreadsheet module: templates, import, workbook export', async () => {
    await assertSpreadsheets(opened().page);
  });
}

/** No uncaught exception, no console error, no failed request, and the page started once. */
async function assertRanCleanly({ page, log }) {
  assert.deepEqual(log.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(log.console, [], 'console errors');
  assert.deepEqual(log.failedRequests, [], 'failed requests');
  assert.equal(await page.evaluate(() => window.__e2e.ready), 1, 'delever:ready fired once');
}

describe('the single file, opened from disk with the network off', () => {
  const fileUrl = pathToFileURL(SINGLE_FILE).href;
  /** Requests the route refused: anything not file:, data: or blob:. */
  const refused = [];
  let opened;
  before(async () => {
    assert.ok(existsSync(SINGLE_FILE), `${SINGLE_FILE} is missing: run \`cargo xtask dist\` (or build)`);
    opened = await openPage(browser, {
      url: fileUrl,
      contextOptions: { offline: true },
      beforeNavigation: ({ context }) =>
        context.route(
          (url) => !['file:', 'data:', 'blob:'].includes(url.protocol),
          (route) => {
            refused.push(route.request().url());
            return route.abort('internetdisconnected');
          },
        ),
    });
    const atStart = opened.log.requests.filter((url) => url !== fileUrl);
    assert.deepEqual(atStart, [], 'the single file fetched something at start');
  });
  after(async () => {
    await opened?.context.close();
  });

  tour(() => opened);

  test('it asked for nothing but itself and the blob: URLs it made', async () => {
    await assertRanCleanly(opened);
    assert.deepEqual(refused, [], 'requests the offline route refused');
    const outside = opened.log.requests.filter((url) => url !== fileUrl && !/^(blob:null\/|data:)/.test(url));
    assert.deepEqual(outside, [], 'requests beyond the file');
    // The spreadsheet module is the one the file carries, loaded (it answered above).
    const sheets = await opened.page.evaluate(() => window.__deleverSheets().then((m) => typeof m.template));
    assert.equal(sheets, 'function', 'the spreadsheet module');
    // And as the page itself saw it: every resource it loaded (resource timing) was its own.
    const resources = await opened.page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    assert.deepEqual(
      resources.filter((url) => !/^(blob:null\/|data:)/.test(url)),
      [],
      'resources the page loaded from outside the file',
    );
  });
});

describe('the hosted dist/, served under the content security policy', () => {
  let opened;
  before(async () => {
    opened = await openPage(browser);
    const lazy = opened.log.requests.filter((url) => new URL(url).pathname.startsWith(HOSTED_LAZY_DIR));
    assert.deepEqual(lazy, [], 'the spreadsheet module was fetched at start');
  });
  after(async () => {
    await opened?.context.close();
  });

  tour(() => opened);

  test('it asked for nothing but the site’s own files, and broke no policy', async () => {
    await opened.page.waitForLoadState('networkidle').catch(() => {});
    await assertRanCleanly(opened);
    const own = origin();
    const outside = opened.log.requests.filter((url) => {
      if (url.startsWith(`blob:${own}/`) || url.startsWith('data:')) {
        return false;
      }
      const { origin: from, pathname } = new URL(url);
      return from !== own || !(HOSTED_FILES.includes(pathname) || pathname.startsWith(HOSTED_LAZY_DIR));
    });
    assert.deepEqual(outside, [], `requests beyond ${HOSTED_FILES.join(' ')} ${HOSTED_LAZY_DIR}*`);
    for (const path of ['/delever_bg.wasm', '/sheets/delever_sheets.js', '/sheets/delever_sheets_bg.wasm']) {
      assert.ok(opened.log.requests.some((url) => new URL(url).pathname === path), `${path} was never fetched`);
    }
    const served = await opened.page.request.get(new URL('/', own).href);
    assert.equal(
      served.headers()['content-security-policy'],
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    );
    assert.deepEqual(await opened.page.evaluate(() => window.__e2e.csp), [], 'content security policy violations');
  });
});
