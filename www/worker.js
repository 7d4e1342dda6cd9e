// The engine's Web Worker (crates/delever-worker): projects large scenarios and runs their
// analyses off the page's main thread. Messages from the page (boot.js):
//   { kind: 'project', id, scenario }          → { kind: 'project', id, bytes } (wire bytes;
//                                                  empty when the page must run it itself)
//   { kind: 'analyse', id, scenario, request }  → { kind: 'progress', id, done, total } …,
//                                                  then { kind: 'answers', id, bytes } or
//                                                  { kind: 'refused', id, words: [zh, en] }
//   { kind: 'cancel', id }                      → the analysis `id` stops, unanswered
// Any failure of the module itself: { kind: 'failed', id, error }. An analysis runs a few
// simulations at a time and yields between slices, so a newer message (a cancellation, a
// projection, another analysis) is read within a slice.
// The single file (dist/delever.html) starts this worker from a `blob:` URL, where the
// module's wasm cannot be fetched: it first sends `{ wasm }`, the module's bytes.
import init, { project, analysisStart, analysisSlice, analysisProgress, analysisResult } from './worker/delever_worker.js';

/** How long one slice of an analysis runs before the worker reads its messages again. */
const SLICE_MS = 40;

let started = null;
let wasm;
/** The id of the analysis to run; any other stops at its next slice. */
let analysing = null;

function failed(id, error) {
  self.postMessage({ kind: 'failed', id, error: String(error) });
}

async function analyse({ id, scenario, request }) {
  analysing = id;
  const refusal = analysisStart(scenario, request);
  if (refusal.length > 0) {
    self.postMessage({ kind: 'refused', id, words: refusal });
    return;
  }
  const now = () => performance.now();
  for (;;) {
    const finished = analysisSlice(SLICE_MS, now);
    if (finished) {
      try {
        const bytes = analysisResult();
        self.postMessage({ kind: 'answers', id, bytes }, [bytes.buffer]);
      } catch (words) {
        self.postMessage({ kind: 'refused', id, words });
      }
      return;
    }
    const [done, total] = analysisProgress();
    self.postMessage({ kind: 'progress', id, done, total });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (analysing !== id) return; // Cancelled, or replaced by a newer analysis.
  }
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.wasm !== undefined) {
    wasm = message.wasm;
    return;
  }
  if (message.kind === 'cancel') {
    if (analysing === message.id) analysing = null;
    return;
  }
  started ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  started.then(
    () => {
      if (message.kind === 'project') {
        const bytes = project(message.scenario);
        self.postMessage({ kind: 'project', id: message.id, bytes }, [bytes.buffer]);
      } else if (message.kind === 'analyse') {
        analyse(message).catch((error) => failed(message.id, error));
      }
    },
    (error) => {
      started = null;
      failed(message.id, error);
    },
  );
};
