// Starts Delever: loads the wasm-bindgen glue, which fetches and starts the WebAssembly app,
// and defines the JavaScript API (MODEL.md section 8) as a frozen `window.delever` at once.
// A separate file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
//
// `init()` instantiates the module and runs its start function, the app's `main`, which
// mounts the page into #app; nothing here mounts anything.
import init, { simulate, goalSeek, sensitivity, feasibility, monteCarlo, version } from './delever.js';

// What a function of `window.delever` says when it is called before the engine is ready.
const NOT_READY =
  'Delever is still loading: call `await window.delever.ready()` first\n' +
  'Delever 仍在加载：请先调用 `await window.delever.ready()`';

// The engine's functions once `init()` has resolved; until then each entry throws NOT_READY.
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

let settle;
// Resolves once the functions can be called; rejects with the reason if the engine cannot start.
const started = new Promise((resolve, reject) => {
  settle = { resolve, reject };
});
// Nobody awaiting `ready()` is not an unhandled rejection: the page shows its own message.
started.catch(() => {});

const api = Object.freeze({
  ready: () => started,
  simulate: entry('simulate'),
  goalSeek: entry('goalSeek'),
  sensitivity: entry('sensitivity'),
  feasibility: entry('feasibility'),
  monteCarlo: entry('monteCarlo'),
  version: entry('version'),
});

// Defined once, at start (MODEL.md section 8, v2: a host page awaits `ready()` first).
if (!Object.prototype.hasOwnProperty.call(window, 'delever')) {
  Object.defineProperty(window, 'delever', { value: api, enumerable: true, writable: false, configurable: false });
}

function publish() {
  engine = { simulate, goalSeek, sensitivity, feasibility, monteCarlo, version };
  settle.resolve();
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
// page then does the work itself. The single file (dist/delever.html) defines
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
 * `{ refused: [zh, en] }`. Returns `{ answer, cancel }`: `cancel()` stops it (the answer is then `null`).
 */
function analyseOffThread(scenario, request, progress) {
  let cancel = () => {};
  const answer = new Promise((resolve, reject) => {
    try {
      engineWorker();
    } catch (error) {
      reject(error);
      return;
    }
    requests += 1;
    const id = requests;
    analysis = { id, progress, resolve, reject, refused: (words) => resolve({ refused: words }) };
    worker.postMessage({ kind: 'analyse', id, scenario, request });
    cancel = () => {
      if (analysis?.id === id) {
        analysis = null;
        worker?.postMessage({ kind: 'cancel', id });
        resolve(null);
      }
    };
  });
  return { answer, cancel: () => cancel() };
}

if (typeof Worker === 'function') {
  Object.defineProperty(window, '__deleverProject', { value: projectOffThread });
  Object.defineProperty(window, '__deleverAnalyse', { value: analyseOffThread });
}

init().then(publish, (error) => {
  console.error(error);
  settle.reject(error instanceof Error ? error : new Error(String(error)));
  const status = document.getElementById('boot-status');
  if (status) {
    status.textContent = '加载失败（' + error + '）。请使用较新的浏览器，或刷新重试。';
    status.classList.add('boot-failed');
  }
});
