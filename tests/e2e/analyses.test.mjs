// The analysis panels as a person uses them: each panel's answer is exactly the command
// line's (`goal-seek`, `sensitivity`, `feasibility`, `monte-carlo`) for the same scenario;
// a goal-seek boundary and a map cell apply with one click; a lever move cancels a
// stale run and the answer follows the new scenario; wrong Monte Carlo settings are
// explained in place; saved scenarios compare side by side.
//
// Every test runs in a fresh browser context and ends by checking that the page logged
// no error, threw nothing, and requested nothing from another origin.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertClean,
  assertCompareLichengAB,
  cardKpis,
  cliJson,
  eventually,
  launch,
  openPage,
  presetPath,
  presetScenario,
  simulateWithCli,
  textField,
  waitForAddress,
} from './helpers.mjs';

const LICHENG = 'licheng-2019';

/** The command line's `--format json` answer of `command` on a scenario object, parsed. */
function cliAnswer(command, scenario, ...args) {
  const dir = mkdtempSync(join(tmpdir(), 'delever-e2e-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario, null, 2));
    return JSON.parse(cliJson(command, file, ...args, '--format', 'json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens panel `panel` and waits for its fresh answer; returns the answer's JSON, parsed. */
async function openPanel(page, panel) {
  await page.click(`button[data-panel="${panel}"]`);
  return freshAnswer(page, panel);
}

/** Waits for the fresh (not stale) answer of `panel`; returns its JSON, parsed. */
async function freshAnswer(page, panel, timeout = 60_000) {
  const answer = page.locator(`.answer[data-analysis="${panel}"][data-fresh="true"]`);
  await answer.waitFor({ state: 'attached', timeout });
  return JSON.parse(await answer.getAttribute('data-json'));
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('analysis panels', () => {
  test('each panel shows exactly the command line’s answer for Licheng', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const file = presetPath(LICHENG);
    const goal = await openPanel(page, 'goal-seek');
    assert.deepEqual(goal, JSON.parse(cliJson('goal-seek', file, '--lever', 'write_off_share', '--format', 'json')));
    const tornado = await openPanel(page, 'sensitivity');
    assert.deepEqual(tornado, JSON.parse(cliJson('sensitivity', file, '--metric', 'npl_ratio', '--format', 'json')));
    const bars = await page.locator('.tornado-table tbody tr').count();
    assert.equal(bars, tornado.bars.length);
    const map = await openPanel(page, 'feasibility');
    assert.deepEqual(
      map,
      JSON.parse(cliJson('feasibility', file, '--x', 'disposal', '--y', 'write_off_share', '--steps', '41', '--format', 'json')),
    );
    assert.equal(map.cells.length, 41);
    const mc = await openPanel(page, 'monte-carlo');
    assert.deepEqual(
      mc,
      JSON.parse(cliJson('monte-carlo', file, '--paths', '1000', '--seed', '42', '--cv', '0.25', '--format', 'json')),
    );
    // The probabilities shown are the answer's.
    for (const { id, probability } of mc.targets) {
      const shown = await page.locator(`.mc-targets tr[data-target="${id}"] td`).getAttribute('data-probability');
      assert.equal(shown, probability, `probability of ${id}`);
    }
    // Every analysis canvas was drawn.
    for (const panel of ['sensitivity', 'feasibility', 'monte-carlo']) {
      await page.click(`button[data-panel="${panel}"]`);
      await eventually(async () => {
        const drawn = await page.locator('.analysis-chart canvas').getAttribute('data-rendered');
        assert.ok(Number(drawn) > 0, `${panel} chart not drawn`);
      });
    }
    await assertClean(opened);
    await opened.context.close();
  });

  test('on one worker and on a pool of three, the map and Monte Carlo are the command line’s answers', async () => {
    const file = presetPath(LICHENG);
    const map = JSON.parse(cliJson('feasibility', file, '--x', 'disposal', '--y', 'write_off_share', '--steps', '41', '--format', 'json'));
    const mc = JSON.parse(cliJson('monte-carlo', file, '--paths', '1000', '--seed', '42', '--cv', '0.25', '--format', 'json'));
    for (const workers of [1, 3]) {
      const opened = await openPage(browser, { path: `?workers=${workers}` });
      const { page } = opened;
      assert.deepEqual(await openPanel(page, 'feasibility'), map, `map on ${workers}`);
      assert.deepEqual(await openPanel(page, 'monte-carlo'), mc, `Monte Carlo on ${workers}`);
      // The pool is the engine's worker and its helpers: as many workers as asked for.
      assert.equal(page.workers().length, workers, `${workers} workers started`);
      await assertClean(opened);
      await opened.context.close();
    }
  });

  test('the least disposal that meets every target applies with one click and meets them', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.click('button[data-panel="goal-seek"]');
    await page.selectOption('select[data-field="analysis.goal.lever"]', 'disposal');
    const goal = await freshAnswer(page, 'goal-seek');
    assert.equal(goal.lever, 'disposal');
    assert.deepEqual(goal, JSON.parse(cliJson('goal-seek', presetPath(LICHENG), '--lever', 'disposal', '--format', 'json')));
    assert.ok(goal.intervals.length > 0, 'Licheng has a feasible disposal range');
    const apply = page.locator('.goal-intervals button[data-action="apply-lower"]').first();
    const value = await apply.getAttribute('data-value');
    await apply.click();
    await eventually(async () => assert.equal(await textField(page, 'defaults.disposal.amount').inputValue(), value));
    // Every target is met at that value, and the numbers are the command line's.
    await eventually(async () => {
      const unmet = await page.locator('.targets [data-met="false"]').count();
      assert.equal(unmet, 0, 'a target is not met at the applied boundary');
    });
    const scenario = presetScenario(LICHENG);
    scenario.defaults.disposal = { plan: 'amount', amount: value };
    const entry = simulateWithCli(scenario).region.year_ends[0];
    const cards = await cardKpis(page);
    assert.equal(cards.npl, entry.npl);
    await assertClean(opened);
    await opened.context.close();
  });

  test('an infeasible goal is explained by the targets that pull apart', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    // At 3% formation no disposal meets every Licheng target.
    await textField(page, 'defaults.npl_formation_rate').fill('3');
    const { scenario } = await waitForAddress(page, (s) => String(s.defaults.npl_formation_rate) === '0.03', '3% formation');
    await page.click('button[data-panel="goal-seek"]');
    await page.selectOption('select[data-field="analysis.goal.lever"]', 'disposal');
    const goal = await freshAnswer(page, 'goal-seek');
    assert.deepEqual(goal, cliAnswer('goal-seek', scenario, '--lever', 'disposal'));
    assert.deepEqual(goal.intervals, []);
    const text = await page.locator('.goal-none').innerText();
    assert.match(text, /没有任何取值/, text);
    assert.match(text, /原因：/, text);
    // Each target on its own is listed with its own range.
    assert.equal(await page.locator('.goal-each tbody tr').count(), goal.targets.length);
    await assertClean(opened);
    await opened.context.close();
  });

  test('a lever move cancels the running map; the answer follows the new scenario', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.click('button[data-panel="feasibility"]');
    // Move a lever at once, while the first map is still running.
    await textField(page, 'defaults.loan_growth').fill('3');
    const { scenario } = await waitForAddress(page, (s) => String(s.defaults.loan_growth) === '0.03', 'loan growth 3%');
    const map = await freshAnswer(page, 'feasibility');
    const expected = cliAnswer('feasibility', scenario, '--x', 'disposal', '--y', 'write_off_share', '--steps', '41');
    assert.deepEqual(map, expected);
    await assertClean(opened);
    await opened.context.close();
  });

  test('clicking a map cell applies both of its lever values', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.click('button[data-panel="feasibility"]');
    await page.selectOption('select[data-field="analysis.map.steps"]', '11');
    const map = await freshAnswer(page, 'feasibility');
    const canvas = page.locator('.analysis-chart canvas');
    const box = await canvas.boundingBox();
    // The middle of the canvas is inside the grid.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const readout = page.locator('.map-readout[data-cell]');
    await readout.waitFor({ state: 'attached' });
    const [i, j] = (await readout.getAttribute('data-cell')).split(',').map(Number);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const x = map.x.values[i];
    const y = map.y.values[j];
    await eventually(async () => {
      const { scenario } = await waitForAddress(page, (s) => s.defaults.disposal.amount === x, `disposal ${x}`);
      assert.equal(scenario.defaults.channels.write_off, y);
    });
    await assertClean(opened);
    await opened.context.close();
  });

  test('Monte Carlo settings: the same seed gives the same answer; a wrong value is explained', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await openPanel(page, 'monte-carlo');
    await page.fill('input[data-field="analysis.mc.paths"]', '200');
    await page.fill('input[data-field="analysis.mc.seed"]', '7');
    await page.fill('input[data-field="analysis.mc.cv"]', '40');
    const mc = await eventually(async () => {
      const answer = await freshAnswer(page, 'monte-carlo');
      assert.equal(answer.paths, 200);
      assert.equal(answer.seed, 7);
      return answer;
    });
    assert.deepEqual(
      mc,
      JSON.parse(cliJson('monte-carlo', presetPath(LICHENG), '--paths', '200', '--seed', '7', '--cv', '0.4', '--format', 'json')),
    );
    await page.fill('input[data-field="analysis.mc.paths"]', '0');
    const error = page.locator('p.field-error[data-error-for="analysis.mc.paths"]');
    await error.waitFor();
    assert.match(await error.innerText(), /1.*100000/);
    // The last answer stays, marked stale.
    assert.equal(await page.locator('.answer[data-analysis="monte-carlo"]').getAttribute('data-fresh'), 'false');
    await assertClean(opened);
    await opened.context.close();
  });

  test('saved scenarios compare side by side, each with the command line’s numbers', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await assertCompareLichengAB(page);
    await assertClean(opened);
    await opened.context.close();
  });
});
