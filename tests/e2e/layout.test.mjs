// See at once (issue 10, item 7): on the laptops and projectors officials use (1366 × 768,
// 1440 × 900), the NPL-ratio and balances charts and the year-end numbers share the screen
// with the levers, without scrolling the page, in Chinese and English, on the whole page
// and in presentation mode. The levers panel scrolls on its own.
//
// With DELEVER_SCREENSHOTS=DIR set, each case also saves a screenshot of the viewport
// there (the README's docs/screenshots/ are made so:
// `DELEVER_SCREENSHOTS=docs/screenshots cargo xtask e2e`).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, aggregateScenario, assertClean, eventually, fragment, launch, openPage, textField } from './helpers.mjs';

/** The viewports of the issue: a common office laptop and a common 16:10 screen. */
const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1440, height: 900 },
];

/** What must be in view at once: the two main charts and the NPL-ratio card. */
const IN_VIEW = [
  'canvas[data-chart="npl_ratio"]',
  'canvas[data-chart="balances"]',
  '[data-kpi="npl_ratio"]',
  // The charts' frames too, with their buttons: nothing of them cut off at the bottom.
  'figure[data-chart-card="npl_ratio"]',
  'figure[data-chart-card="balances"]',
];

const SCREENSHOTS = process.env.DELEVER_SCREENSHOTS ? resolve(ROOT, process.env.DELEVER_SCREENSHOTS) : null;

let browser;

before(async () => {
  browser = await launch();
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
  }
});

after(async () => {
  await browser?.close();
});

/**
 * The box of each selector's first match, the viewport, the page's scroll position, and
 * whether one of the levers' sliders is in view too (fully inside the viewport, and not
 * scrolled out of the levers' own panel).
 */
async function measure(page, selectors) {
  return page.evaluate((selectors) => {
    const inside = (r) =>
      r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    const boxes = Object.fromEntries(
      selectors.map((selector) => {
        const element = document.querySelector(selector);
        const r = element?.getBoundingClientRect();
        return [selector, r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right, inside: inside(r) } : null];
      }),
    );
    const sliderInView = [...document.querySelectorAll('.levers input[type="range"]')].some((slider) => {
      const r = slider.getBoundingClientRect();
      const panel = slider.closest('.levers').getBoundingClientRect();
      return inside(r) && r.top >= panel.top && r.bottom <= panel.bottom;
    });
    return { boxes, sliderInView, scrollY, viewport: { width: innerWidth, height: innerHeight } };
  }, selectors);
}

for (const view of ['full', 'present']) {
  describe(`${view === 'full' ? 'the whole page' : 'presentation mode (?present=1)'}: charts, numbers and levers at once`, () => {
    for (const viewport of VIEWPORTS) {
      for (const lang of ['zh', 'en']) {
        test(`${viewport.width} × ${viewport.height}, ${lang}`, async () => {
          const query = new URLSearchParams({ lang });
          if (view === 'present') {
            query.set('present', '1');
          }
          const opened = await openPage(browser, { path: `?${query}`, contextOptions: { viewport } });
          const { page } = opened;
          await page.waitForSelector('canvas[data-chart="balances"]');
          // The charts draw on the next frames once laid out; the screenshot waits for them.
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          await page.evaluate(() => window.scrollTo(0, 0));

          const seen = await measure(page, IN_VIEW);
          assert.equal(seen.scrollY, 0);
          for (const selector of IN_VIEW) {
            const box = seen.boxes[selector];
            assert.ok(box, `${selector} is not on the page`);
            assert.ok(box.inside, `${selector} is not fully in view at ${viewport.width} × ${viewport.height}: ${JSON.stringify(box)}`);
          }
          assert.ok(seen.sliderInView, 'no lever slider is in view beside the charts');
          // The page itself does not scroll sideways.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
          assert.ok(overflow <= 0, `the page is ${overflow}px wider than the viewport`);

          if (SCREENSHOTS) {
            const file = join(SCREENSHOTS, `${view}-${viewport.width}x${viewport.height}-${lang}.png`);
            await page.screenshot({ path: file });
          }
          await assertClean(opened);
          await opened.context.close();
        });
      }
    }
  });
}

describe('the levers panel scrolls on its own', () => {
  test('at 1366 × 768 the page stays put while the last lever is brought into view', async () => {
    const opened = await openPage(browser, { contextOptions: { viewport: VIEWPORTS[0] } });
    const { page } = opened;
    const panel = page.locator('.workspace .levers');
    const scrolls = await panel.evaluate((levers) => {
      const style = getComputedStyle(levers);
      return { overflowY: style.overflowY, scrollable: levers.scrollHeight > levers.clientHeight };
    });
    assert.equal(scrolls.overflowY, 'auto');
    assert.ok(scrolls.scrollable, 'the levers fit without scrolling: nothing to check');
    await panel.evaluate((levers) => levers.scrollTo(0, levers.scrollHeight));
    assert.equal(await page.evaluate(() => scrollY), 0, 'scrolling the levers scrolled the page');
    const seen = await measure(page, IN_VIEW);
    for (const selector of IN_VIEW) {
      assert.ok(seen.boxes[selector]?.inside, `${selector} left the view while the levers scrolled`);
    }
    await assertClean(opened);
    await opened.context.close();
  });
});

describe('the changed levers beside the numbers', () => {
  for (const [lang, words] of [
    ['zh', ['贷款增速：8.5% → 29%', '机构「全辖银行业机构」期初不良贷款（亿元）：3 → 3.5']],
    ['en', ['Loan growth: 8.5% → 29%', 'Institution “全辖银行业机构” opening NPL (亿元): 3 → 3.5']],
  ]) {
    test(`are told in words and display units, never as JSON paths (${lang})`, async () => {
      // One aggregate institution, whose opening balances are levers.
      const path = `index.html?lang=${lang}${fragment(aggregateScenario())}`;
      const opened = await openPage(browser, { path, contextOptions: { viewport: VIEWPORTS[0] } });
      const { page } = opened;
      await textField(page, 'defaults.loan_growth').fill('29');
      // The levers' field (the institutions table below has the same one).
      await page.locator('.levers input.value[data-field="institutions[0].opening.npl"]').fill('3.5');
      const items = page.locator('.changes-card li[data-changed]');
      await eventually(async () => assert.deepEqual(await items.allTextContents(), words));
      await assertClean(opened);
      await opened.context.close();
    });
  }
});

describe('charts out of view', () => {
  test('a lever move leaves them for later; they are drawn, with the new numbers, as they scroll in', async () => {
    const opened = await openPage(browser, { contextOptions: { viewport: VIEWPORTS[0] } });
    const { page } = opened;
    const state = () =>
      page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => [
            canvas.getAttribute('data-chart'),
            {
              deferred: canvas.hasAttribute('data-deferred'),
              rendered: Number(canvas.getAttribute('data-rendered')),
              drawnFor: canvas.getAttribute('data-drawn-for'),
            },
          ]),
        ),
      );
    // Wait for the first drawings and for the observers' first word on what is in view.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const before = await state();
    await textField(page, 'defaults.loan_growth').fill('12');
    let after;
    await eventually(async () => {
      after = await state();
      for (const chart of ['npl_ratio', 'balances']) {
        assert.notEqual(after[chart].drawnFor, before[chart].drawnFor, `${chart}, in view, shows the move`);
        assert.equal(after[chart].deferred, false, `${chart} is in view`);
      }
    });
    // The waterfall, below the fold, shows the move's loans and waits; a chart whose picture the
    // move leaves as it was is neither drawn nor deferred.
    const below = Object.keys(after).filter((chart) => after[chart].deferred);
    assert.ok(below.includes('waterfall'), `the waterfall, below, waits: ${JSON.stringify(after)}`);
    for (const chart of below) {
      assert.equal(after[chart].rendered, before[chart].rendered, `${chart} was drawn although out of view`);
      assert.equal(after[chart].drawnFor, before[chart].drawnFor, `${chart} claims a picture it does not have`);
    }
    // Scrolled into view, each is drawn once, for the move's data.
    for (const chart of below) {
      await page.locator(`canvas[data-chart="${chart}"]`).scrollIntoViewIfNeeded();
      await eventually(async () => {
        const now = (await state())[chart];
        assert.equal(now.deferred, false, `${chart} still deferred in view`);
        assert.equal(now.rendered, before[chart].rendered + 1, `${chart} drawn once`);
        assert.equal(now.drawnFor, after.npl_ratio.drawnFor, `${chart} shows the move`);
      });
    }
    await assertClean(opened);
    await opened.context.close();
  });

  test('deferred charts are drawn before printing', async () => {
    const opened = await openPage(browser, { contextOptions: { viewport: VIEWPORTS[0] } });
    const { page } = opened;
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await textField(page, 'defaults.loan_growth').fill('12');
    const deferred = () => page.locator('canvas[data-chart][data-deferred]').count();
    await eventually(async () => assert.ok((await deferred()) > 0, 'no chart deferred'));
    // What the browser sends as the print dialog opens (Ctrl+P or the brief's print).
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    assert.equal(await deferred(), 0, 'a chart is printed with an old picture');
    await assertClean(opened);
    await opened.context.close();
  });

  test('a deferred chart is drawn before its PNG is taken', async () => {
    const opened = await openPage(browser, { contextOptions: { viewport: VIEWPORTS[0] } });
    const { page } = opened;
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await textField(page, 'defaults.loan_growth').fill('12');
    const waterfall = page.locator('canvas[data-chart="waterfall"]');
    await eventually(async () => assert.equal(await waterfall.getAttribute('data-deferred'), ''));
    const rendered = Number(await waterfall.getAttribute('data-rendered'));
    // Its "save as PNG", pressed without scrolling the chart into view (a script's click).
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => document.querySelector('button[data-action="png-waterfall"]').click()),
    ]);
    assert.match(file.suggestedFilename(), /-waterfall\.png$/);
    assert.equal(Number(await waterfall.getAttribute('data-rendered')), rendered + 1);
    assert.equal(await waterfall.getAttribute('data-deferred'), null);
    await assertClean(opened);
    await opened.context.close();
  });
});
