// Starts Delever: loads the wasm-bindgen glue, which fetches and starts the WebAssembly app.
// A separate file, not an inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval').
import init from './delever.js';

init().catch((error) => {
  console.error(error);
  const status = document.getElementById('boot-status');
  if (status) {
    status.textContent = '加载失败（' + error + '）。请使用较新的浏览器，或刷新重试。';
    status.classList.add('boot-failed');
  }
});
