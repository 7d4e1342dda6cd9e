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

// Large scenarios are projected in the engine's Web Worker (www/worker.js), so the page
// never freezes while they run (src/state.rs, `OFF_THREAD_FROM`). The worker runs one
// request at a time; a request made while it is busy waits, and a newer one takes its place
// (the one replaced answers `null`, never computed). The single file (dist/delever.html)
// defines `__deleverDistWorker`, which starts the worker from its own inert blocks.
function startWorker() {
  if (typeof __deleverDistWorker === 'function') return __deleverDistWorker();
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

let worker = null;
let broken = false;
let running = null;
let waiting = null;
let requests = 0;

function run(request) {
  running = request;
  requests += 1;
  worker.postMessage({ id: requests, scenario: request.scenario });
}

function answered(event) {
  const done = running;
  running = null;
  if (waiting !== null) {
    const next = waiting;
    waiting = null;
    run(next);
  }
  if (done === null) return;
  if (event.data.error !== undefined) {
    done.reject(new Error(event.data.error));
  } else {
    done.resolve(event.data.bytes);
  }
}

// The worker could not start or failed: every request waiting fails (the page runs them
// itself) and no other worker is started.
function failed(event) {
  event.preventDefault?.();
  broken = true;
  worker?.terminate();
  worker = null;
  for (const request of [running, waiting]) {
    request?.reject(new Error('the engine worker failed'));
  }
  running = null;
  waiting = null;
}

function projectOffThread(scenario) {
  return new Promise((resolve, reject) => {
    if (broken) {
      reject(new Error('the engine worker is not available'));
      return;
    }
    if (worker === null) {
      try {
        worker = startWorker();
      } catch (error) {
        broken = true;
        reject(error);
        return;
      }
      worker.onmessage = answered;
      worker.onerror = failed;
      worker.onmessageerror = failed;
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

if (typeof Worker === 'function') {
  Object.defineProperty(window, '__deleverProject', { value: projectOffThread });
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
