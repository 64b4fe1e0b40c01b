// Runs step_policy.onnx (export-onnx --fused) in Node's onnxruntime, a runtime other than Java's, on the inputs the
// Java side wrote (export-onnx --fused-check FILE), compares with the Java engine's outputs and times batch-1 calls.
//
//   node scripts/fused_onnx_check.mjs EXPORT_DIR CHECK.json [--runs 200] [--threads 1] [--tol 1e-5]
//
// onnxruntime-node is loaded from $FUSED_NODE_DIR/node_modules (scripts/fused-onnx-check.sh installs it there).
// Actions are compared relative to their size, |node - java| / max(1, |java|) (raw Push-T actions are pixels,
// ~500, where float32 itself resolves 3e-5); chunks in the policy's normalised units (raw * scale + offset).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const runs = Number(opt('--runs', '200'));
const threads = Number(opt('--threads', '1'));
const tol = Number(opt('--tol', '1e-5'));
if (args.length !== 2) {
  console.error('usage: node scripts/fused_onnx_check.mjs EXPORT_DIR CHECK.json [--runs 200] [--threads 1] [--tol 1e-5]');
  process.exit(2);
}
const [exportDir, checkFile] = args;
const require = createRequire(path.join(path.resolve(process.env.FUSED_NODE_DIR ?? '.'), 'package.json'));
const ort = require('onnxruntime-node');
const ortVersion = require('onnxruntime-node/package.json').version;

const policy = JSON.parse(readFileSync(path.join(exportDir, 'policy.json'), 'utf8'));
const check = JSON.parse(readFileSync(checkFile, 'utf8'));
if (!policy.fused) throw new Error(`${exportDir}/policy.json has no "fused" entry`);
const H = policy.horizon, To = policy.n_obs_steps, Ta = policy.n_action_steps, Do = policy.obs_dim, Da = policy.action_dim;
const { scale, offset } = policy.normalizer.action;

const session = await ort.InferenceSession.create(path.join(exportDir, policy.fused.file), {
  intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
});

const feeds = (c, first) => ({
  obs: new ort.Tensor('float32', Float32Array.from(c.obs), [1, To, Do]),
  prev_chunk: new ort.Tensor('float32', Float32Array.from(c.prev_chunk), [1, H, Da]),
  noise: new ort.Tensor('float32', Float32Array.from(c.noise), [1, H, Da]),
  first_call: new ort.Tensor('float32', Float32Array.from([first]), [1]),
});

let worstAction = 0, worstChunk = 0;
for (const [i, c] of check.calls.entries()) {
  const out = await session.run(feeds(c, c.first_call));
  const a = out.actions.data, ch = out.chunk.data;
  if (a.length !== Ta * Da || ch.length !== H * Da) throw new Error(`call ${i}: output sizes ${a.length}, ${ch.length}`);
  for (let j = 0; j < a.length; j++) {
    const e = c.expected_actions[j];
    worstAction = Math.max(worstAction, Math.abs(a[j] - e) / Math.max(1, Math.abs(e)));
  }
  for (let j = 0; j < ch.length; j++) {
    const d = j % Da;
    const normalized = ch[j] * scale[d] + offset[d];
    worstChunk = Math.max(worstChunk, Math.abs(normalized - c.expected_chunk_normalized[j]));
  }
}

// Batch-1 latency: a warm call (the last call's inputs, first_call = 0), after 20 unmeasured calls.
const last = check.calls[check.calls.length - 1];
const f = feeds(last, 0);
const times = [];
for (let i = -20; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  await session.run(f);
  const t1 = process.hrtime.bigint();
  if (i >= 0) times.push(Number(t1 - t0) / 1e6);
}
times.sort((x, y) => x - y);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;

const ok = worstAction <= tol && worstChunk <= tol;
console.log(`step_policy.onnx (${policy.fused.method}) on onnxruntime-node ${ortVersion}, ${check.calls.length} calls` +
  ` (the first with first_call = 1) against the Java engine on the same noise:`);
console.log(`  max relative action difference ${worstAction.toExponential(2)}, max normalised chunk difference` +
  ` ${worstChunk.toExponential(2)} (tolerance ${tol}): ${ok ? 'OK' : 'FAIL'}`);
console.log(`  batch-1 warm call, ${threads} thread(s), ${runs} runs: median ${median.toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms`);
const j = check.java_latency_ms;
if (j) console.log(`  Java side, same method (measured when the check file was written): engine median` +
  ` ${j.engine_median.toFixed(2)} ms, fused file on Java ORT ${j.fused_file_on_java_ort_median.toFixed(2)} ms (${j.runs} runs)`);
process.exit(ok ? 0 : 1);
