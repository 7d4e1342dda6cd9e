// Starts Delever: loads the wasm-bindgen glue, which fetches and starts the WebAssembly app,
// then publishes the JavaScript API (MODEL.md section 8) as a frozen `window.delever`.
// A separate file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
//
// `init()` instantiates the module and runs its start function, the app's `main`, which
// mounts the page into #app; nothing here mounts anything.
import init, { simulate, goalSeek, sensitivity, feasibility, monteCarlo, version } from './delever.js';

// Each function takes the scenario as JSON text and returns the JSON text
// `delever-cli <command> --format json` prints; invalid input throws an Error whose
// message is the command line's (every problem, in English and in Chinese).
const api = Object.freeze({ simulate, goalSeek, sensitivity, feasibility, monteCarlo, version });

function publish() {
  if (Object.prototype.hasOwnProperty.call(window, 'delever')) {
    return; // Defined once; a second run of this module (it should not happen) changes nothing.
  }
  Object.defineProperty(window, 'delever', { value: api, enumerable: true, writable: false, configurable: false });
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

init().then(publish, (error) => {
  console.error(error);
  const status = document.getElementById('boot-status');
  if (status) {
    status.textContent = '加载失败（' + error + '）。请使用较新的浏览器，或刷新重试。';
    status.classList.add('boot-failed');
  }
});
