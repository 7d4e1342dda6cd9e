// Reported months in the page (MODEL.md sections 9 and 12, v2): typed into the actuals grid,
// pasted from Excel, imported from a csv and its template; each time the tracking figures
// are the command line's for the scenario the address then carries, and the monthly charts
// draw the reported months solid. A broken paste is refused cell by cell, changing nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertClean,
  download,
  eventually,
  fragment,
  launch,
  openPage,
  presetScenario,
  scenarioInAddress,
  simulateWithCli,
  waitForAddress,
} from './helpers.mjs';

let browser;
let dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'delever-actuals-'));
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const MAY = presetScenario('licheng-2019-may');

/** The region's tracking figure `field` as the page shows it. */
function figure(page, field) {
  return page.locator(`[data-kpi="tracking.${field}"]`).getAttribute('data-value');
}

/** Waits until the page's region tracking equals the command line's for the address's scenario. */
async function assertTrackingMatchesCli(page, predicate, what) {
  const { scenario } = await waitForAddress(page, predicate, what);
  const expected = simulateWithCli(scenario);
  await eventually(async () => {
    for (const field of ['disposal_to_date', 'completion', 'behind', 'required_monthly', 'loans_vs_plan', 'npl_vs_plan']) {
      assert.equal(await figure(page, field), expected.tracking.region[field], field);
    }
  }, { timeout: 30_000 });
  return { scenario, expected };
}

const CHANNELS = ['collection', 'write_off', 'transfer', 'securitization', 'debt_equity', 'foreclosure', 'upgrade'];

/**
 * The preset's reports of `months` as rows under the template's column codes, exactly as
 * written: a disposal total in `disposal`, or its channels each in its own column.
 */
function rows(months, separator) {
  const header = ['month', 'institution', 'deposits', 'loans', 'npl', 'disposal', ...CHANNELS];
  const disposal = (d) => (typeof d === 'string' ? [d, ...CHANNELS.map(() => '')] : ['', ...CHANNELS.map((c) => d[c] ?? '')]);
  const body = MAY.actuals
    .filter((a) => months.includes(a.month))
    .map((a) => [a.month, a.institution, a.deposits, a.loans, a.npl, ...disposal(a.disposal)].join(separator));
  return [header.join(separator), ...body].join('\n');
}

describe('actuals in the page', () => {
  test('a typed report changes the tracking, and adding a month moves the as-of month', async () => {
    const opened = await openPage(browser, { path: `index.html${fragment(MAY)}` });
    const { page } = opened;
    const last = MAY.actuals.length - 1;
    const entry = MAY.actuals[last];
    assert.equal(entry.month, '2019-05');
    const cell = page.locator(`input[data-field="actuals[${last}].loans"]`);
    await cell.waitFor();
    assert.equal(await page.locator('[data-chart-card="npl_ratio"]').getAttribute('data-reported'), '5');
    const loans = (Number(entry.loans) + 3).toString();
    await cell.fill(loans);
    await assertTrackingMatchesCli(page, (s) => s.actuals[last].loans === loans, 'the typed loan balance');

    // A wrong figure: the engine's message at the cell, the text kept, the last result shown.
    await cell.fill('12x');
    await page.locator(`[data-error-for="actuals[${last}].loans"]`).waitFor();
    assert.equal(await cell.inputValue(), '12x');
    await cell.fill(loans);
    await page.locator(`[data-error-for="actuals[${last}].loans"]`).waitFor({ state: 'detached' });

    await page.click('button[data-action="actuals-add-month"]');
    await waitForAddress(page, (s) => s.actuals.some((a) => a.month === '2019-06'), 'June added');
    await eventually(async () => {
      assert.equal(await page.locator('[data-chart-card="npl_ratio"]').getAttribute('data-reported'), '6');
      assert.equal(await page.locator('.actuals-table').getAttribute('data-month'), '2019-06');
    });
    await page.click('button[data-action="actuals-remove-month"]');
    await waitForAddress(page, (s) => !s.actuals.some((a) => a.month === '2019-06'), 'June removed');
    await assertClean(opened);
    await opened.context.close();
  });

  test('rows pasted from Excel replace the reports; a broken paste changes nothing', async () => {
    const opened = await openPage(browser, { path: `index.html${fragment(MAY)}` });
    const { page } = opened;
    await page.locator('details.actuals-paste > summary').click();
    const paste = page.locator('textarea[data-field="ui.actuals_paste"]');

    const broken = rows(['2019-01', '2019-02'], '\t').replace(/\n([^\t\n]*\t[^\t\n]*\t[^\t\n]*\t)[^\t\n]*/, '\n$1abc');
    await paste.fill(broken);
    await page.click('button[data-action="actuals-paste"]');
    await page.locator('.actuals .sheet-issues tr[data-row="2"]').waitFor({ timeout: 30_000 });
    const before = await scenarioInAddress(page);
    assert.equal(new Set(before.scenario.actuals.map((a) => a.month)).size, 5, 'nothing was taken');
    assert.equal(await paste.inputValue(), broken, 'the pasted text is kept');

    await paste.fill(rows(['2019-01', '2019-02'], '\t'));
    await page.click('button[data-action="actuals-paste"]');
    const { expected } = await assertTrackingMatchesCli(
      page,
      (s) => new Set(s.actuals.map((a) => a.month)).size === 2,
      'two pasted months',
    );
    assert.equal(expected.as_of, '2019-02');
    await eventually(async () => assert.equal(await page.locator('.actuals .sheet-issues').count(), 0));
    assert.equal(await page.locator('[data-chart-card="balances"]').getAttribute('data-reported'), '2');
    await assertClean(opened);
    await opened.context.close();
  });

  test('a csv imports; the template downloads with the reports in it', async () => {
    const opened = await openPage(browser, { path: `index.html${fragment(MAY)}` });
    const { page } = opened;
    const template = await download(page, 'button[data-action="actuals-template-csv"]', dir);
    assert.match(template.name, /\.csv$/);
    const text = template.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
    assert.equal(lines.length, 1 + MAY.actuals.length, 'a header and one row per report');

    const file = join(dir, 'three-months.csv');
    writeFileSync(file, rows(['2019-01', '2019-02', '2019-03'], ','));
    await page.setInputFiles('input[data-field="ui.import_actuals"]', file);
    const { expected } = await assertTrackingMatchesCli(
      page,
      (s) => new Set(s.actuals.map((a) => a.month)).size === 3,
      'three imported months',
    );
    assert.equal(expected.as_of, '2019-03');
    await assertClean(opened);
    await opened.context.close();
  });
});
