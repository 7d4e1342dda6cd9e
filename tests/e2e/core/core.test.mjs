// The page's core, in every browser the tests prove (Chromium, Firefox ESR, WebKitGTK), written
// once against the driver layer (../drivers/): the numbers are the command line's for each
// preset, a slider move and a typed edit change them to the command line's, an invalid value
// shows its message and keeps the last good numbers, a reload keeps the draft, a copied
// `#scenario=` link reproduces the numbers in a fresh profile, the single file opened from
// disk works with no network request, and an embedding page drives the page by postMessage.
//
// `cargo xtask e2e` runs this file once per browser, choosing it with DELEVER_BROWSER.
// Every test opens the page in a fresh profile and ends by checking that the page threw
// nothing (and, where the protocol reports requests, asked nobody but its own origin).

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  attribute,
  browserName,
  count,
  eventually,
  launchBrowser,
  value,
  waitFor,
  waitForSelector,
} from '../drivers/index.mjs';
import {
  PRESETS,
  ROOT,
  baseUrl,
  cliJson,
  origin,
  presetPath,
  presetScenario,
  presetText,
  simulateWithCli,
} from '../helpers.mjs';

const LICHENG = 'licheng-2019';
const CHONGQING = 'chongqing-2016-2020';

/** The single file, as a release `cargo xtask build` (or `cargo xtask dist`) writes it. */
const SINGLE_FILE = join(ROOT, 'dist', 'delever.html');

/** How long the page may take to start: a cold wasm compile, on a busy 2-core machine, in the slowest browser. */
const READY_TIMEOUT_MS = 120_000;

/** The `data-kpi` names of the target rows, and the field of `targets[]` each shows. */
const TARGET_KPIS = { target_value: 'value', target_actual: 'actual', target_margin: 'margin' };

const textField = (path) => `input.value[data-field="${path}"]`;
const sliderOf = (path) => `input[type=range][data-field="${path}"]`;
const errorOf = (path) => `p.field-error[data-error-for="${path}"]`;

/** Waits until the page has started: `window.delever` is published and the first figure is shown. */
async function waitUntilReady(page) {
  await waitFor(page, () => typeof window.delever === 'object' && document.querySelector('[data-kpi]') !== null, null, {
    timeout: READY_TIMEOUT_MS,
    what: 'the page’s start (window.delever and a [data-kpi])',
  });
}

/** Every figure on the page: `{ kpi, value, year, target }` (year and target from the nearest ancestor that has one). */
function figuresInPage() {
  return [...document.querySelectorAll('[data-kpi]')].map((element) => ({
    kpi: element.getAttribute('data-kpi'),
    value: element.getAttribute('data-value'),
    year: element.closest('[data-year]')?.getAttribute('data-year') ?? null,
    target: element.closest('[data-target]')?.getAttribute('data-target') ?? null,
  }));
}

/** The year the page shows its cards for: the year picker's choice, or the only year. */
function selectedYearInPage() {
  const select = document.querySelector('select[data-field="ui.year"]');
  return select ? select.options[select.selectedIndex].textContent.trim() : null;
}

/** The result cards of the selected year: `{ metric: data-value }` (each card's own figure, not its target lines). */
function cardsInPage() {
  return Object.fromEntries(
    [...document.querySelectorAll('.card.kpi [data-kpi]')]
      .filter((element) => !element.closest('[data-target]'))
      .map((element) => [element.getAttribute('data-kpi'), element.getAttribute('data-value')]),
  );
}

/** Every `[data-kpi]` as a `kpi@target=value` line, in document order. */
function allKpisInPage() {
  return [...document.querySelectorAll('[data-kpi]')].map((element) => {
    const target = element.closest('[data-target]')?.getAttribute('data-target');
    return `${element.getAttribute('data-kpi')}${target ? `@${target}` : ''}=${element.getAttribute('data-value')}`;
  });
}

/**
 * Asserts that every figure on the page is the command line's `projection`: year-end metrics
 * (of their own year, or of the selected year) and the target rows. Returns the metrics compared.
 */
async function assertFiguresMatch(page, projection, label) {
  const figures = await page.evaluate(figuresInPage);
  const selected = (await page.evaluate(selectedYearInPage)) ?? String(projection.region.year_ends.at(-1).year);
  const yearEnds = new Map(projection.region.year_ends.map((entry) => [String(entry.year), entry]));
  const targets = new Map(projection.targets.map((target) => [target.id, target]));
  const compared = new Set();
  for (const figure of figures) {
    if (figure.kpi in TARGET_KPIS) {
      const target = targets.get(figure.target);
      assert.ok(target, `${label}: data-target="${figure.target}" is not a target of the scenario`);
      assert.equal(figure.value, target[TARGET_KPIS[figure.kpi]], `${label}: ${figure.target} ${figure.kpi}`);
      continue;
    }
    const entry = yearEnds.get(figure.year ?? selected);
    assert.ok(entry, `${label}: data-kpi="${figure.kpi}" is for year ${figure.year ?? selected}, not in the projection`);
    const expected = figure.kpi.split('.').reduce((v, key) => (v == null ? undefined : v[key]), entry);
    if (expected === undefined || (expected !== null && typeof expected === 'object')) {
      continue; // Not a year-end metric.
    }
    assert.equal(figure.value, expected, `${label}: data-kpi="${figure.kpi}" of ${figure.year ?? selected}`);
    compared.add(figure.kpi);
  }
  for (const metric of ['deposits', 'loans', 'npl', 'npl_ratio', 'disposal']) {
    assert.ok(compared.has(metric), `${label}: the page shows no data-kpi="${metric}"`);
  }
  return compared;
}

/** Asserts that every card equals the command line's year-end `entry` (a card the year-end lacks shows no value). */
async function assertCardsMatch(page, entry, label) {
  const cards = await page.evaluate(cardsInPage);
  assert.ok(Object.keys(cards).length >= 5, `${label}: only ${Object.keys(cards)} cards`);
  for (const [metric, shown] of Object.entries(cards)) {
    assert.equal(shown, entry[metric] ?? null, `${label}: data-kpi="${metric}" of ${entry.year}`);
  }
}

/** The Licheng preset with `edit(defaults)` applied, simulated by the command line: its 2019 year-end. */
function lichengYearEnd(edit = () => {}) {
  const scenario = presetScenario(LICHENG);
  edit(scenario.defaults);
  const entry = simulateWithCli(scenario).region.year_ends.find((y) => y.year === 2019);
  assert.ok(entry, 'the command line has no 2019 year-end for Licheng');
  return entry;
}

/** Waits until the card of `metric` shows exactly `expected`. */
async function waitForCard(page, metric, expected) {
  await eventually(async () => assert.equal(await attribute(page, `.card.kpi [data-kpi="${metric}"]`, 'data-value'), expected, `data-kpi="${metric}"`));
}

/** The scenario in the page's address (`#scenario=` + base64url JSON), once `predicate` holds of it: `{ href, scenario }`. */
async function waitForAddress(page, predicate, what) {
  return eventually(async () => {
    const href = await page.evaluate(() => location.href);
    const match = /#scenario=([A-Za-z0-9_-]*)$/.exec(href);
    assert.ok(match, `the address has no #scenario= (${href.slice(0, 80)})`);
    const scenario = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    assert.ok(predicate(scenario), `the address does not carry ${what} yet`);
    return { href, scenario };
  });
}

/** The page threw nothing, and (where the driver sees requests) asked nobody but the site. */
async function assertClean(page, label = 'the page') {
  assert.deepEqual(await page.errors(), [], `${label}: uncaught exceptions or console errors`);
  if (page.requests) {
    const own = origin();
    const foreign = page.requests.filter((url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== own);
    assert.deepEqual(foreign, [], `${label}: requests to another origin`);
  }
}

/**
 * An HTTP proxy that answers nothing: it records every request and tunnel (CONNECT) a browser
 * sends it (`{ host, what }`) and refuses them. The offline test routes all of a browser's traffic here.
 */
async function startRecordingProxy() {
  const seen = [];
  const server = createServer((request, response) => {
    seen.push({ host: new URL(request.url, 'http://no-host').hostname, what: `${request.method} ${request.url}` });
    response.writeHead(502).end();
  });
  server.on('connect', (request, socket) => {
    seen.push({ host: request.url.replace(/:\d+$/, ''), what: `CONNECT ${request.url}` });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, address: `127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe(`the page's core in ${browserName()}`, () => {
  /** Opens the served page (or `url`) in a fresh profile, waits for it to start; closed when the test ends. */
  async function open(t, url = baseUrl()) {
    const page = await browser.newPage();
    t.after(() => page.close().catch(() => {}));
    await page.goto(url);
    await waitUntilReady(page);
    return page;
  }

  for (const id of PRESETS) {
    test(`${id}: every figure is the command line’s exact decimal`, async (t) => {
      const page = await open(t);
      t.diagnostic(`${browser.name} ${browser.version}`);
      if (id !== LICHENG) {
        // Chosen in the page's scenario picker, as a person does.
        await page.fill('select[data-field="ui.scenario"]', `preset:${id}`);
        await waitForSelector(page, `.scenario-name[data-scenario="preset:${id}"]`);
      }
      const projection = JSON.parse(cliJson('simulate', presetPath(id), '--format', 'json'));
      const compared = await eventually(() => assertFiguresMatch(page, projection, id));
      t.diagnostic(`compared ${compared.size} metrics`);
      await assertClean(page);
    });
  }

  test('window.delever.simulate of each preset is the command line’s text', async (t) => {
    const page = await open(t);
    for (const id of PRESETS) {
      const text = await page.evaluate(async (scenario) => {
        await window.delever.ready();
        return window.delever.simulate(scenario);
      }, presetText(id));
      assert.equal(text, cliJson('simulate', presetPath(id), '--format', 'json'), id);
    }
    await assertClean(page);
  });

  test('moving the loan-growth slider to 10 gives the command line’s numbers for 10%', async (t) => {
    const page = await open(t);
    const expected = lichengYearEnd((d) => {
      d.loan_growth = '0.1';
    });
    assert.notEqual((await page.evaluate(cardsInPage)).loans, expected.loans, 'the preset already shows those loans');

    await page.fill(sliderOf('defaults.loan_growth'), '10');

    await waitForCard(page, 'loans', expected.loans);
    await eventually(async () => assert.equal(await value(page, textField('defaults.loan_growth')), '10'));
    await assertCardsMatch(page, expected, 'after the slider move');
    assert.equal(await count(page, '[data-stale="true"]'), 0);
    await assertClean(page);
  });

  test('typing 6 into deposit growth, key by key, gives the command line’s numbers for 6%', async (t) => {
    const page = await open(t);
    const expected = lichengYearEnd((d) => {
      d.deposit_growth = '0.06';
    });

    await page.type(textField('defaults.deposit_growth'), '6');

    await waitForCard(page, 'deposits', expected.deposits);
    assert.equal(await value(page, textField('defaults.deposit_growth')), '6');
    await assertCardsMatch(page, expected, 'after the typed edit');
    assert.equal(await count(page, '[data-stale="true"]'), 0);
    await assertClean(page);
  });

  test('an invalid value shows its message in place and keeps the last good numbers', async (t) => {
    const page = await open(t);
    // Typed key by key: "1" and "15" are good values on the way, "150" is out of range. The
    // last good numbers are the command line's for 15%.
    const lastGood = lichengYearEnd((d) => {
      d.loan_growth = '0.15';
    });

    await page.type(textField('defaults.loan_growth'), '150');

    const message = await eventually(async () => {
      const text = await page.evaluate((s) => document.querySelector(s)?.textContent.trim() ?? null, errorOf('defaults.loan_growth'));
      assert.ok(text, 'no message for loan growth');
      assert.match(text, /^贷款增速：/, `the message does not name the field: ${text}`);
      assert.ok(text.includes('150%') && text.includes('超出范围'), `the message does not say what is wrong: ${text}`);
      return text;
    });
    t.diagnostic(message);
    assert.equal(await attribute(page, textField('defaults.loan_growth'), 'aria-invalid'), 'true');
    assert.equal(await value(page, textField('defaults.loan_growth')), '150', 'the text as typed is kept');
    await waitForSelector(page, 'section.results[data-stale="true"]');
    await assertCardsMatch(page, lastGood, 'while the edit is invalid (the last good numbers, 15%)');
    const shown = await page.evaluate(allKpisInPage);

    // A click on the language button: the message follows the language, the numbers stay.
    await page.click('button[data-action="toggle-lang"]');
    const english = await eventually(async () => {
      const text = await page.evaluate((s) => document.querySelector(s)?.textContent.trim() ?? null, errorOf('defaults.loan_growth'));
      assert.ok(text && text.includes('150%') && text.includes('out of range'), `the message is not in English: ${text}`);
      return text;
    });
    t.diagnostic(english);
    assert.equal(await attribute(page, '.page', 'lang'), 'en');
    assert.equal(await count(page, 'section.results[data-stale="true"]'), 1);
    assert.deepEqual(await page.evaluate(allKpisInPage), shown, 'the numbers changed while the edit is invalid');

    // Fixing it brings the numbers back to life.
    await page.type(textField('defaults.loan_growth'), '9');
    const fixed = lichengYearEnd((d) => {
      d.loan_growth = '0.09';
    });
    await waitForCard(page, 'loans', fixed.loans);
    assert.equal(await count(page, errorOf('defaults.loan_growth')), 0, 'the message stays after the fix');
    await assertCardsMatch(page, fixed, 'after the fix');
    await assertClean(page);
  });

  test('a reload keeps the draft: the valid edit, the invalid text with its message, the last good numbers', async (t) => {
    const page = await open(t);
    const good = lichengYearEnd((d) => {
      d.deposit_growth = '0.06';
    });
    await page.type(textField('defaults.deposit_growth'), '6');
    await waitForCard(page, 'deposits', good.deposits);
    await page.type(textField('defaults.loan_growth'), 'abc');
    await waitForSelector(page, errorOf('defaults.loan_growth'));
    const message = await page.evaluate((s) => document.querySelector(s).textContent.trim(), errorOf('defaults.loan_growth'));
    // The draft is written once the edit settles (a few hundred ms).
    await waitFor(page, () => JSON.parse(localStorage.getItem('delever.draft'))?.doc?.defaults?.loan_growth === 'abc', null, {
      what: 'the draft with the typed text',
    });

    await page.reload();
    await waitUntilReady(page);

    assert.equal(await value(page, textField('defaults.deposit_growth')), '6', 'the valid edit is lost');
    assert.equal(await value(page, textField('defaults.loan_growth')), 'abc', 'the typed text is lost');
    await waitForSelector(page, errorOf('defaults.loan_growth'));
    assert.equal(await page.evaluate((s) => document.querySelector(s).textContent.trim(), errorOf('defaults.loan_growth')), message);
    assert.equal(await count(page, 'section.results[data-stale="true"]'), 1, 'the results are not marked stale');
    await assertCardsMatch(page, good, 'after the reload (the last good numbers)');
    await assertClean(page);
  });

  test('a copied #scenario= link reproduces the numbers in a fresh profile', async (t) => {
    const first = await open(t);
    const expected = lichengYearEnd((d) => {
      d.loan_growth = '0.1';
    });
    await first.fill(sliderOf('defaults.loan_growth'), '10');
    await waitForCard(first, 'loans', expected.loans);
    const { href } = await waitForAddress(first, (s) => s.defaults.loan_growth === '0.1', 'loan growth 10%');
    const shown = await first.evaluate(allKpisInPage);
    await assertClean(first, 'the first page');
    await first.close();

    const second = await open(t, href);
    await eventually(async () => assert.equal(await value(second, textField('defaults.loan_growth')), '10'));
    assert.deepEqual(await second.evaluate(allKpisInPage), shown);
    await assertCardsMatch(second, expected, 'the linked page');
    assert.equal(await count(second, '[data-stale="true"]'), 0);
    await assertClean(second, 'the linked page');
  });

  test('an embedding page loads a scenario by postMessage and gets the command line’s year-ends back', async (t) => {
    const page = await open(t);
    const chongqing = presetScenario(CHONGQING);
    const expected = simulateWithCli(chongqing).region.year_ends;
    const bad = presetScenario(CHONGQING);
    bad.years = 11;

    const received = await page.evaluate(
      async ({ url, scenario, bad, timeout }) => {
        const iframe = document.createElement('iframe');
        iframe.src = url;
        const messages = [];
        let onMessage = () => {};
        window.addEventListener('message', (event) => {
          if (event.source === iframe.contentWindow && event.data && typeof event.data.type === 'string') {
            messages.push({ origin: event.origin, data: event.data });
            onMessage();
          }
        });
        const until = (predicate, what) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeout} ms`)), timeout);
            onMessage = () => {
              const found = messages.find(predicate);
              if (found) {
                clearTimeout(timer);
                resolve(found);
              }
            };
            onMessage();
          });
        document.body.append(iframe);
        // The frame says it is ready and posts its opening result once it runs (and listens) ...
        const first = await until((m) => m.data.type === 'delever:result', 'first delever:result');
        const ready = messages.find((m) => m.data.type === 'delever:ready') ?? null;
        // ... then is told to load Chongqing ...
        iframe.contentWindow.postMessage({ type: 'delever:load', scenario }, location.origin);
        const loaded = await until((m) => m.data.type === 'delever:result' && m.data.year_ends?.length === 5, 'five-year delever:result');
        // ... then a scenario it must refuse, and a message type it does not know.
        iframe.contentWindow.postMessage({ type: 'delever:load', scenario: bad }, location.origin);
        const refused = await until((m) => m.data.type === 'delever:error', 'delever:error for the bad scenario');
        iframe.contentWindow.postMessage({ type: 'delever:launch' }, location.origin);
        const unknown = await until((m) => m.data.type === 'delever:error' && m !== refused, 'delever:error for delever:launch');
        // The frame kept Chongqing: its year picker has five years.
        const years = iframe.contentDocument.querySelectorAll('select[data-field="ui.year"] option').length;
        return { first, ready, loaded, refused, unknown, years, results: messages.filter((m) => m.data.type === 'delever:result').length };
      },
      { url: baseUrl(), scenario: chongqing, bad, timeout: 60_000 },
    );

    assert.equal(received.first.origin, origin());
    assert.equal(received.first.data.year_ends.length, 1, 'the frame opens on Licheng (one year)');
    assert.ok(received.ready, 'the frame sent no delever:ready');
    assert.match(received.ready.data.version, /^\d+\.\d+\.\d+/);
    assert.equal(received.loaded.origin, origin());
    // The whole message is the command line's year-ends, metric for metric.
    assert.deepEqual(received.loaded.data.year_ends, expected);
    assert.match(JSON.stringify(received.refused.data.errors), /years/, 'the refusal does not name the field');
    assert.match(received.unknown.data.errors[0].message, /unknown message type delever:launch/);
    assert.equal(received.years, 5, 'the frame does not show Chongqing after the refusal');
    assert.equal(received.results, 2, 'a refused message changed the result');
    await assertClean(page);
  });
});

describe(`the single file from disk, with no network, in ${browserName()}`, () => {
  let proxy;
  let offline;
  let page;
  before(async () => {
    assert.ok(existsSync(SINGLE_FILE), `${SINGLE_FILE} is missing: run \`cargo xtask build\` (release) or \`cargo xtask dist\``);
    // A browser of its own whose every request (loopback included) goes to a proxy that refuses it.
    proxy = await startRecordingProxy();
    offline = await launchBrowser({ proxy: proxy.address });
    page = await offline.newPage();
    await page.goto(pathToFileURL(SINGLE_FILE).href);
    await waitUntilReady(page);
  });
  after(async () => {
    await page?.close();
    await offline?.close();
    await proxy?.close();
  });

  test('the Licheng figures are the command line’s, and a typed edit gives the command line’s numbers', async () => {
    const projection = JSON.parse(cliJson('simulate', presetPath(LICHENG), '--format', 'json'));
    await eventually(() => assertFiguresMatch(page, projection, 'the single file'));
    const expected = lichengYearEnd((d) => {
      d.deposit_growth = '0.06';
    });
    await page.type(textField('defaults.deposit_growth'), '6');
    await waitForCard(page, 'deposits', expected.deposits);
    await assertCardsMatch(page, expected, 'the single file, after the typed edit');
    const text = await page.evaluate(async (scenario) => {
      await window.delever.ready();
      return window.delever.simulate(scenario);
    }, presetText(CHONGQING));
    assert.equal(text, cliJson('simulate', presetPath(CHONGQING), '--format', 'json'), 'window.delever in the single file');
  });

  test('it made no network request: nothing reached the proxy, and it loaded nothing but itself', async (t) => {
    assert.deepEqual(await page.errors(), [], 'uncaught exceptions or console errors');
    const browsers = proxy.seen.filter(({ host }) => offline.ownTraffic.some((pattern) => pattern.test(host)));
    if (browsers.length > 0) {
      t.diagnostic(`the browser's own requests (not the page's): ${[...new Set(browsers.map((r) => r.host))].join(' ')}`);
    }
    const others = proxy.seen.filter((request) => !browsers.includes(request)).map((request) => request.what);
    assert.deepEqual(others, [], 'requests that went to the network (the proxy)');
    const fileUrl = pathToFileURL(SINGLE_FILE).href;
    const own = (url) => url === fileUrl || /^(blob:|data:)/.test(url);
    // As the page itself saw it: every resource it loaded (resource timing) was its own.
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    assert.deepEqual(resources.filter((url) => !own(url)), [], 'resources loaded from outside the file');
    if (page.requests) {
      assert.deepEqual(page.requests.filter((url) => !own(url)), [], 'requests beyond the file');
    }
  });
});
