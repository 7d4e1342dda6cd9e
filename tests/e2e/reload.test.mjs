// The last good state survives a reload in the middle of an edit: a valid edit, then an
// invalid one in another field, then a reload before anything else. After the reload the
// valid edit is still there, the invalid text is in its field exactly as typed with its
// message (the field's name and what is allowed), the results are marked stale, and the
// numbers shown are the last good ones: the command line's `simulate` of the scenario with
// the valid edit only. A reload in the middle of typing (keystrokes, no blur) keeps the
// text as typed too.
//
// Every test runs in a fresh browser context (empty storage) and ends by checking that
// the page logged no error, threw nothing, and requested nothing from another origin.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  assertCardsMatch,
  assertClean,
  cardKpis,
  eventually,
  launch,
  openPage,
  presetScenario,
  simulateWithCli,
  textField,
  waitForAddress,
  waitUntilReady,
} from './helpers.mjs';

const LICHENG = 'licheng-2019';

/** The Licheng preset with `edit(defaults)` applied, simulated by the command line: its 2019 year-end. */
function lichengYearEnd(edit) {
  const scenario = presetScenario(LICHENG);
  edit(scenario.defaults);
  const entry = simulateWithCli(scenario).region.year_ends.find((y) => y.year === 2019);
  assert.ok(entry, 'the command line has no 2019 year-end for Licheng');
  return entry;
}

/** The message under the field at `path`, once it is there. */
async function fieldError(page, path) {
  const error = page.locator(`p.field-error[data-error-for="${path}"]`);
  await error.waitFor();
  return (await error.textContent()).trim();
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('a reload in the middle of an edit', () => {
  // Typed text that is not a number, and a number out of range: each is kept as typed,
  // with a message that names the field and says what is allowed.
  for (const { typed, allowed } of [
    { typed: 'abc', allowed: /请输入百分比/ },
    { typed: '-500', allowed: /允许 -50% … 100%/ },
  ]) {
    test(`a valid edit, then “${typed}” in loan growth, then a reload: the last good numbers and the text as typed`, async () => {
      const opened = await openPage(browser);
      const { page } = opened;
      const opening = lichengYearEnd(() => {});
      const good = lichengYearEnd((d) => {
        d.deposit_growth = '0.06';
      });
      assert.notEqual(good.deposits, opening.deposits, 'the valid edit must change the numbers');

      // The valid edit: the projection follows it.
      await textField(page, 'defaults.deposit_growth').fill('6');
      await eventually(async () => assert.equal((await cardKpis(page)).deposits, good.deposits));
      await assertCardsMatch(page, good, 'after the valid edit');

      // The invalid edit: its message names the field and says what is allowed; the numbers stay.
      await textField(page, 'defaults.loan_growth').fill(typed);
      const message = await fieldError(page, 'defaults.loan_growth');
      assert.match(message, /^贷款增速：/, `the message does not name the field: ${message}`);
      assert.match(message, allowed, `the message does not say what is allowed: ${message}`);
      await page.locator('section.results[data-stale="true"]').waitFor();
      await assertCardsMatch(page, good, 'while the edit is invalid');

      // At once, before anything else.
      await page.reload();
      await waitUntilReady(page);

      assert.equal(await textField(page, 'defaults.deposit_growth').inputValue(), '6', 'the valid edit is lost');
      assert.equal(await textField(page, 'defaults.loan_growth').inputValue(), typed, 'the typed text is lost');
      assert.equal(await fieldError(page, 'defaults.loan_growth'), message, 'the message changed');
      assert.equal(await textField(page, 'defaults.loan_growth').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('section.results[data-stale="true"]').count(), 1, 'the results are not marked stale');
      await assertCardsMatch(page, good, 'after the reload (the last good numbers)');

      // Fixing the field brings the page back to life with both edits.
      await textField(page, 'defaults.loan_growth').fill('9');
      const both = lichengYearEnd((d) => {
        d.deposit_growth = '0.06';
        d.loan_growth = '0.09';
      });
      await eventually(async () => assert.equal((await cardKpis(page)).loans, both.loans));
      await assertCardsMatch(page, both, 'after the fix');
      await assertClean(opened);
      await opened.context.close();
    });
  }

  test('a reload in the middle of typing keeps the keystrokes exactly', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    // As when the page has been open a moment: the address carries the opening scenario.
    await waitForAddress(page, (s) => s.defaults.loan_growth === '0.085', 'the opening scenario');
    const field = textField(page, 'defaults.loan_growth');
    await field.click();
    await field.press('Control+A');
    await field.press('Backspace');
    // "9.50", one key at a time, with no blur: a number the page reads as 9.5, shown as typed.
    await page.keyboard.type('9.50', { delay: 30 });
    await eventually(async () => {
      const draft = await page.evaluate(() => JSON.parse(localStorage.getItem('delever.draft')));
      assert.equal(draft?.doc?.defaults?.loan_growth, '0.095', 'the draft does not have the edit yet');
    });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-field')), 'defaults.loan_growth');

    await page.reload();
    await waitUntilReady(page);

    assert.equal(await field.inputValue(), '9.50', 'the text as typed is lost');
    const expected = lichengYearEnd((d) => {
      d.loan_growth = '0.095';
    });
    await assertCardsMatch(page, expected, 'after the reload');

    // Half a number: "7." is kept as typed too (the page reads it as 7).
    await field.click();
    await field.press('Control+A');
    await field.press('Backspace');
    await page.keyboard.type('7.', { delay: 30 });
    await eventually(async () => {
      const draft = await page.evaluate(() => JSON.parse(localStorage.getItem('delever.draft')));
      assert.equal(draft?.doc?.defaults?.loan_growth, '0.07');
    });
    await page.reload();
    await waitUntilReady(page);
    assert.equal(await field.inputValue(), '7.', 'the half-typed number is lost');
    await assertCardsMatch(
      page,
      lichengYearEnd((d) => {
        d.loan_growth = '0.07';
      }),
      'after the second reload',
    );
    await assertClean(opened);
    await opened.context.close();
  });
});
