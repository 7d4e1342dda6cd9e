// The simulator as a person uses it: levers move the numbers (exactly the command line's),
// a wrong value is explained in place while the last good numbers stay, edits survive a
// reload, a copied link reproduces the view elsewhere, the language is remembered, the
// channel mix keeps 100%, an embedding page drives it by postMessage, and files import.
//
// Every test runs in a fresh browser context (empty storage) and ends by checking that
// the page logged no error, threw nothing, and requested nothing from another origin.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  allKpis,
  assertCardsMatch,
  assertClean,
  baseUrl,
  cardKpis,
  eventually,
  launch,
  openPage,
  origin,
  presetScenario,
  presetText,
  simulateWithCli,
  slider,
  textField,
  waitForAddress,
  waitUntilReady,
} from './helpers.mjs';

const LICHENG = 'licheng-2019';
const YANGJIANG = 'yangjiang-2016-2018';
const CHONGQING = 'chongqing-2016-2020';

/** The Licheng preset with `defaults[key]` set to `value`, simulated by the command line: its 2019 year-end. */
function lichengYearEnd(key, value) {
  const scenario = presetScenario(LICHENG);
  scenario.defaults[key] = value;
  const entry = simulateWithCli(scenario).region.year_ends.find((y) => y.year === 2019);
  assert.ok(entry, 'the command line has no 2019 year-end for Licheng');
  return entry;
}

/** Waits until the card of `metric` shows exactly `expected`. */
async function waitForKpi(page, metric, expected) {
  await eventually(async () => {
    const value = await page.locator(`.card.kpi [data-kpi="${metric}"]`).getAttribute('data-value');
    assert.equal(value, expected, `data-kpi="${metric}"`);
  });
}

/** Waits until the text field of `path` shows `expected`. */
async function waitForText(page, path, expected) {
  await eventually(async () => assert.equal(await textField(page, path).inputValue(), expected, `field ${path}`));
}

/** Waits until the field of `path` shows an error containing every one of `parts`; returns its text. */
async function waitForError(page, path, ...parts) {
  return eventually(async () => {
    const error = page.locator(`p.field-error[data-error-for="${path}"]`);
    assert.equal(await error.count(), 1, `no message for ${path}`);
    const text = (await error.textContent()).trim();
    for (const part of parts) {
      assert.ok(text.includes(part), `the message for ${path} is "${text}", without "${part}"`);
    }
    return text;
  });
}

describe('the simulator in use', () => {
  let browser;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  /** Opens the page in a new context, closed when the test ends. */
  async function open(t, options) {
    const opened = await openPage(browser, options);
    t.after(() => opened.context.close());
    return opened;
  }

  test('moving the loan-growth slider to 10 gives the command line’s loans for 10%', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const expected = lichengYearEnd('loan_growth', '0.1');
    const before = await cardKpis(page);
    assert.notEqual(before.loans, expected.loans, 'the preset already shows the expected loans');

    await slider(page, 'defaults.loan_growth').fill('10');

    await waitForKpi(page, 'loans', expected.loans);
    await waitForText(page, 'defaults.loan_growth', '10');
    assert.equal(await slider(page, 'defaults.loan_growth').inputValue(), '10');
    // Not just loans: every card is the command line's year-end for the edited scenario.
    await assertCardsMatch(page, expected, 'after the slider move');
    assert.equal(await page.locator('[data-stale="true"]').count(), 0);
    await assertClean(opened);
  });

  test('an invalid value is explained in place, the last numbers stay, and the message follows the language', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const before = await allKpis(page);
    const field = textField(page, 'defaults.loan_growth');

    await field.fill('150');

    const zh = await waitForError(page, 'defaults.loan_growth', '150%', '超出范围');
    t.diagnostic(`zh: ${zh}`);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.inputValue(), '150', 'the text as typed is kept');
    await eventually(async () => assert.equal(await page.locator('section.results[data-stale="true"]').count(), 1));
    const banner = page.locator('.stale-banner[data-stale="true"]');
    assert.match(await banner.textContent(), /[\u4e00-\u9fff]/, 'the stale banner is not in Chinese');
    assert.deepEqual(await allKpis(page), before, 'the numbers changed while the edit is invalid');

    await page.locator('button[data-action="toggle-lang"]').click();

    const en = await waitForError(page, 'defaults.loan_growth', '150%', 'out of range');
    t.diagnostic(`en: ${en}`);
    assert.ok(!/[\u4e00-\u9fff]/.test(en), `the English message has Chinese in it: ${en}`);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('section.results[data-stale="true"]').count(), 1);
    assert.doesNotMatch(await banner.textContent(), /[\u4e00-\u9fff]/, 'the stale banner is not in English');
    assert.deepEqual(await allKpis(page), before, 'switching the language changed the numbers');
    await assertClean(opened);
  });

  test('a valid edit survives a reload', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const expected = lichengYearEnd('deposit_growth', '0.06');

    await textField(page, 'defaults.deposit_growth').fill('6');
    await waitForKpi(page, 'deposits', expected.deposits);
    // The page writes the address 200 ms after the last edit; a reload reopens the address.
    await waitForAddress(page, (s) => s.defaults.deposit_growth === '0.06');

    await page.reload();
    await waitUntilReady(page);

    await waitForText(page, 'defaults.deposit_growth', '6');
    await waitForKpi(page, 'deposits', expected.deposits);
    await assertCardsMatch(page, expected, 'after the reload');
    await assertClean(opened);
  });

  test(
    'a valid edit survives a reload that comes at once',
    async (t) => {
      const opened = await open(t);
      const { page } = opened;
      const expected = lichengYearEnd('deposit_growth', '0.06');
      // As when the page has been open a moment: the address carries the opening scenario.
      await waitForAddress(page, (s) => s.defaults.deposit_growth === '0.052', 'the opening scenario');
      await textField(page, 'defaults.deposit_growth').fill('6');
      await waitForKpi(page, 'deposits', expected.deposits);
      // At once: before the edit settles and the draft is written, so the page writes it as
      // it is left (pagehide).
      await page.reload();
      await waitUntilReady(page);

      assert.equal(await textField(page, 'defaults.deposit_growth').inputValue(), '6', 'the edit is lost');
      assert.equal(await cardKpis(page).then((c) => c.deposits), expected.deposits);
      await assertClean(opened);
    },
  );

  /**
   * Types `abc` into loan growth and checks the draft keeps it; returns the message shown
   * and the numbers on screen (the last valid ones).
   */
  async function typeInvalidLoanGrowth(page) {
    // As when the page has been open a moment: the address carries the opening scenario.
    await waitForAddress(page, (s) => s.defaults.loan_growth === '0.085', 'the opening scenario');
    const before = await allKpis(page);
    await textField(page, 'defaults.loan_growth').fill('abc');
    const message = await waitForError(page, 'defaults.loan_growth', 'abc');
    // The draft is written once the edit settles (a few hundred ms).
    const kept = await page
      .waitForFunction(() => JSON.parse(localStorage.getItem('delever.draft'))?.doc?.defaults?.loan_growth === 'abc', null, { timeout: 5_000 })
      .then(() => true, () => false);
    assert.ok(kept, 'the draft does not keep the text as typed');
    return { before, message };
  }

  /**
   * The page, just opened, shows `abc` in loan growth with `message`, stale, and the
   * numbers `before`. (The first render is the restored state: no waiting needed.)
   */
  async function assertInvalidLoanGrowthShown(page, { before, message }) {
    assert.equal(await textField(page, 'defaults.loan_growth').inputValue(), 'abc', 'the typed text is lost');
    const error = page.locator('p.field-error[data-error-for="defaults.loan_growth"]');
    assert.equal(await error.count(), 1, 'the message is lost');
    assert.equal((await error.textContent()).trim(), message);
    assert.equal(await textField(page, 'defaults.loan_growth').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('section.results[data-stale="true"]').count(), 1);
    assert.deepEqual(await allKpis(page), before, 'the last valid numbers are not shown');
  }

  test('an invalid edit is kept in the draft: the page’s plain address reopens it with its message', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const shown = await typeInvalidLoanGrowth(page);

    // The address without #scenario= (a bookmark, a new tab): the draft is all there is.
    await page.goto(baseUrl());
    await waitUntilReady(page);

    await assertInvalidLoanGrowthShown(page, shown);
    await assertClean(opened);
  });

  test(
    'an invalid edit survives a reload, with its message',
    async (t) => {
      const opened = await open(t);
      const { page } = opened;
      const shown = await typeInvalidLoanGrowth(page);

      await page.reload();
      await waitUntilReady(page);

      await assertInvalidLoanGrowthShown(page, shown);
      await assertClean(opened);
    },
  );

  test(
    'a reload keeps the baseline: the changes list and Reset still refer to the preset',
    async (t) => {
      const opened = await open(t);
      const { page } = opened;
      await textField(page, 'defaults.deposit_growth').fill('6');
      const changed = page.locator('[data-changed="defaults.deposit_growth"]');
      await eventually(async () => assert.equal(await changed.count(), 1));
      await waitForAddress(page, (s) => s.defaults.deposit_growth === '0.06');

      await page.reload();
      await waitUntilReady(page);

      assert.equal(await textField(page, 'defaults.deposit_growth').inputValue(), '6');
      assert.equal(await changed.count(), 1, 'the changes list lost the edit');
      await page.locator('button[data-action="reset"]').click();
      await waitForText(page, 'defaults.deposit_growth', '5.2');
      await assertClean(opened);
    },
  );

  test('a copied link reproduces the view in a fresh browser profile', async (t) => {
    const first = await open(t);
    const expected = lichengYearEnd('loan_growth', '0.1');

    await slider(first.page, 'defaults.loan_growth').fill('10');
    await waitForKpi(first.page, 'loans', expected.loans);
    const { href } = await waitForAddress(first.page, (s) => s.defaults.loan_growth === '0.1');
    assert.match(href, /#scenario=[A-Za-z0-9_-]+$/);
    const shown = await allKpis(first.page);

    // A new context is a new profile: nothing in storage, nothing cached.
    const second = await open(t, { path: href });
    await waitForText(second.page, 'defaults.loan_growth', '10');
    assert.deepEqual(await allKpis(second.page), shown);
    await assertCardsMatch(second.page, expected, 'the linked page');
    assert.equal(await second.page.locator('[data-stale="true"]').count(), 0);
    await assertClean(first, 'first context');
    await assertClean(second, 'second context');
  });

  test('the page is Chinese by default and remembers English across a reload', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.locator('.page').getAttribute('lang'), 'zh-CN');
    assert.ok((await page.locator('body').innerText()).includes('不良贷款率'));

    await page.locator('button[data-action="toggle-lang"]').click();
    await eventually(async () => assert.equal(await page.locator('.page').getAttribute('lang'), 'en'));
    assert.equal(await page.evaluate(() => localStorage.getItem('delever.lang')), 'en');
    assert.ok((await page.locator('body').innerText()).includes('NPL ratio'));

    await page.reload();
    await waitUntilReady(page);

    assert.equal(await page.locator('.page').getAttribute('lang'), 'en');
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('NPL ratio'), 'the reloaded page is not in English');
    assert.ok(!text.includes('不良贷款率'), 'the reloaded page still shows the Chinese metric name');

    // And back: Chinese is remembered too.
    await page.locator('button[data-action="toggle-lang"]').click();
    await eventually(async () => assert.equal(await page.locator('.page').getAttribute('lang'), 'zh-CN'));
    assert.equal(await page.evaluate(() => localStorage.getItem('delever.lang')), 'zh');
    await assertClean(opened);
  });

  test('the channel mix keeps 100%: write-off 70 leaves collection 12 and transfer 18', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const channel = (name) => textField(page, `defaults.channels.${name}`);
    assert.deepEqual(
      [await channel('collection').inputValue(), await channel('write_off').inputValue(), await channel('transfer').inputValue()],
      ['20', '50', '30'],
    );

    await channel('write_off').fill('70');

    await waitForText(page, 'defaults.channels.collection', '12');
    await waitForText(page, 'defaults.channels.write_off', '70');
    await waitForText(page, 'defaults.channels.transfer', '18');
    const others = ['securitization', 'debt_equity', 'foreclosure', 'upgrade'];
    for (const name of others) {
      assert.equal(await channel(name).inputValue(), '0', name);
    }
    // The scenario is valid and the numbers are the command line's for 12 / 70 / 18.
    assert.equal(await page.locator('[data-stale="true"]').count(), 0);
    assert.equal(await page.locator('p.field-error').count(), 0);
    const scenario = presetScenario(LICHENG);
    scenario.defaults.channels = { collection: '0.12', write_off: '0.7', transfer: '0.18' };
    const expected = simulateWithCli(scenario).region.year_ends[0];
    await waitForKpi(page, 'write_off_share', expected.write_off_share);
    await assertCardsMatch(page, expected, 'after the channel move');
    await assertClean(opened);
  });

  test('an embedding page loads a scenario by postMessage and gets the result back', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const chongqing = presetScenario(CHONGQING);
    const expected = simulateWithCli(chongqing).region.year_ends;

    const received = await page.evaluate(
      async ({ url, scenario, timeout }) => {
        const iframe = document.createElement('iframe');
        iframe.src = url;
        const results = [];
        let onResult = () => {};
        window.addEventListener('message', (event) => {
          if (event.source === iframe.contentWindow && event.data && event.data.type === 'delever:result') {
            results.push({ origin: event.origin, data: event.data });
            onResult();
          }
        });
        const until = (predicate, what) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeout} ms`)), timeout);
            onResult = () => {
              const found = results.find(predicate);
              if (found) {
                clearTimeout(timer);
                resolve(found);
              }
            };
            onResult();
          });
        document.body.append(iframe);
        // The frame posts its opening result once it runs (and listens) ...
        const first = await until(() => true, 'first delever:result');
        // ... then is told to load Chongqing.
        iframe.contentWindow.postMessage({ type: 'delever:load', scenario }, location.origin);
        const loaded = await until((r) => r.data.year_ends && r.data.year_ends.length === 5, 'five-year delever:result');
        return { first, loaded, count: results.length };
      },
      { url: baseUrl(), scenario: chongqing, timeout: 60_000 },
    );

    assert.equal(received.first.origin, origin());
    assert.equal(received.first.data.year_ends.length, 1, 'the frame opens on Licheng (one year)');
    const yearEnds = received.loaded.data.year_ends;
    assert.equal(received.loaded.origin, origin());
    assert.equal(yearEnds.length, 5);
    assert.deepEqual(
      yearEnds.map((y) => y.year),
      expected.map((y) => y.year),
    );
    const y2020 = yearEnds.find((y) => y.year === 2020);
    assert.equal(y2020.npl_ratio, expected.find((y) => y.year === 2020).npl_ratio);
    // The whole message is the command line's year-ends, metric for metric.
    assert.deepEqual(yearEnds, expected);
    // The frame shows Chongqing too.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'the frame is gone');
    await eventually(async () => assert.equal((await frame.$$('select[data-field="ui.year"] option')).length, 5));
    await assertClean(opened);
  });

  test('importing a scenario file shows its numbers; a file that is not JSON changes nothing', async (t) => {
    const opened = await open(t);
    const { page } = opened;
    const expected = simulateWithCli(presetScenario(YANGJIANG)).region.year_ends;
    const input = page.locator('input[type=file][data-field="ui.import"]');

    await input.setInputFiles({
      name: `${YANGJIANG}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(presetText(YANGJIANG)),
    });

    const years = page.locator('select[data-field="ui.year"]');
    await eventually(async () => assert.equal(await years.locator('option').count(), 3));
    assert.deepEqual(
      await years.locator('option').allTextContents(),
      expected.map((y) => String(y.year)),
    );
    assert.equal(await years.inputValue(), '0', 'the first year is selected');
    await eventually(() => assertCardsMatch(page, expected[0], 'imported Yangjiang'));
    assert.equal(await page.locator('.load-problem').count(), 0);
    const imported = await allKpis(page);

    await input.setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('these are my notes, not a scenario\n'),
    });

    const problem = page.locator('.load-problem');
    await eventually(async () => assert.equal(await problem.count(), 1));
    t.diagnostic(`load problem: ${(await problem.textContent()).trim()}`);
    assert.ok((await problem.textContent()).trim().length > 0);
    assert.deepEqual(await allKpis(page), imported, 'the numbers changed');
    assert.equal(await years.locator('option').count(), 3);
    await assertCardsMatch(page, expected[0], 'after the bad file');
    await assertClean(opened);
  });
});
