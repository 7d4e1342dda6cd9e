// The engine's Web Worker (crates/delever-worker): projects large scenarios and runs their
// analyses off the page's main thread. Messages from the page (boot.js):
//   { kind: 'project', id, scenario }          → { kind: 'project', id, bytes, ms } (wire bytes,
//                                                  empty when the page must run it itself;
//                                                  ms: the engine's time in this worker)
//   { kind: 'project', id, scenario, index, workers }
//                                               one worker of a pool of `workers` (delever_model::parts):
//                                                  worker 0 answers { kind: 'project', id, bytes, ms }
//                                                  once it has merged every other worker's part
//                                                  (or at once when the scenario does not run in
//                                                  parts); any other answers
//                                                  { kind: 'project-part', id, index, bytes }
//                                                  (empty: nothing to merge), which the page passes
//                                                  on to worker 0
//   { kind: 'project-part', id, index, bytes }  (to worker 0) a part of its pooled projection `id`
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
  projectShare,
  projectMerge,
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

/** Worker 0's pooled projection waiting for the other workers' parts: { id, parts, waiting, start }. */
let pooled = null;

/** Worker 0 answers its pooled projection, merged from the parts (no bytes if one failed). */
function answerPooled() {
  const { id, parts, start } = pooled;
  pooled = null;
  const bytes = parts.every((part) => part.length > 0) ? projectMerge(parts) : new Uint8Array(0);
  self.postMessage({ kind: 'project', id, bytes, ms: performance.now() - start }, [bytes.buffer]);
}

/** A projection message: the whole run, or this worker's share of a pool's. */
function projectMessage({ id, scenario, index, workers }) {
  const start = performance.now();
  pooled = null;
  if (index === undefined) {
    const bytes = project(scenario);
    self.postMessage({ kind: 'project', id, bytes, ms: performance.now() - start }, [bytes.buffer]);
    return;
  }
  const share = projectShare(scenario, index, workers);
  const tag = share[0];
  if (index > 0) {
    const bytes = tag === 1 ? share.slice(1) : new Uint8Array(0);
    self.postMessage({ kind: 'project-part', id, index, bytes }, [bytes.buffer]);
    return;
  }
  if (tag === 1) {
    pooled = { id, parts: new Array(workers - 1), waiting: workers - 1, start };
    if (pooled.waiting === 0) answerPooled();
    return;
  }
  const bytes = tag === 0 ? share.slice(1) : new Uint8Array(0);
  self.postMessage({ kind: 'project', id, bytes, ms: performance.now() - start }, [bytes.buffer]);
}

/** Worker 0: another worker's part of the pooled projection `id` (ignored if that one is gone). */
function partMessage({ id, index, bytes }) {
  if (pooled === null || pooled.id !== id || pooled.parts[index - 1] !== undefined) return;
  pooled.parts[index - 1] = bytes;
  pooled.waiting -= 1;
  if (pooled.waiting === 0) answerPooled();
}

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
        projectMessage(message);
      } else if (message.kind === 'project-part') {
        partMessage(message);
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
