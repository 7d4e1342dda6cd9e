// Starts Delever: loads the wasm-bindgen glue, which fetches and starts the WebAssembly app,
// and defines the JavaScript API (MODEL.md section 8) as a frozen `window.delever` at once.
// A separate file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
//
// `init()` instantiates the page's module and runs its start function, the app's `main`,
// which mounts the page into #app; nothing here mounts anything. The engine's functions
// (`window.delever`) and the analyses live in a second module, the engine's
// (crates/delever-worker, `worker/delever_worker.js`), which a first visit does not fetch:
// it is fetched on the first `window.delever.ready()`, when an analysis runs on this thread,
// and by the engine's Web Worker (www/worker.js).
import init, { version } from './delever.js';

// What a function of `window.delever` says when it is called before the engine is ready.
const NOT_READY =
  'Delever is still loading: call `await window.delever.ready()` first\n' +
  'Delever 仍在加载：请先调用 `await window.delever.ready()`';

// The engine's module, fetched and started once (a failure lets a later call try again).
let engineLoad = null;
function engineModule() {
  return (engineLoad ??= import('./worker/delever_worker.js').then(async (m) => {
    await m.default();
    return m;
  }).catch((error) => {
    engineLoad = null;
    throw error;
  }));
}

// The engine's functions once `ready()` has resolved; until then each entry throws NOT_READY.
// Each takes the scenario as JSON text and returns the JSON text
// `delever-cli <command> --format json` prints; invalid input throws an Error whose
// message is the command line's (every problem, in English and in Chinese).
let engine = null;

/** A function of `window.delever` that calls the engine's `name` once it is ready. */
function entry(name) {
  return (...args) => {
    if (engine === null) {
      throw new Error(NOT_READY);
    }
    return engine[name](...args);
  };
}

// The page's own start: `ready()` also waits for it, so a host that awaits `ready()` knows
// the page is up as well as the engine.
let pageStarted;
const page = new Promise((resolve, reject) => {
  pageStarted = { resolve, reject };
});
page.catch(() => {});

let readying = null;
/** Resolves once the functions can be called; rejects with the reason if the engine cannot start. */
function ready() {
  readying ??= Promise.all([page, engineModule()]).then(([, m]) => {
    engine = m;
  }).catch((error) => {
    readying = null; // A later `ready()` tries again.
    throw error instanceof Error ? error : new Error(String(error));
  });
  return readying;
}

const api = Object.freeze({
  ready,
  simulate: entry('simulate'),
  goalSeek: entry('goalSeek'),
  sensitivity: entry('sensitivity'),
  feasibility: entry('feasibility'),
  monteCarlo: entry('monteCarlo'),
  decompose: entry('decompose'),
  version: entry('version'),
});

// Defined once, at start (MODEL.md section 8, v2: a host page awaits `ready()` first).
if (!Object.prototype.hasOwnProperty.call(window, 'delever')) {
  Object.defineProperty(window, 'delever', { value: api, enumerable: true, writable: false, configurable: false });
}

// The page has started: it hears `delever:load` messages from now on.
function publish() {
  pageStarted.resolve();
  window.dispatchEvent(new CustomEvent('delever:ready', { detail: { version: version() } }));
}

// The spreadsheet module (xlsx/csv import, template, workbook export) is a separate, smaller
// WebAssembly module, fetched only the first time someone imports or exports a spreadsheet.
let sheets = null;
Object.defineProperty(window, '__deleverSheets', {
  value: () => (sheets ??= import('./sheets/delever_sheets.js').then(async (m) => {
    await m.default();
    return m;
  }).catch((error) => {
    sheets = null; // Let a later click try again.
    throw error;
  })),
});

// Large scenarios are projected, and their analyses run, in the engine's Web Worker
// (www/worker.js), so the page never freezes while they run (src/state.rs,
// `OFF_THREAD_FROM`). Projections: one at a time; a request made while the worker is busy
// waits, and a newer one takes its place (the one replaced answers `null`, never computed);
// with a pool (below), each worker runs a range of the institutions and the engine's worker
// merges the parts, bit for bit the whole run (`run`).
// Analyses: one at a time; a newer one, or a cancellation, stops the one running. Each runs
// on a pool of workers, the engine's worker and up to POOL_MAX − 1 helpers (one per core the
// browser reports, `navigator.hardwareConcurrency`; `?workers=N` in the address sets it): every
// worker is sent the request with its index, a request that splits (Monte Carlo paths, map
// rows) runs a part in each and the engine's worker merges the parts' bytes into the one
// answer; any other runs whole in the engine's worker while the helpers idle. This thread only
// passes bytes on. If the engine's worker cannot start or fails, every request fails and no
// other worker is started (a helper failing ends the pool: analyses then use the engine's
// worker alone): the page then does the work itself (projections with its own engine; analyses with the
// engine's module, on this thread, in slices). The single file (dist/delever.html) defines
// `__deleverDistWorker`, which starts the worker from its own inert blocks.
function startWorker() {
  if (typeof __deleverDistWorker === 'function') return __deleverDistWorker();
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

let worker = null;
let broken = false;
let requests = 0;
let running = null;
let waiting = null;
let analysis = null;

/** The most workers an analysis uses, the engine's worker included. */
const POOL_MAX = 8;

/** How many workers an analysis uses: `?workers=N` (1 … POOL_MAX), else one per core. */
function poolSize() {
  const asked = Number.parseInt(new URLSearchParams(location.search).get('workers') ?? '', 10);
  const cores = Number.isInteger(asked) && asked > 0 ? asked : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(POOL_MAX, cores));
}

/** The helpers beside the engine's worker, started with the first analysis; `null` once one has failed. */
let helpers = [];

function poolWorkers() {
  const all = [engineWorker()];
  if (helpers === null) return all;
  try {
    while (helpers.length < poolSize() - 1) {
      const helper = startWorker();
      const index = helpers.length + 1;
      helper.onmessage = (event) => {
        const { kind } = event.data;
        if (kind === 'failed') helperFailed();
        else if (kind === 'project-part') partMessage(event.data);
        else analysisMessage(event.data, index);
      };
      helper.onerror = helperFailed;
      helper.onmessageerror = helperFailed;
      helpers.push(helper);
    }
  } catch {
    helperFailed();
    return all;
  }
  return all.concat(helpers);
}

/** A helper failed: the pool ends (the engine's worker goes on alone); a pooled analysis under way fails over to this thread. */
function helperFailed(event) {
  event?.preventDefault?.();
  for (const helper of helpers ?? []) helper.terminate();
  helpers = null;
  // A pooled projection under way: the engine's worker runs it again, alone.
  if (running?.pooled) {
    running.pooled = false;
    worker?.postMessage({ kind: 'project', id: running.id, scenario: running.scenario });
  }
  if (analysis?.pool) {
    const stopped = analysis;
    analysis = null;
    worker?.postMessage({ kind: 'cancel', id: stopped.id });
    stopped.reject(new Error('a worker of the pool failed'));
  }
}

function engineWorker() {
  if (broken) throw new Error('the engine worker is not available');
  if (worker === null) {
    try {
      worker = startWorker();
    } catch (error) {
      broken = true;
      throw error;
    }
    worker.onmessage = answered;
    worker.onerror = failed;
    worker.onmessageerror = failed;
  }
  return worker;
}

/**
 * Sends `request` to the engine's worker, and with a pool (more than one core, `?workers`)
 * to every worker of it: each runs its range of the institutions, the engine's worker merges
 * the parts (crates/delever-model/src/parts.rs; a scenario whose institutions depend on one
 * another runs whole in the engine's worker).
 */
function run(request) {
  requests += 1;
  running = { ...request, id: requests, sent: performance.now(), pooled: false };
  const { id } = running;
  const workers = poolSize() > 1 ? poolWorkers() : [worker];
  if (workers.length === 1) {
    worker.postMessage({ kind: 'project', id, scenario: request.scenario });
    return;
  }
  running.pooled = true;
  workers.forEach((each, index) =>
    each.postMessage({ kind: 'project', id, scenario: request.scenario, index, workers: workers.length }),
  );
}

/** A helper's part of the pooled projection under way, passed on to the engine's worker. */
function partMessage(message) {
  if (running?.pooled && running.id === message.id) worker?.postMessage(message, [message.bytes.buffer]);
}

function answered(event) {
  const message = event.data;
  if (message.kind === 'failed') {
    failed(new Error(message.error));
    return;
  }
  if (message.kind === 'project') {
    const done = running;
    running = null;
    // The benchmark's stages (src/timing.rs): the engine's run in the worker, and the whole
    // round trip from this thread (the run, its queue and both messages).
    if (done !== null && typeof message.ms === 'number') {
      const now = performance.now();
      performance.measure('worker', { start: now - message.ms, duration: message.ms });
      performance.measure('round-trip', { start: done.sent, end: now });
    }
    if (waiting !== null) {
      const next = waiting;
      waiting = null;
      run(next);
    }
    done?.resolve(message.bytes);
    return;
  }
  analysisMessage(message, 0);
}

/** An analysis message from worker `from` of the pool (0: the engine's worker). */
function analysisMessage(message, from) {
  if (analysis === null || message.id !== analysis.id) return; // A stopped analysis.
  const pool = analysis.pool;
  if (message.kind === 'progress') {
    if (!pool) {
      analysis.progress(message.done, message.total);
      return;
    }
    pool.progress[from] = [message.done, message.total];
    const [done, total] = pool.progress.reduce(([d, t], [a, b]) => [d + a, t + b], [0, 0]);
    analysis.progress(done, total);
  } else if (message.kind === 'part' || message.kind === 'idle') {
    if (!pool || pool.parts[from] !== undefined) return;
    pool.parts[from] = message.kind === 'part' ? message.bytes : null;
    pool.waiting -= 1;
    if (pool.waiting > 0) return;
    // Every worker has answered: the engine's worker merges the parts, in the pool's order.
    const parts = pool.parts.filter((bytes) => bytes !== null);
    const { id, scenario, request } = analysis;
    worker.postMessage({ kind: 'merge', id, scenario, request, parts }, parts.map((bytes) => bytes.buffer));
  } else {
    const done = analysis;
    analysis = null;
    if (message.kind === 'answers') done.resolve(message.bytes);
    else done.refused(message.words);
  }
}

function failed(event) {
  event?.preventDefault?.();
  broken = true;
  worker?.terminate();
  worker = null;
  for (const helper of helpers ?? []) helper.terminate();
  helpers = null;
  for (const request of [running, waiting, analysis]) {
    request?.reject(new Error('the engine worker failed'));
  }
  running = null;
  waiting = null;
  analysis = null;
}

/** The scenario's projection (wire bytes), `null` if a newer request replaced it first. */
function projectOffThread(scenario) {
  return new Promise((resolve, reject) => {
    try {
      engineWorker();
    } catch (error) {
      reject(error);
      return;
    }
    const request = { scenario, resolve, reject };
    if (running === null) {
      run(request);
    } else {
      waiting?.resolve(null);
      waiting = request;
    }
  });
}

/**
 * Runs the analysis `request` (wire bytes) on `scenario` in the worker, calling
 * `progress(done, total)` as it goes; resolves with the answers (wire bytes), or with
 * `{ refused: [zh, en] }`, or `null` once cancelled. Rejects if the worker fails.
 */
function analyseInWorker(id, scenario, request, progress) {
  return new Promise((resolve, reject) => {
    const workers = poolWorkers();
    analysis?.resolve(null); // Replaced: the workers stop it on reading the new one.
    if (analysis?.pool) {
      for (const helper of analysis.pool.workers.slice(1)) helper.postMessage({ kind: 'cancel', id: analysis.id });
    }
    analysis = { id, scenario, request, progress, resolve, reject, refused: (words) => resolve({ refused: words }) };
    if (workers.length === 1) {
      worker.postMessage({ kind: 'analyse', id, scenario, request });
      return;
    }
    analysis.pool = {
      workers,
      parts: workers.map(() => undefined),
      waiting: workers.length,
      progress: workers.map(() => [0, 0]),
    };
    workers.forEach((each, index) => {
      each.postMessage({ kind: 'analyse', id, scenario, request, index, workers: workers.length });
    });
  });
}

/** How long one slice of an analysis on this thread runs before the page may paint (ms). */
const SLICE_MS = 12;

/** The analysis on this thread that may go on (a newer one, or a cancellation, stops it). */
let here = null;

/** The next turn of the event loop, after any input and painting that wait (not clamped like `setTimeout`). */
function nextTurn() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * The same analysis on this thread, through the engine's module, in slices of SLICE_MS
 * between which the page handles input and paints: where no worker can start.
 */
async function analyseHere(id, scenario, request, progress) {
  here = id;
  const m = await engineModule();
  if (here !== id) return null;
  const refusal = m.analysisStart(scenario, request);
  if (refusal.length > 0) return { refused: refusal };
  const now = () => performance.now();
  while (!m.analysisSlice(SLICE_MS, now)) {
    const [done, total] = m.analysisProgress();
    progress(done, total);
    await nextTurn();
    if (here !== id) return null;
  }
  try {
    return m.analysisResult();
  } catch (words) {
    return { refused: words };
  }
}

/**
 * Runs the analysis `request` (wire bytes) on `scenario`, in the engine's worker, or on this
 * thread in slices where no worker starts or the worker fails. Calls `progress(done, total)`
 * as it goes; `answer` resolves with the answers (wire bytes), `{ refused: [zh, en] }`, or
 * `null` once `cancel()` has stopped it; it rejects only when the engine's module cannot be
 * fetched either.
 */
function analyse(scenario, request, progress) {
  requests += 1;
  const id = requests;
  let cancelled = false;
  const inWorker = () => (broken || typeof Worker !== 'function'
    ? Promise.reject(new Error('no worker'))
    : analyseInWorker(id, scenario, request, progress));
  const answer = Promise.resolve()
    .then(inWorker)
    .catch(() => (cancelled ? null : analyseHere(id, scenario, request, progress)));
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    if (here === id) here = null;
    if (analysis?.id === id) {
      const stopped = analysis;
      analysis = null;
      for (const each of stopped.pool?.workers ?? [worker]) each?.postMessage({ kind: 'cancel', id });
      stopped.resolve(null);
    }
  };
  return { answer, cancel };
}

if (typeof Worker === 'function') {
  Object.defineProperty(window, '__deleverProject', { value: projectOffThread });
}
Object.defineProperty(window, '__deleverAnalyse', { value: analyse });

init().then(publish, (error) => {
  console.error(error);
  pageStarted.reject(error instanceof Error ? error : new Error(String(error)));
  const status = document.getElementById('boot-status');
  if (status) {
    status.textContent = '加载失败（' + error + '）。请使用较新的浏览器，或刷新重试。';
    status.classList.add('boot-failed');
  }
});
