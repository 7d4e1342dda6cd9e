// Spreadsheets in the page: the template downloads (xlsx and csv) and imports back; a
// broken file is refused cell by cell with nothing imported; the workbook exports. The
// spreadsheet module is fetched only when first used, from the page's own origin.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { assertClean, cardKpis, download, eventually, launch, openPage } from './helpers.mjs';

let browser;
let dir;
before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'delever-sheets-'));
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});


/** The institution ids the page's table shows. */
async function institutionIds(page) {
  return page.$$eval('input[data-field$="].id"][data-field^="institutions["]', (inputs) => inputs.map((i) => i.value));
}

describe('spreadsheets', () => {
  test('the module is not fetched until used; the xlsx template imports back', async () => {
    const opened = await openPage(browser);
    const { page, log } = opened;
    assert.ok(!log.requests.some((url) => url.includes('/sheets/')), 'the spreadsheet module was fetched at start');
    const template = await download(page, 'button[data-action="template-xlsx"]', dir);
    assert.match(template.name, /\.xlsx$/);
    assert.equal(template.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip');
    assert.ok(log.requests.some((url) => url.includes('/sheets/delever_sheets_bg.wasm')));
    await page.setInputFiles('input[data-field="ui.import_sheet"]', template.path);
    await eventually(async () => {
      const ids = await institutionIds(page);
      assert.ok(ids.length >= 1, 'no institutions after the import');
      assert.equal(await page.locator('.sheet-issues').count(), 0);
    });
    const cards = await cardKpis(page);
    assert.ok(cards.loans, 'the imported scenario has results');
    await assertClean(opened);
    await opened.context.close();
  });

  test('a broken csv is refused cell by cell and nothing is imported', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const before = await institutionIds(page);
    const template = await download(page, 'button[data-action="template-csv"]', dir);
    const text = template.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
    const header = lines[0].split(',');
    const loans = header.findIndex((h) => /期初贷款|opening loans|^loans$/i.test(h.trim()) && !/不良|npl/i.test(h));
    assert.ok(loans >= 0, `no loans column in ${lines[0]}`);
    const dataLine = lines.findIndex((line, k) => k > 0 && !line.startsWith('#'));
    const cells = lines[dataLine].split(',');
    cells[loans] = 'abc';
    lines[dataLine] = cells.join(',');
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, `${lines.join('\n')}\n`);
    await page.setInputFiles('input[data-field="ui.import_sheet"]', broken);
    const issue = page.locator('.sheet-issues tr[data-row]').first();
    await issue.waitFor();
    assert.equal(await issue.getAttribute('data-row'), String(dataLine + 1));
    assert.match(await issue.innerText(), /abc/);
    assert.deepEqual(await institutionIds(page), before, 'something was imported');
    await page.click('button[data-action="dismiss-sheet-issues"]');
    assert.equal(await page.locator('.sheet-issues').count(), 0);
    await assertClean(opened);
    await opened.context.close();
  });

  test('a file that is not a spreadsheet is refused with a message', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const garbage = join(dir, 'garbage.xlsx');
    writeFileSync(garbage, 'this is not a workbook');
    await page.setInputFiles('input[data-field="ui.import_sheet"]', garbage);
    await page.locator('.sheet-issues tr').first().waitFor();
    await assertClean(opened);
    await opened.context.close();
  });

  test('the workbook exports', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const workbook = await download(page, 'button[data-action="export-xlsx"]', dir);
    assert.match(workbook.name, /\.xlsx$/);
    assert.equal(workbook.bytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(workbook.bytes.length > 5000, `only ${workbook.bytes.length} bytes`);
    await assertClean(opened);
    await opened.context.close();
  });
});
