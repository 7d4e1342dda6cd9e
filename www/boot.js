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
// waits, and a newer one takes its place (the one replaced answers `null`, never computed).
// Analyses: one at a time; a newer one, or a cancellation, stops the one running. If the
// worker cannot start or fails, every request fails and no other worker is started: the
// page then does the work itself (projections with its own engine; analyses with the
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

function run(request) {
  requests += 1;
  running = { ...request, id: requests };
  worker.postMessage({ kind: 'project', id: running.id, scenario: request.scenario });
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
    if (waiting !== null) {
      const next = waiting;
      waiting = null;
      run(next);
    }
    done?.resolve(message.bytes);
    return;
  }
  if (analysis === null || message.id !== analysis.id) return; // A stopped analysis.
  if (message.kind === 'progress') {
    analysis.progress(message.done, message.total);
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
    engineWorker();
    analysis?.resolve(null); // Replaced: the worker stops it on reading the new one.
    analysis = { id, progress, resolve, reject, refused: (words) => resolve({ refused: words }) };
    worker.postMessage({ kind: 'analyse', id, scenario, request });
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
      worker?.postMessage({ kind: 'cancel', id });
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
