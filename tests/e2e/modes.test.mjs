// Everywhere officials are: a portal embeds the page (?embed=1 and postMessage both ways,
// through www/embed-example.html), a presenter steps through saved scenarios with the
// keyboard (?present=1), and the print button gives a one-page A4 brief; every export
// carries the same stamp.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertClean,
  cardKpis,
  download,
  eventually,
  launch,
  openPage,
  presetScenario,
  simulateWithCli,
  slider,
  textField,
  waitForAddress,
} from './helpers.mjs';

let browser;
let dir;

before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'delever-modes-'));
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});


/** The region year-ends the example portal shows, as `{ year: npl }` from its rows. */
async function portalRows(page) {
  return page.$$eval('#year-ends tr', (rows) => rows.map((row) => [row.dataset.year, row.dataset.npl]));
}

describe('embedded in a portal page (www/embed-example.html)', () => {
  test('the portal sends a scenario and shows the year-ends the frame answers with', async () => {
    const opened = await openPage(browser, { path: 'embed-example.html', waitForReady: false });
    const { page } = opened;
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const frame = page.frameLocator('#delever');
    // Compact: no page chrome, only the levers the portal chose (in its order), results and two charts.
    await frame.locator('[data-kpi="npl_ratio"]').first().waitFor();
    assert.equal(await frame.locator('.masthead').count(), 0);
    assert.equal(await frame.locator('.analyses').count(), 0);
    const levers = await frame.locator('.quick-lever').evaluateAll((els) => els.map((e) => e.dataset.lever));
    assert.deepEqual(levers, ['disposal', 'write_off_share', 'loan_growth', 'deposit_growth']);
    assert.equal(await frame.locator('canvas[data-chart]').count(), 2);

    await page.selectOption('#preset', 'chongqing-2016-2020');
    await page.fill('#disposal', '300');
    await page.click('#send');
    const scenario = presetScenario('chongqing-2016-2020');
    scenario.defaults.disposal = { plan: 'amount', amount: '300' };
    const expected = simulateWithCli(scenario).region.year_ends.map((y) => [String(y.year), y.npl]);
    await eventually(async () => assert.deepEqual(await portalRows(page), expected), { timeout: 30_000 });
    assert.equal(await page.locator('#targets li').count(), simulateWithCli(scenario).targets.length);

    // A bad value is refused with the field named; the frame keeps its last good result.
    await page.fill('#disposal', 'abc');
    await page.click('#send');
    await eventually(async () => {
      const errors = await page.locator('#errors').textContent();
      assert.match(errors, /defaults\.disposal\.amount/);
    });
    assert.deepEqual(await portalRows(page), expected);

    // A same-origin portal calls the engine directly: ready() fetches its module, then simulate answers.
    await page.fill('#disposal', '300');
    await page.click('#direct');
    await eventually(
      async () => assert.equal(await page.locator('#direct-result').getAttribute('data-npl'), expected.at(-1)[1]),
      { timeout: 30_000 },
    );
    await assertClean(opened, 'portal');
    await opened.context.close();
  });

  test('a frame answers only its own parent, and names an unknown message', async () => {
    const opened = await openPage(browser, { path: 'embed-example.html', waitForReady: false });
    const { page } = opened;
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const answers = await page.evaluate(async () => {
      const frame = document.getElementById('delever');
      const got = [];
      window.addEventListener('message', (event) => got.push(event.data));
      frame.contentWindow.postMessage({ type: 'delever:launch' }, '*');
      frame.contentWindow.postMessage({ type: 'delever:load' }, '*');
      frame.contentWindow.postMessage('not json at all', '*');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return got;
    });
    const errors = answers.filter((m) => m.type === 'delever:error');
    assert.equal(errors.length, 2, JSON.stringify(answers));
    assert.match(errors[0].errors[0].message, /unknown message type delever:launch/);
    assert.match(errors[1].errors[0].message_zh, /scenario/);
    await opened.context.close();
  });
});

describe('presentation mode', () => {
  test('large, the chosen levers, PageDown/PageUp through saved scenarios, arrows move the lever, Escape leaves', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const saves = [['甲：贷款增速 9%', '9'], ['乙：贷款增速 10%', '10']];
    for (const [name, growth] of saves) {
      await textField(page, 'defaults.loan_growth').fill(growth);
      await waitForAddress(page, (s) => String(s.defaults.loan_growth) === String(Number(growth) / 100), `loan growth ${growth}%`);
      await page.fill('input[data-field="ui.save_name"]', name);
      await page.click('button[data-action="save"]');
    }
    await page.selectOption('select[data-field="ui.scenario"]', 'preset:licheng-2019');
    await page.click('button[data-action="present"]');
    await page.waitForSelector('.page.present');
    assert.equal(await page.locator('.masthead').count(), 0);
    const fontSize = await page.$eval('.page.present', (el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(fontSize >= 20, `presentation type is ${fontSize}px`);

    const expectLoanGrowth = async (percent) => {
      const scenario = presetScenario('licheng-2019');
      scenario.defaults.loan_growth = String(percent / 100);
      const expected = simulateWithCli(scenario).region.year_ends[0];
      await eventually(async () => assert.equal((await cardKpis(page)).loans, expected.loans));
    };
    await page.keyboard.press('PageDown');
    await eventually(async () => assert.equal(await page.locator('[data-present="position"]').textContent(), '1 / 2'));
    assert.match(await page.locator('[data-present="caption"]').textContent(), /甲：贷款增速 9%.*贷款增速：8\.5% → 9%/);
    await expectLoanGrowth(9);
    await page.keyboard.press('PageDown');
    await eventually(async () => assert.equal(await page.locator('[data-present="position"]').textContent(), '2 / 2'));
    await expectLoanGrowth(10);
    await page.keyboard.press('PageUp');
    await eventually(async () => assert.equal(await page.locator('[data-present="position"]').textContent(), '1 / 2'));
    await expectLoanGrowth(9);

    // Arrows move the focused lever: one step of the slider (0.1 percentage point).
    const loanSlider = slider(page, 'defaults.loan_growth');
    await loanSlider.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.equal(await textField(page, 'defaults.loan_growth').inputValue(), '9.1'));
    await expectLoanGrowth(9.1);
    // And from the lever's number field, up and down arrows step it the same way.
    await textField(page, 'defaults.loan_growth').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await eventually(async () => assert.equal(await textField(page, 'defaults.loan_growth').inputValue(), '9.2'));
    await expectLoanGrowth(9.2);

    await page.keyboard.press('Escape');
    await page.waitForSelector('.masthead');
    await assertClean(opened, 'presentation');
    await opened.context.close();
  });
});

describe('print and the stamp', () => {
  for (const preset of ['licheng-2019', 'chongqing-2016-2020']) {
    test(`the brief of ${preset} is one A4 page with the stamp`, async () => {
      const opened = await openPage(browser);
      const { page } = opened;
      if (preset !== 'licheng-2019') {
        await page.selectOption('select[data-field="ui.scenario"]', `preset:${preset}`);
        await page.waitForFunction((name) => document.querySelector('.scenario-name')?.textContent === name, presetScenario(preset).name);
      }
      // One year's lever in a five-year plan, the only one in a one-year plan.
      const path = preset === 'licheng-2019' ? 'defaults.loan_growth' : 'defaults.loan_growth[0]';
      await textField(page, path).fill('9');
      await waitForAddress(page, (s) => String([s.defaults.loan_growth].flat()[0]) === '0.09', 'loan growth 9%');
      // The print button opens the browser's print (recorded here instead of a dialog).
      await page.evaluate(() => {
        window.print = () => {
          window.__printed = (window.__printed ?? 0) + 1;
        };
      });
      await page.click('button[data-action="print"]');
      assert.equal(await page.evaluate(() => window.__printed), 1);

      await page.emulateMedia({ media: 'print' });
      const brief = page.locator('.brief');
      assert.ok(await brief.isVisible(), 'the brief shows in print');
      assert.equal(await page.locator('.levers').isVisible(), false, 'the levers do not print');
      const text = await brief.textContent();
      const scenario = presetScenario(preset);
      for (const part of [scenario.name, '主要假设', '年末结果', '目标检查', '贷款增速', '→ 9%', 'Delever 模型', `期初数据截至 ${scenario.start} 末`, '#scenario=']) {
        assert.ok(text.includes(part), `the brief lacks “${part}”`);
      }
      const charts = await page.locator('.chart-card').evaluateAll((cards) =>
        cards.filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.dataset.chartCard));
      assert.deepEqual(charts, ['npl_ratio', 'balances']);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
      assert.equal(pages.length, 1, `the brief takes ${pages.length} pages`);
      await page.emulateMedia({ media: 'screen' });
      await opened.context.close();
    });
  }

  test('the browser’s own print builds the brief, and it is dropped after', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    // On screen the brief is never shown, so it is not built until someone prints.
    assert.equal(await page.locator('.brief').count(), 0, 'the brief is built before printing');
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.locator('.brief').waitFor({ state: 'attached' });
    assert.ok((await page.locator('.brief').textContent()).includes('Delever 模型'), 'the brief lacks its stamp');
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.locator('.brief').waitFor({ state: 'detached' });
    await opened.context.close();
  });

  test('the CSV, the PNG and the workbook carry the stamp', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const link = await page.evaluate(() => location.href.split('#')[0]);
    const csv = await download(page, 'button[data-action="export-csv"]', dir);
    const first = csv.bytes.toString('utf8').split('\r\n')[0];
    assert.match(first, /^\uFEFF?"?Delever 模型 \S+ · 期初数据截至 2018-12 末 · /);
    assert.ok(first.includes(`${link}#scenario=`), first);

    const png = await download(page, 'button[data-action="png-npl_ratio"]', dir);
    assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
    const chunk = png.bytes.indexOf(Buffer.from('iTXtComment\0\0\0\0\0', 'latin1'));
    assert.ok(chunk > 0, 'the PNG has the stamp chunk');
    const length = png.bytes.readUInt32BE(chunk - 4);
    const stamp = png.bytes.subarray(chunk + 4 + 12, chunk + 4 + length).toString('utf8');
    assert.equal(stamp, first.replace(/^\uFEFF/, '').replace(/^"|"$/g, ''));
    await assertClean(opened, 'exports');
    await opened.context.close();
  });
});
