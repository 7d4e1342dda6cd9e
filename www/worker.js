// The engine's Web Worker (crates/delever-worker): projects large scenarios and runs their
// analyses off the page's main thread. Messages from the page (boot.js):
//   { kind: 'project', id, scenario }          → { kind: 'project', id, bytes, ms } (wire bytes,
//                                                  empty when the page must run it itself;
//                                                  ms: the engine's time in this worker)
//   { kind: 'analyse', id, scenario, request }  → { kind: 'progress', id, done, total } …,
//                                                  then { kind: 'answers', id, bytes } or
//                                                  { kind: 'refused', id, words: [zh, en] }
//   { kind: 'analyse', id, scenario, request, index, workers }
//                                               one worker of a pool of `workers`: as above,
//                                                  its progress tagged with `index`, then
//                                                  { kind: 'answers', … } (it ran the whole
//                                                  request), { kind: 'part', id, index, bytes }
//                                                  (its part) or { kind: 'idle', id, index }
//   { kind: 'merge', id, scenario, request, parts }
//                                               → { kind: 'answers', id, bytes } from the pool's
//                                                  parts (in order), or { kind: 'refused', … }
//   { kind: 'cancel', id }                      → the analysis `id` stops, unanswered
// Any failure of the module itself: { kind: 'failed', id, error }. An analysis runs a few
// simulations at a time and yields between slices, so a newer message (a cancellation, a
// projection, another analysis) is read within a slice.
// The single file (dist/delever.html) starts this worker from a `blob:` URL, where the
// module's wasm cannot be fetched: it first sends `{ wasm }`, the module's bytes.
import init, {
  project,
  analysisStart,
  analysisStartShare,
  analysisSlice,
  analysisProgress,
  analysisResult,
  analysisMerge,
} from './worker/delever_worker.js';

/** How long one slice of an analysis runs before the worker reads its messages again. */
const SLICE_MS = 40;

let started = null;
let wasm;
/** The id of the analysis to run; any other stops at its next slice. */
let analysing = null;

function failed(id, error) {
  self.postMessage({ kind: 'failed', id, error: String(error) });
}

async function analyse({ id, scenario, request, index, workers }) {
  analysing = id;
  // Alone, the whole request; in a pool, this worker's share of it.
  const pooled = workers !== undefined;
  const started = pooled ? analysisStartShare(scenario, request, index, workers) : analysisStart(scenario, request);
  const given = pooled && started.length === 1 ? started[0] : 'whole';
  if (started.length > 1 || (!pooled && started.length > 0)) {
    self.postMessage({ kind: 'refused', id, index, words: started });
    return;
  }
  if (given === 'idle') {
    self.postMessage({ kind: 'idle', id, index });
    return;
  }
  const now = () => performance.now();
  for (;;) {
    const finished = analysisSlice(SLICE_MS, now);
    if (finished) {
      try {
        const bytes = analysisResult();
        const kind = given === 'part' ? 'part' : 'answers';
        self.postMessage({ kind, id, index, bytes }, [bytes.buffer]);
      } catch (words) {
        self.postMessage({ kind: 'refused', id, index, words });
      }
      return;
    }
    const [done, total] = analysisProgress();
    self.postMessage({ kind: 'progress', id, index, done, total });
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
        const start = performance.now();
        const bytes = project(message.scenario);
        const ms = performance.now() - start;
        self.postMessage({ kind: 'project', id: message.id, bytes, ms }, [bytes.buffer]);
      } else if (message.kind === 'analyse') {
        analyse(message).catch((error) => failed(message.id, error));
      } else if (message.kind === 'merge') {
        const { id, scenario, request, parts } = message;
        try {
          const bytes = analysisMerge(scenario, request, parts);
          self.postMessage({ kind: 'answers', id, bytes }, [bytes.buffer]);
        } catch (words) {
          if (Array.isArray(words)) self.postMessage({ kind: 'refused', id, words });
          else failed(id, words);
        }
      }
    },
    (error) => {
      started = null;
      failed(message.id, error);
    },
  );
};
