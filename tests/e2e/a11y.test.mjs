// Accessibility, as a person using a keyboard or a screen reader meets the page:
// an automated audit (axe-core, WCAG 2.0/2.1 A and AA, colour contrast included) finds
// nothing in every state the page shows (opened in Chinese, in English, each analysis
// panel with its answer, the advanced levers and the charts' tables open, a field in
// error with the results marked stale, a stale analysis answer, the presentation and
// embedded modes); Tab from the top reaches every control, each with a visible focus
// indicator; and the controls work from the keyboard (a slider moves the projection, a
// tab opens its panel, the feasibility map's cells are chosen with the arrows and
// applied with Enter).
//
// axe runs through `page.evaluate`, which the page's Content Security Policy does not
// govern (a script tag would be an inline script, which it blocks).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  slider,
  textField,
  waitForAddress,
} from './helpers.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG levels audited: 2.0 and 2.1, A and AA (colour contrast is AA). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** What can take keyboard focus, as the keyboard test counts it. */
const INTERACTIVE = 'input, select, textarea, button, summary, a[href], [tabindex]';

/**
 * Runs axe on the whole page and fails with every violation: rule, impact, what it asks,
 * and the selectors of the offending elements (with a snippet of each).
 */
async function audit(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 160),
        summary: n.failureSummary?.split('\n').slice(0, 3).join(' ') ?? '',
      })),
    }));
  }, WCAG_TAGS);
  const report = violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 12)
          .map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary}`)
          .concat(v.nodes.length > 12 ? [`    … and ${v.nodes.length - 12} more`] : [])
          .join('\n'),
    )
    .join('\n');
  assert.equal(violations.length, 0, `${label}: ${violations.length} accessibility violations\n${report}`);
}

/** Opens panel `panel` and waits until its fresh answer is on screen. */
async function openPanel(page, panel) {
  await page.click(`button[data-panel="${panel}"]`);
  await page
    .locator(`.answer[data-analysis="${panel}"][data-fresh="true"]`)
    .waitFor({ state: 'attached', timeout: 60_000 });
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('accessibility audit (axe, WCAG 2.1 AA)', () => {
  test('the page as opened, in Chinese and in English, with the advanced levers and the chart tables open', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await audit(page, 'opened (Chinese)');
    await page.click('details.advanced > summary');
    await page.locator('details.advanced[open]').waitFor();
    await audit(page, 'advanced levers open (Chinese)');
    // The charts' numbers as tables: the command line's monthly figures.
    await page.click('details.chart-data > summary');
    const december = page.locator('table[data-table="monthly"] tr[data-month="2019-12"] td');
    await december.first().waitFor();
    const monthly = simulateWithCli(presetScenario('licheng-2019')).region.monthly;
    assert.equal(await page.locator('table[data-table="monthly"] tbody tr').count(), monthly.length);
    const shown = await december.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-value')));
    const last = monthly[monthly.length - 1];
    assert.deepEqual(shown, ['npl_ratio', 'npl', 'deposits', 'loans', 'formation', 'disposal'].map((m) => last[m]));
    await audit(page, 'chart tables open (Chinese)');
    await page.click('button[data-action="toggle-lang"]');
    await eventually(async () => assert.equal(await page.getAttribute('html', 'lang'), 'en'));
    await audit(page, 'English, advanced levers open');
    await assertClean(opened);
    await opened.context.close();
  });

  for (const panel of ['goal-seek', 'sensitivity', 'feasibility', 'monte-carlo']) {
    test(`the ${panel} panel with its answer, in both languages`, async () => {
      const opened = await openPage(browser);
      const { page } = opened;
      await openPanel(page, panel);
      await audit(page, `${panel} (Chinese)`);
      await page.click('button[data-action="toggle-lang"]');
      await eventually(async () => assert.equal(await page.getAttribute('html', 'lang'), 'en'));
      await audit(page, `${panel} (English)`);
      await assertClean(opened);
      await opened.context.close();
    });
  }

  test('the compare panel with two saved scenarios ticked', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.click('button[data-panel="compare"]');
    await audit(page, 'compare, nothing saved');
    for (const [name, growth] of [
      ['A', '9'],
      ['B', '7'],
    ]) {
      await textField(page, 'defaults.loan_growth').fill(growth);
      await waitForAddress(page, (s) => s.defaults.loan_growth === String(Number(growth) / 100), `loan growth ${growth}%`);
      await page.fill('input[data-field="ui.save_name"]', name);
      await page.click('button[data-action="save"]');
    }
    await page.check('input[data-field="analysis.compare"][value="A"]');
    await page.check('input[data-field="analysis.compare"][value="B"]');
    await page.locator('.compare-table td[data-scenario="B"][data-value]').first().waitFor();
    await audit(page, 'compare (Chinese)');
    await page.click('button[data-action="toggle-lang"]');
    await eventually(async () => assert.equal(await page.getAttribute('html', 'lang'), 'en'));
    await audit(page, 'compare (English)');
    await assertClean(opened);
    await opened.context.close();
  });

  for (const path of ['?present=1', '?embed=1', '?embed=1&lang=en']) {
    test(`the page opened at ${path} (presentation and embedded modes)`, async () => {
      const opened = await openPage(browser, { path });
      const { page } = opened;
      await audit(page, path);
      await assertClean(opened);
      await opened.context.close();
    });
  }

  test('a field in error, the results marked stale; a stale analysis answer', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await textField(page, 'defaults.loan_growth').fill('150');
    await page.locator('p.field-error[data-error-for="defaults.loan_growth"]').waitFor();
    await page.locator('section.results[data-stale="true"]').waitFor();
    await audit(page, 'invalid loan growth (Chinese)');
    await page.click('button[data-action="toggle-lang"]');
    await eventually(async () => assert.equal(await page.getAttribute('html', 'lang'), 'en'));
    await audit(page, 'invalid loan growth (English)');
    // A wrong Monte Carlo setting: the last answer stays, marked stale.
    await textField(page, 'defaults.loan_growth').fill('8.5');
    await openPanel(page, 'monte-carlo');
    await page.fill('input[data-field="analysis.mc.paths"]', '0');
    await page.locator('p.field-error[data-error-for="analysis.mc.paths"]').waitFor();
    await page.locator('.answer.stale[data-analysis="monte-carlo"]').waitFor();
    await audit(page, 'stale Monte Carlo answer (English)');
    await assertClean(opened);
    await opened.context.close();
  });
});

/**
 * Marks every element that can take focus with `data-a11y-key` (its place in document
 * order) and returns those a keyboard user must be able to reach: not disabled, not taken
 * out of the order (`tabindex="-1"`), and rendered (not inside a closed `<details>`).
 */
async function markControls(page) {
  return page.evaluate((selector) => {
    const wanted = [];
    document.querySelectorAll(selector).forEach((element, index) => {
      element.setAttribute('data-a11y-key', String(index));
      const reachable =
        !element.disabled &&
        !(element.getAttribute('tabindex') ?? '').startsWith('-') &&
        !element.closest('[inert]') &&
        element.checkVisibility();
      if (reachable) {
        const name = element.getAttribute('data-field') ?? element.getAttribute('data-action') ?? element.getAttribute('data-panel') ?? element.getAttribute('data-chart') ?? '';
        wanted.push({ key: String(index), what: `${element.tagName.toLowerCase()}${element.type ? `[${element.type}]` : ''} ${name}`.trim() });
      }
    });
    return wanted;
  }, INTERACTIVE);
}

/**
 * What the focused element shows: its focus ring (outline, else box-shadow) and the
 * contrast of the ring's colour against the background around it. An input that is
 * visually hidden (the file inputs, behind their styled label) shows its ring on the
 * label (`:focus-within`).
 */
function focusedRing() {
  const element = document.activeElement;
  if (!element || element === document.body) {
    return null;
  }
  const parse = (text) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(text);
    return m ? { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) } : null;
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const box = element.getBoundingClientRect();
  const hidden = Number(getComputedStyle(element).opacity) === 0 || box.width < 4 || box.height < 4;
  const shown = hidden ? element.closest('label') ?? element : element;
  const style = getComputedStyle(shown);
  let ring = null;
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) {
    ring = { kind: 'outline', width: style.outlineWidth, colour: style.outlineColor };
  } else if (style.boxShadow !== 'none') {
    ring = { kind: 'box-shadow', width: '', colour: (/rgba?\([^)]*\)/.exec(style.boxShadow) ?? [''])[0] };
  }
  // The ring is drawn around the element, over its surroundings: the first opaque background up the tree.
  let around = [255, 255, 255];
  for (let node = shown.parentElement; node; node = node.parentElement) {
    const background = parse(getComputedStyle(node).backgroundColor);
    if (background && background.alpha === 1) {
      around = background.rgb;
      break;
    }
  }
  const colour = ring && parse(ring.colour);
  const [a, b] = colour ? [luminance(colour.rgb), luminance(around)] : [0, 0];
  const contrast = colour ? (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) : 0;
  return {
    key: element.getAttribute('data-a11y-key'),
    what: `${element.tagName.toLowerCase()} ${element.getAttribute('data-field') ?? element.getAttribute('data-action') ?? element.getAttribute('data-panel') ?? ''}`.trim(),
    ring,
    contrast,
    visible: box.width > 0 && box.height > 0,
  };
}

/**
 * Presses Tab from wherever focus is until it comes back round, and checks what a
 * keyboard user meets: every control that should be reachable is reached, in document
 * order, and each shows a focus ring of at least 2px with 3:1 contrast against its
 * surroundings (WCAG 1.4.11), which it does not show once focus has left.
 */
async function walkWithTab(page, label) {
  const wanted = await markControls(page);
  assert.ok(wanted.length > 20, `${label}: only ${wanted.length} controls found`);
  const visits = [];
  for (let presses = 0; presses < wanted.length * 2 + 10; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(focusedRing);
    if (!focused) {
      continue; // Between the last control and the first: the browser's own stop.
    }
    if (visits.length > 0 && focused.key === visits[0].key) {
      break; // Round once.
    }
    visits.push(focused);
  }
  const reached = new Set(visits.map((v) => v.key));
  const missed = wanted.filter((w) => !reached.has(w.key)).map((w) => w.what);
  assert.deepEqual(missed, [], `${label}: controls Tab never reaches`);
  const strays = visits.filter((v) => v.key === null).map((v) => v.what);
  assert.deepEqual(strays, [], `${label}: focus stops on something that is not a control`);
  const unringed = visits.filter((v) => !v.ring || !v.visible).map((v) => v.what);
  assert.deepEqual(unringed, [], `${label}: focused without a visible focus indicator`);
  const faint = visits.filter((v) => v.contrast < 3).map((v) => `${v.what} (${v.ring.colour}, ${v.contrast.toFixed(2)}:1)`);
  assert.deepEqual(faint, [], `${label}: focus indicators below 3:1 against their surroundings`);
  // In document order, once round from wherever the walk began.
  const order = visits.map((v) => Number(v.key));
  const start = order.indexOf(Math.min(...order));
  const rotated = [...order.slice(start), ...order.slice(0, start)];
  const outOfOrder = rotated.filter((key, k) => k > 0 && key <= rotated[k - 1]);
  assert.deepEqual(outOfOrder, [], `${label}: focus moves against the reading order`);
  // The ring is the focus's: gone once focus leaves.
  const ringedUnfocused = await page.evaluate((keys) => {
    document.activeElement?.blur();
    return keys.filter((key) => {
      const element = document.querySelector(`[data-a11y-key="${key}"]`);
      const shown = element?.closest('label.file-button') ?? element;
      return shown && getComputedStyle(shown).outlineStyle !== 'none' && parseFloat(getComputedStyle(shown).outlineWidth) >= 2;
    });
  }, [...reached]);
  assert.deepEqual(ringedUnfocused, [], `${label}: controls that look focused when they are not`);
  return visits;
}

/** Focuses the control matching `selector` as Tab would (then keys go to it). */
async function focusByKeyboard(page, selector) {
  await page.locator(selector).focus();
  // A programmatic focus after a click is not :focus-visible; a key press makes it so.
  await page.keyboard.press('Shift');
}

describe('keyboard', () => {
  test('Tab reaches every control, in order, each with a visible focus ring, in every panel', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.locator('.answer[data-analysis="goal-seek"][data-fresh="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    // From the top of the page as opened.
    const first = await walkWithTab(page, 'as opened');
    assert.equal(first[0].what, 'select ui.scenario', 'the first stop is not the scenario picker');
    // The advanced levers, opened from the keyboard.
    await focusByKeyboard(page, 'details.advanced > summary');
    await page.keyboard.press('Enter');
    await page.locator('details.advanced[open]').waitFor();
    await walkWithTab(page, 'advanced levers open');
    for (const panel of ['sensitivity', 'feasibility', 'monte-carlo']) {
      await focusByKeyboard(page, `button[data-panel="${panel}"]`);
      await page.keyboard.press('Enter');
      await page.locator(`.answer[data-analysis="${panel}"][data-fresh="true"]`).waitFor({ state: 'attached', timeout: 60_000 });
      const visits = await walkWithTab(page, `${panel} panel`);
      if (panel === 'feasibility') {
        assert.ok(visits.some((v) => v.what === 'canvas'), 'the feasibility map is not reached by Tab');
      }
    }
    // The comparison, with two saved scenarios to tick.
    for (const name of ['A', 'B']) {
      await page.fill('input[data-field="ui.save_name"]', name);
      await page.click('button[data-action="save"]');
    }
    await focusByKeyboard(page, 'button[data-panel="compare"]');
    await page.keyboard.press('Space');
    await page.locator('input[data-field="analysis.compare"][value="B"]').waitFor();
    await focusByKeyboard(page, 'input[data-field="analysis.compare"][value="B"]');
    await page.keyboard.press('Space');
    await page.locator('.compare-table td[data-scenario="B"][data-value]').first().waitFor();
    await walkWithTab(page, 'compare panel');
    await assertClean(opened);
    await opened.context.close();
  });

  test('a slider moves with the arrow keys and the projection follows', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const loans = async () => (await cardKpis(page)).loans;
    const before = await loans();
    await focusByKeyboard(page, 'input[type=range][data-field="defaults.loan_growth"]');
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.equal(await slider(page, 'defaults.loan_growth').inputValue(), '8.6'));
    await eventually(async () => assert.equal(await textField(page, 'defaults.loan_growth').inputValue(), '8.6'));
    const scenario = presetScenario('licheng-2019');
    scenario.defaults.loan_growth = '0.086';
    const expected = simulateWithCli(scenario).region.year_ends[0];
    await eventually(async () => assert.equal(await loans(), expected.loans));
    assert.notEqual(expected.loans, before);
    await assertCardsMatch(page, expected, 'after ArrowRight on the loan-growth slider');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    scenario.defaults.loan_growth = '0.084';
    const lower = simulateWithCli(scenario).region.year_ends[0];
    await eventually(async () => assert.equal(await loans(), lower.loans));
    await assertClean(opened);
    await opened.context.close();
  });

  test('tabs (Enter, Space, arrows), the advanced group and a goal-seek boundary work from the keyboard', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    const panel = page.locator('#analysis-panel');
    await focusByKeyboard(page, 'button[data-panel="sensitivity"]');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await panel.getAttribute('data-panel'), 'sensitivity'));
    assert.equal(await page.getAttribute('button[data-panel="sensitivity"]', 'aria-selected'), 'true');
    await focusByKeyboard(page, 'button[data-panel="monte-carlo"]');
    await page.keyboard.press('Space');
    await eventually(async () => assert.equal(await panel.getAttribute('data-panel'), 'monte-carlo'));
    // Within the tab list, the arrows, Home and End open a panel and follow it with focus.
    const focusedPanel = () => page.evaluate(() => document.activeElement?.getAttribute('data-panel'));
    for (const [key, expected] of [
      ['ArrowRight', 'compare'],
      ['ArrowRight', 'goal-seek'],
      ['ArrowLeft', 'compare'],
      ['Home', 'goal-seek'],
      ['End', 'compare'],
      ['ArrowLeft', 'monte-carlo'],
    ]) {
      await page.keyboard.press(key);
      await eventually(async () => assert.equal(await panel.getAttribute('data-panel'), expected, key));
      assert.equal(await focusedPanel(), expected, `focus after ${key}`);
    }
    // A screen reader hears, once, that the answer is ready (the percentages are not read out).
    const status = page.locator('[role="status"][data-role="analysis-status"]');
    await page.locator('.answer[data-analysis="monte-carlo"][data-fresh="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await eventually(async () => assert.equal(await status.textContent(), '不确定性：结果已算出。'));

    await focusByKeyboard(page, 'details.advanced > summary');
    await page.keyboard.press('Enter');
    await page.locator('details.advanced[open]').waitFor();
    await page.keyboard.press('Space');
    await eventually(async () => assert.equal(await page.locator('details.advanced[open]').count(), 0));

    await focusByKeyboard(page, 'button[data-panel="goal-seek"]');
    await page.keyboard.press('Enter');
    await focusByKeyboard(page, 'select[data-field="analysis.goal.lever"]');
    await page.selectOption('select[data-field="analysis.goal.lever"]', 'disposal');
    await page.locator('.answer[data-analysis="goal-seek"][data-fresh="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    const apply = page.locator('.goal-intervals button[data-action="apply-lower"]').first();
    const value = await apply.getAttribute('data-value');
    await focusByKeyboard(page, '.goal-intervals button[data-action="apply-lower"]');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await textField(page, 'defaults.disposal.amount').inputValue(), value));
    await assertClean(opened);
    await opened.context.close();
  });

  test('the feasibility map: Tab to it, the arrows move the highlighted cell, Enter applies it', async () => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.click('button[data-panel="feasibility"]');
    await page.selectOption('select[data-field="analysis.map.steps"]', '11');
    const answer = page.locator('.answer[data-analysis="feasibility"][data-fresh="true"]');
    await answer.waitFor({ state: 'attached', timeout: 60_000 });
    const map = JSON.parse(await answer.getAttribute('data-json'));
    assert.equal(map.x.values.length, 11);
    const canvas = page.locator('.analysis-chart canvas[data-chart="feasibility"]');
    assert.equal(await canvas.getAttribute('role'), 'application');
    assert.match(await canvas.getAttribute('aria-label'), /方向键选择格子/);
    const readout = page.locator('.map-readout');
    assert.equal(await readout.getAttribute('aria-live'), 'polite');

    // Tab from the last setting lands on the map, which shows the current scenario's cell.
    await focusByKeyboard(page, 'select[data-field="analysis.map.steps"]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-chart')), 'feasibility');
    const cell = async () => (await readout.getAttribute('data-cell'))?.split(',').map(Number);
    await eventually(async () => assert.ok(await cell(), 'focus shows no cell'));
    const [i, j] = await cell();
    // Licheng's disposal (10) and write-off share (50%) are on the grid: the start is their cell.
    const nearest = (values, current) =>
      values.reduce((best, v, k) => (Math.abs(Number(v) - current) < Math.abs(Number(values[best]) - current) ? k : best), 0);
    assert.deepEqual([i, j], [nearest(map.x.values, 10), nearest(map.y.values, 0.5)]);
    assert.match(await readout.innerText(), /\d/, 'the readout gives no numbers');
    const drawn = Number(await canvas.getAttribute('data-rendered'));

    const right = i < 10 ? 1 : -1;
    const up = j < 10 ? 1 : -1;
    await page.keyboard.press(right > 0 ? 'ArrowRight' : 'ArrowLeft');
    await page.keyboard.press(up > 0 ? 'ArrowUp' : 'ArrowDown');
    await eventually(async () => assert.deepEqual(await cell(), [i + right, j + up]));
    assert.ok(Number(await canvas.getAttribute('data-rendered')) > drawn, 'the highlight is not drawn');
    // The page does not scroll under the arrows.
    const scroll = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => window.scrollY), scroll, 'the arrows scrolled the page');

    await page.keyboard.press('Enter');
    const x = map.x.values[i + right];
    const y = map.y.values[j + up];
    await eventually(async () => {
      const { scenario } = await waitForAddress(page, (s) => s.defaults.disposal.amount === x, `disposal ${x}`);
      assert.equal(scenario.defaults.channels.write_off, y);
    });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-chart')), 'feasibility', 'the map lost focus');
    await assertClean(opened);
    await opened.context.close();
  });
});
