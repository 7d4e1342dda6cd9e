// Targets divided among the banks and the assessment's scores (MODEL.md sections 10 and 12,
// v2): the page's `data-decomposition` and `data-assessment` hold exactly the command line's
// JSON, follow a lever move, and the table's rows appear when the section is opened.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertClean,
  cliJson,
  download,
  eventually,
  fragment,
  launch,
  openPage,
  presetPath,
  presetScenario,
  simulateWithCli,
  textField,
  waitForAddress,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});


/** The page's decomposition JSON, parsed. */
async function shownDecomposition(page) {
  return JSON.parse(await page.locator('[data-decomposition]').getAttribute('data-decomposition'));
}

describe('tracking through the year (MODEL.md section 9)', () => {
  test('the as-of-May preset: the tracking figures are the command line’s, for each scope', async () => {
    const scenario = presetScenario('licheng-2019-may');
    const expected = simulateWithCli(scenario);
    assert.equal(expected.as_of, '2019-05');
    const opened = await openPage(browser, { path: `index.html${fragment(scenario)}` });
    const { page } = opened;
    const figure = (field) => page.locator(`[data-kpi="tracking.${field}"]`).getAttribute('data-value');
    await eventually(async () => assert.equal(await figure('required_monthly'), expected.tracking.region.required_monthly), { timeout: 30_000 });
    for (const field of ['disposal_plan', 'disposal_to_date', 'scheduled_to_date', 'completion', 'behind', 'npl_vs_plan', 'loans_vs_plan', 'deposits_vs_plan']) {
      assert.equal(await figure(field), expected.tracking.region[field], field);
    }
    // Eight illustrative banks in five sub-districts: the rural commercial bank well behind the
    // pace, ICBC ahead of it, and the sub-district of the July exposure.
    const banks = expected.tracking.institutions;
    assert.deepEqual(Object.keys(banks).sort(), ['abc', 'boc', 'ccb', 'icbc', 'psbc', 'qzbank', 'rcb', 'village']);
    assert.ok(Number(banks.rcb.behind) > 0 && Number(banks.icbc.behind) < 0, 'rcb behind, icbc ahead');
    const scopes = [['rcb', banks.rcb], ['icbc', banks.icbc], ['zone:江南街道', expected.tracking.zones['江南街道']]];
    for (const [scope, figures] of scopes) {
      await page.selectOption('select[data-field="ui.tracking_scope"]', scope);
      await eventually(async () => {
        for (const field of ['disposal_plan', 'disposal_to_date', 'behind', 'required_monthly', 'npl_vs_plan']) {
          assert.equal(await figure(field), figures[field], `${scope} ${field}`);
        }
      });
    }
    await assertClean(opened);
    await opened.context.close();
  });
});

describe('targets divided among the banks, and the assessment', () => {
  test('Licheng: the command line’s decomposition, before and after a lever move; rows when opened', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    assert.deepEqual(await shownDecomposition(page), JSON.parse(cliJson('decompose', presetPath('licheng-2019'), '--format', 'json')));
    assert.equal(await page.locator('.decomposition table').count(), 0, 'rows only once opened');
    await textField(page, 'defaults.deposit_growth').fill('1');
    const { scenario } = await waitForAddress(page, (s) => String(s.defaults.deposit_growth) === '0.01', 'deposit growth 1%');
    const dir = mkdtempSync(join(tmpdir(), 'delever-division-'));
    try {
      writeFileSync(join(dir, 's.json'), JSON.stringify(scenario));
      const expected = JSON.parse(cliJson('decompose', join(dir, 's.json'), '--format', 'json'));
      await eventually(async () => assert.deepEqual(await shownDecomposition(page), expected));
      assert.equal(expected.targets[0].parts[0].met, false, 'deposits fall short at 1% growth');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.locator('details.division > summary').click();
    await page.locator('.decomposition table[data-target="deposits_floor"] tr[data-institution="icbc"][data-met="false"]').waitFor();
    await assertClean(opened);
    await opened.context.close();
  });

  test('Licheng as of May: the targets divided among its eight banks, its sub-districts scored', async () => {
    const scenario = presetScenario('licheng-2019-may');
    const decomposition = JSON.parse(cliJson('decompose', presetPath('licheng-2019-may'), '--format', 'json'));
    const { assessment } = simulateWithCli(scenario);
    assert.deepEqual(decomposition.targets.map((t) => t.id), ['deposits_floor', 'loans_floor', 'disposal_floor', 'npl_cap']);
    assert.deepEqual(assessment.entries.map((e) => e.id), ['鲤中街道', '开元街道', '海滨街道', '浮桥街道', '江南街道']);
    const opened = await openPage(browser, { path: `index.html${fragment(scenario)}` });
    const { page } = opened;
    await eventually(async () => {
      assert.deepEqual(await shownDecomposition(page), decomposition);
      assert.deepEqual(JSON.parse(await page.locator('[data-assessment]').getAttribute('data-assessment')), assessment);
    }, { timeout: 30_000 });
    await page.locator('details.division > summary').click();
    // The July exposure leaves the rural commercial bank above its part of the NPL ceiling.
    await page.locator('.decomposition table[data-target="npl_cap"] tr[data-institution="rcb"][data-met="false"]').waitFor();
    assert.equal(await page.locator('.decomposition table[data-target="disposal_floor"] tbody tr').count(), 8);
    await page.locator('.assessment tbody tr[data-entry="江南街道"][data-rank="5"]').waitFor();
    assert.equal(await page.locator('.assessment tbody tr').first().getAttribute('data-entry'), '鲤中街道');
    await assertClean(opened);
    await opened.context.close();
  });

  test('an assessment by zone: the scores simulate prints', async () => {
    const scenario = presetScenario('yangjiang-2016-2018');
    scenario.assessment = {
      year: 2017,
      level: 'zone',
      criteria: [
        { metric: 'npl_change', better: 'lower', weight: '50' },
        { metric: 'loan_growth', better: 'higher', weight: '30' },
        { metric: 'disposal_completion', better: 'higher', weight: '20' },
      ],
    };
    const expected = simulateWithCli(scenario).assessment;
    assert.ok(expected.entries.length > 1, 'several zones are scored');
    const opened = await openPage(browser, { path: `index.html${fragment(scenario)}` });
    const { page } = opened;
    await eventually(async () => {
      const shown = JSON.parse(await page.locator('[data-assessment]').getAttribute('data-assessment'));
      assert.deepEqual(shown, expected);
    }, { timeout: 30_000 });
    await page.locator('details.division > summary').click();
    await page.locator('.assessment tbody tr').first().waitFor();
    assert.equal(await page.locator('.assessment tbody tr').count(), expected.entries.length);
    await assertClean(opened);
    await opened.context.close();
  });

  test('the per-bank workbook downloads, and an assessment edited in the page re-scores', async () => {
    const scenario = presetScenario('licheng-2019-may');
    const opened = await openPage(browser, { path: `index.html${fragment(scenario)}` });
    const { page } = opened;
    const dir = mkdtempSync(join(tmpdir(), 'delever-division-'));
    try {
      await page.locator('details.division > summary').click();
      const workbook = await download(page, 'button[data-action="export-decomposition"]', dir);
      assert.match(workbook.name, /\.xlsx$/);
      assert.equal(workbook.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The assessment editor: a weight typed changes the scores to the command line's.
    await textField(page, 'assessment.criteria[0].weight').fill('40');
    const { scenario: edited } = await waitForAddress(page, (s) => s.assessment?.criteria?.[0]?.weight === '40', 'the new weight');
    const expected = simulateWithCli(edited).assessment;
    await eventually(async () => {
      assert.deepEqual(JSON.parse(await page.locator('[data-assessment]').getAttribute('data-assessment')), expected);
    });
    await textField(page, 'assessment.criteria[0].weight').fill('0');
    await page.locator('[data-error-for="assessment.criteria[0].weight"]').waitFor();
    await textField(page, 'assessment.criteria[0].weight').fill('40');
    await assertClean(opened);
    await opened.context.close();
  });
});
