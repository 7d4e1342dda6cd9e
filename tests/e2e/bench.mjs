// Browser benchmark (not a test: `cargo xtask bench --browser` runs it): the page's transfer
// size, the time from navigation to the first figure, and input → repainted charts.
//
// Prints medians of a few runs; nothing is asserted, because the machine is shared.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

import { READY_TIMEOUT_MS, ROOT, baseUrl, launch } from './helpers.mjs';

const COLD_LOADS = 5;
const SLIDER_MOVES = 100;

/** `gzip -9` size of a file: the gzip program when present (as `cargo xtask build` prints), else zlib at level 9. */
function gzipSize(file) {
  const result = spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 64 * 1024 * 1024 });
  if (!result.error && result.status === 0) {
    return result.stdout.length;
  }
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/** The files a visit transfers: dist/*.wasm, *.js, *.css, *.html (the presets are embedded in the wasm). */
function transferSize() {
  const dist = join(ROOT, 'dist');
  const files = readdirSync(dist)
    .filter((name) => /\.(wasm|js|css|html)$/.test(name))
    .sort();
  const rows = files.map((name) => {
    const path = join(dist, name);
    return { name, raw: readFileSync(path).length, gzip: gzipSize(path) };
  });
  return { rows, raw: rows.reduce((sum, row) => sum + row.raw, 0), gzip: rows.reduce((sum, row) => sum + row.gzip, 0) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (as MODEL.md's Monte Carlo): `sorted[ceil(q·n) − 1]`. */
function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/**
 * One cold load in a fresh context (empty cache): milliseconds from the start of navigation
 * (the page's time origin) to the first `[data-kpi]` element in the document, observed in
 * the page by a MutationObserver installed before any of its scripts run.
 */
async function coldLoad(browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const found = () => {
        if (window.__firstKpiMs === undefined && document.querySelector('[data-kpi]')) {
          window.__firstKpiMs = performance.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(found);
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.goto(baseUrl());
    await page.waitForFunction(() => window.__firstKpiMs !== undefined, null, { timeout: READY_TIMEOUT_MS });
    return await page.evaluate(() => window.__firstKpiMs);
  } finally {
    await context.close();
  }
}

/**
 * Input → repaint over SLIDER_MOVES moves of the page's range inputs (`input[type=range][data-field]`).
 *
 * Each move sets a slider to a different value, dispatches `input` (what a drag does), then
 * awaits two animation frames (the app's update, then the frame that paints it) and checks
 * that every `canvas[data-chart]` has a changed `data-rendered` attribute. Two times per
 * move, from just before setting the value, measured in the page: `repaint`, to the last
 * `data-rendered` change (seen by a MutationObserver: the charts are drawn), and `frames`,
 * to the end of the second frame (includes waiting for the display's frame, ~16.7 ms each).
 * Returns null when the page has no levers.
 */
export async function measureSliderRepaint(page) {
  return page.evaluate(async (moves) => {
    const sliders = [...document.querySelectorAll('input[type=range][data-field]')];
    if (sliders.length === 0) {
      return null;
    }
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const charts = () => [...document.querySelectorAll('canvas[data-chart]')];
    const repaint = [];
    const frames = [];
    const notRepainted = [];
    let lastChange = null;
    const observer = new MutationObserver(() => {
      lastChange = performance.now();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-rendered'], subtree: true });
    for (let move = 0; move < moves; move += 1) {
      // Re-query each time: the app may re-render its inputs.
      const current = [...document.querySelectorAll('input[type=range][data-field]')];
      const slider = current[move % current.length];
      const min = Number(slider.min || 0);
      const max = Number(slider.max || 100);
      const before = new Map(charts().map((canvas) => [canvas, canvas.getAttribute('data-rendered')]));
      // Walk between 20% and 80% of the range so every move is a real change; the browser
      // snaps the value to the slider's step.
      const old = slider.value;
      let fraction = 0.2 + 0.6 * (((move * 7) % 11) / 10);
      lastChange = null;
      const started = performance.now();
      slider.value = String(min + (max - min) * fraction);
      if (slider.value === old) {
        fraction = fraction > 0.5 ? 0.2 : 0.8;
        slider.value = String(min + (max - min) * fraction);
      }
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      await frame();
      frames.push(performance.now() - started);
      if (lastChange !== null) {
        repaint.push(lastChange - started);
      }
      const stale = [...before.entries()]
        .filter(([canvas, rendered]) => canvas.isConnected && canvas.getAttribute('data-rendered') === rendered)
        .map(([canvas]) => canvas.getAttribute('data-chart'));
      if (stale.length > 0) {
        notRepainted.push(`move ${move + 1} (${slider.getAttribute('data-field')}): ${stale.join(', ')}`);
      }
    }
    observer.disconnect();
    return { sliders: sliders.length, charts: charts().length, repaint, frames, notRepainted };
  }, SLIDER_MOVES);
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main() {
  const size = transferSize();
  console.log('Transfer size of the built page (dist/, gzip -9)');
  console.log(`| ${'file'.padEnd(20)} | ${'bytes'.padStart(10)} | ${'gzip -9'.padStart(10)} |`);
  console.log(`|${'-'.repeat(22)}|${'-'.repeat(12)}|${'-'.repeat(12)}|`);
  for (const row of size.rows) {
    console.log(`| ${row.name.padEnd(20)} | ${String(row.raw).padStart(10)} | ${String(row.gzip).padStart(10)} |`);
  }
  console.log(`| ${'total'.padEnd(20)} | ${String(size.raw).padStart(10)} | ${String(size.gzip).padStart(10)} |`);
  console.log(`total transferred (gzip -9): ${size.gzip} bytes (${kib(size.gzip)})\n`);

  const browser = await launch();
  try {
    const loads = [];
    for (let run = 0; run < COLD_LOADS; run += 1) {
      loads.push(await coldLoad(browser));
    }
    console.log(`Navigation → first [data-kpi], ${COLD_LOADS} cold loads (fresh context each)`);
    console.log(`  median ${median(loads).toFixed(1)} ms   runs: ${loads.map((ms) => ms.toFixed(1)).join(', ')} ms\n`);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(baseUrl());
    await page.waitForSelector('[data-kpi]', { state: 'attached', timeout: READY_TIMEOUT_MS });
    const repaint = await measureSliderRepaint(page);
    console.log(`Input → repainted charts, ${SLIDER_MOVES} slider moves (input event, then two animation frames)`);
    if (repaint === null) {
      console.log('  no levers yet (no input[type=range][data-field] on the page)');
    } else {
      const line = (label, times) =>
        times.length === 0
          ? `  ${label}: none seen`
          : `  ${label}: p50 ${percentile(times, 0.5).toFixed(1)} ms   p95 ${percentile(times, 0.95).toFixed(1)} ms` +
            `   (${times.length} moves)`;
      console.log(`  ${repaint.sliders} sliders, ${repaint.charts} charts`);
      console.log(line('input → charts redrawn (last data-rendered change)', repaint.repaint));
      console.log(line('input → end of the second animation frame', repaint.frames));
      if (repaint.charts === 0) {
        console.log('  no canvas[data-chart] on the page: the time is input → two frames, with nothing to repaint');
      } else if (repaint.notRepainted.length > 0) {
        console.log(`  ${repaint.notRepainted.length} of ${SLIDER_MOVES} moves left a chart unrepainted, e.g.`);
        for (const line of repaint.notRepainted.slice(0, 5)) {
          console.log(`    ${line}`);
        }
        process.exitCode = 1;
      } else {
        console.log('  every chart repainted after every move');
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
}

// Run when executed (`node tests/e2e/bench.mjs`), not when imported.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
