// `window.delever` (MODEL.md section 8, JavaScript): each function returns exactly the text
// `delever-cli … --format json` prints, and invalid input throws the command line's message.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PRESETS, cli, cliJson, launch, openPage, presetPath, presetText } from './helpers.mjs';

const LICHENG = 'licheng-2019';

describe('window.delever', () => {
  let browser;
  let opened;
  let scratch;

  before(async () => {
    browser = await launch();
    opened = await openPage(browser);
    // As MODEL.md section 8 asks of a host page: the engine's module is fetched on this call.
    await opened.page.evaluate(() => window.delever.ready());
    scratch = mkdtempSync(join(tmpdir(), 'delever-e2e-'));
  });

  after(async () => {
    await browser?.close();
    if (scratch) {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  /** Calls `window.delever[name](...args)` in the page; returns `{ value }` or `{ error }`. */
  async function call(name, ...args) {
    return opened.page.evaluate(
      ([name, args]) => {
        try {
          return { value: window.delever[name](...args) };
        } catch (error) {
          return { error: { isError: error instanceof Error, message: error.message } };
        }
      },
      [name, args],
    );
  }

  /** The API's text for `name(...args)`, failing the test with the thrown message if any. */
  async function text(name, ...args) {
    const result = await call(name, ...args);
    assert.equal(result.error, undefined, `${name} threw: ${result.error?.message}`);
    return result.value;
  }

  test('is defined once, frozen, with ready, the five functions and version', async () => {
    const shape = await opened.page.evaluate(() => {
      const before = window.delever;
      window.delever = { simulate: () => 'replaced' };
      const descriptor = Object.getOwnPropertyDescriptor(window, 'delever');
      return {
        same: window.delever === before,
        frozen: Object.isFrozen(window.delever),
        writable: descriptor.writable,
        configurable: descriptor.configurable,
        keys: Object.keys(window.delever).sort(),
        types: Object.values(window.delever).map((value) => typeof value),
        version: window.delever.version(),
        readyDetail: window.__e2e.readyDetail,
      };
    });
    assert.equal(shape.same, true, 'assigning window.delever replaced it');
    assert.equal(shape.frozen, true);
    assert.equal(shape.writable, false);
    assert.equal(shape.configurable, false);
    assert.deepEqual(shape.keys, ['decompose', 'feasibility', 'goalSeek', 'monteCarlo', 'ready', 'sensitivity', 'simulate', 'version']);
    assert.ok(shape.types.every((type) => type === 'function'));
    assert.match(shape.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(shape.readyDetail, { version: shape.version });
  });

  for (const id of PRESETS) {
    test(`simulate(${id}) is the command line's simulate --format json`, async () => {
      const expected = cliJson('simulate', presetPath(id), '--format', 'json');
      assert.equal(await text('simulate', presetText(id)), expected);
    });
  }

  test('ready() resolves once the functions work; before, each throws saying to await it', async () => {
    // Hold the engine module's wasm (fetched on the first ready()) until the functions have
    // been called once, as a host page might.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    const early = await openPage(browser, {
      waitForReady: false,
      beforeNavigation: async ({ page }) => {
        await page.route('**/delever_worker_bg.wasm', async (route) => {
          await held;
          await route.continue();
        });
      },
    });
    try {
      await early.page.waitForFunction(() => typeof window.delever === 'object');
      const before = await early.page.evaluate(() => {
        const readyBefore = window.delever.ready();
        try {
          window.delever.simulate('{}');
          return { threw: false };
        } catch (error) {
          return {
            threw: true,
            isError: error instanceof Error,
            message: error.message,
            same: readyBefore === window.delever.ready(),
          };
        }
      });
      assert.equal(before.threw, true, 'simulate worked before the engine was ready');
      assert.equal(before.isError, true);
      assert.match(before.message, /await window\.delever\.ready\(\)/);
      assert.match(before.message, /仍在加载/);
      assert.equal(before.same, true, 'ready() returns the same promise each time');
      release();
      const after = await early.page.evaluate(async (text) => {
        await window.delever.ready();
        return window.delever.simulate(text);
      }, presetText('licheng-2019'));
      assert.equal(after, cliJson('simulate', presetPath('licheng-2019'), '--format', 'json'));
    } finally {
      release();
      await early.context.close();
    }
  });

  test('decompose is the command line’s decompose (MODEL.md section 12, v2)', async () => {
    const file = presetPath(LICHENG);
    const scenario = presetText(LICHENG);
    assert.equal(await text('decompose', scenario, null), cliJson('decompose', file, '--format', 'json'));
    assert.equal(await text('decompose', scenario, 2019), cliJson('decompose', file, '--year', '2019', '--format', 'json'));
    const refused = await call('decompose', scenario, 2030);
    assert.equal(refused.error?.isError, true);
    assert.match(refused.error.message, /2030/);
    assert.match(refused.error.message, /2019 … 2019/);
  });

  test('goalSeek is the command line’s goal-seek', async () => {
    const file = presetPath(LICHENG);
    const scenario = presetText(LICHENG);
    assert.equal(
      await text('goalSeek', scenario, 'write_off_share', null),
      cliJson('goal-seek', file, '--lever', 'write_off_share', '--format', 'json'),
    );
    assert.equal(
      await text('goalSeek', scenario, 'disposal', ['npl_cap', 'loans_floor']),
      cliJson('goal-seek', file, '--lever', 'disposal', '--target', 'npl_cap', '--target', 'loans_floor', '--format', 'json'),
    );
  });

  test('sensitivity is the command line’s sensitivity', async () => {
    const file = presetPath(LICHENG);
    const scenario = presetText(LICHENG);
    assert.equal(await text('sensitivity', scenario, null, null), cliJson('sensitivity', file, '--format', 'json'));
    assert.equal(await text('sensitivity', scenario), cliJson('sensitivity', file, '--format', 'json'));
    assert.equal(
      await text('sensitivity', scenario, 'npl', 2019),
      cliJson('sensitivity', file, '--metric', 'npl', '--year', '2019', '--format', 'json'),
    );
  });

  test('feasibility is the command line’s feasibility', async () => {
    const file = presetPath(LICHENG);
    assert.equal(
      await text('feasibility', presetText(LICHENG), 'disposal', 'write_off_share', 5),
      cliJson('feasibility', file, '--x', 'disposal', '--y', 'write_off_share', '--steps', '5', '--format', 'json'),
    );
  });

  test('monteCarlo is the command line’s monte-carlo', async () => {
    const file = presetPath(LICHENG);
    const scenario = presetText(LICHENG);
    assert.equal(
      await text('monteCarlo', scenario, 50, null, null),
      cliJson('monte-carlo', file, '--paths', '50', '--format', 'json'),
    );
    const expected = cliJson('monte-carlo', file, '--paths', '50', '--seed', '7', '--cv', '0.1', '--format', 'json');
    assert.equal(await text('monteCarlo', scenario, 50, 7, 0.1), expected);
    assert.equal(await text('monteCarlo', scenario, 50, 7, '0.1'), expected);
  });

  test('invalid input throws an Error with the command line’s message', async () => {
    const scenario = JSON.parse(presetText(LICHENG));
    scenario.years = 11;
    scenario.start = '2018-11';
    const bad = JSON.stringify(scenario, null, 2);
    const file = join(scratch, 'bad.json');
    writeFileSync(file, bad);
    const expected = cli('simulate', file, '--format', 'json');
    assert.equal(expected.status, 2, expected.stderr);

    const result = await call('simulate', bad);
    assert.ok(result.error, 'simulate did not throw');
    assert.equal(result.error.isError, true);
    assert.match(result.error.message, /^error: years: /m);
    assert.match(result.error.message, /^error: start: /m);
    // Standard error ends with a newline; an Error's message does not.
    assert.equal(result.error.message + '\n', expected.stderr);

    for (const [name, args, cliArgs] of [
      ['goalSeek', ['disposal', null], ['goal-seek', file, '--lever', 'disposal']],
      ['sensitivity', [null, null], ['sensitivity', file]],
      ['feasibility', ['disposal', 'write_off_share', 5], ['feasibility', file, '--x', 'disposal', '--y', 'write_off_share', '--steps', '5']],
      ['monteCarlo', [50, null, null], ['monte-carlo', file, '--paths', '50']],
    ]) {
      const thrown = await call(name, bad, ...args);
      assert.equal(thrown.error?.message + '\n', cli(...cliArgs).stderr, name);
    }
  });

  test('refusals of the analyses are the command line’s messages', async () => {
    const file = presetPath(LICHENG);
    const scenario = presetText(LICHENG);
    for (const [name, args, cliArgs] of [
      ['monteCarlo', [0, null, null], ['monte-carlo', file, '--paths', '0']],
      ['monteCarlo', [10, null, '9'], ['monte-carlo', file, '--paths', '10', '--cv', '9']],
      ['feasibility', ['disposal', 'disposal', 1], ['feasibility', file, '--x', 'disposal', '--y', 'disposal', '--steps', '1']],
      ['feasibility', ['disposal', 'loan_growth', 1], ['feasibility', file, '--x', 'disposal', '--y', 'loan_growth', '--steps', '1']],
      ['sensitivity', ['npl', 2030], ['sensitivity', file, '--metric', 'npl', '--year', '2030']],
      ['sensitivity', ['nplx', null], ['sensitivity', file, '--metric', 'nplx']],
      ['goalSeek', ['disposal', ['nope']], ['goal-seek', file, '--lever', 'disposal', '--target', 'nope']],
    ]) {
      const expected = cli(...cliArgs);
      assert.equal(expected.status, 2, `delever-cli ${cliArgs.join(' ')} should refuse`);
      const thrown = await call(name, scenario, ...args);
      assert.equal(thrown.error?.message + '\n', expected.stderr, `${name}(${JSON.stringify(args)})`);
    }
  });

  test('problems of the arguments and of the file come together, as on the command line', async () => {
    const file = join(scratch, 'not-json.json');
    writeFileSync(file, '{"schema": 1,');
    const thrown = await call('goalSeek', '{"schema": 1,', 'leverage', null);
    const expected = cli('goal-seek', file, '--lever', 'leverage');
    assert.equal(expected.status, 2);
    assert.equal(thrown.error?.message + '\n', expected.stderr);
    assert.match(thrown.error.message, /"leverage" is not a lever/);
  });

  test('arguments of the wrong kind throw, never trap', async () => {
    const scenario = presetText(LICHENG);
    for (const [name, args, pattern] of [
      ['simulate', [{ schema: 1 }], /^error: scenarioJson: .*JSON\.stringify/],
      ['simulate', [], /^error: scenarioJson: is required but missing/],
      ['goalSeek', [scenario, 'disposal', [1]], /^error: targetIds\[0\]: /],
      ['feasibility', [scenario, 'disposal', 'write_off_share', 2.5], /^error: steps: 2\.5 is not a whole number/],
      ['monteCarlo', [scenario, -1, null, null], /^error: paths -1 is out of range/],
      ['monteCarlo', [scenario, 10, 2 ** 60, null], /^error: seed: .*BigInt/],
    ]) {
      const thrown = await call(name, ...args);
      assert.ok(thrown.error, `${name}(${JSON.stringify(args).slice(0, 60)}) did not throw`);
      assert.equal(thrown.error.isError, true);
      assert.match(thrown.error.message, pattern);
    }
    // The module still works after all of that.
    assert.equal(await text('simulate', scenario), cliJson('simulate', presetPath(LICHENG), '--format', 'json'));
    assert.deepEqual(opened.log.pageErrors, []);
  });
});
