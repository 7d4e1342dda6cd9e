// The engine's Web Worker: projects large scenarios off the page's main thread
// (crates/delever-worker). The page (boot.js) sends `{ id, scenario }` (the scenario's
// canonical JSON) one at a time and gets back `{ id, bytes }` (the projection, `wire`
// encoded; empty when the page must run the scenario itself) or `{ id, error }`.
// The single file (dist/delever.html) starts this worker from a `blob:` URL, where the
// module's wasm cannot be fetched: it first sends `{ wasm }`, the module's bytes.
import init, { project } from './worker/delever_worker.js';

let started = null;
let wasm;

self.onmessage = (event) => {
  const message = event.data;
  if (message.wasm !== undefined) {
    wasm = message.wasm;
    return;
  }
  started ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  started.then(
    () => {
      const bytes = project(message.scenario);
      self.postMessage({ id: message.id, bytes }, [bytes.buffer]);
    },
    (error) => {
      started = null;
      self.postMessage({ id: message.id, error: String(error) });
    },
  );
};
