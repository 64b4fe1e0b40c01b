#!/usr/bin/env python3
"""Runs an exported policy (step export-onnx) in Python's onnxruntime, outside the project.

The loop is the README / docs/onnx.md snippet, applied to windows of real demonstrations: for each window the
policy sees the recorded last n_obs_steps observations and its executed actions are compared with the recorded
ones (pixels).

Python packages it needs (none ships with the project):
  numpy        Debian/Ubuntu: apt-get install python3-numpy   (or pip install numpy)
  h5py         Debian/Ubuntu: apt-get install python3-h5py    (or pip install h5py)
  onnxruntime  pip install onnxruntime                        (no Debian package)

usage: scripts/onnx_python_check.py EXPORT_DIR LOWDIM.hdf5 [--demos demo_18,demo_90] [--stride 8]
"""
import argparse, json, sys

try:
    import numpy as np, h5py, onnxruntime as ort
except ImportError as e:
    sys.exit(f"onnx_python_check.py: missing Python package '{e.name}': needs numpy (python3-numpy), "
             "h5py (python3-h5py) and onnxruntime (pip install onnxruntime)")

ap = argparse.ArgumentParser()
ap.add_argument("export_dir"); ap.add_argument("hdf5")
ap.add_argument("--demos", default=None, help="comma-separated demo names (default: /mask/valid)")
ap.add_argument("--stride", type=int, default=8)
ap.add_argument("--obs-keys", default="keypoint,agent_pos")
a = ap.parse_args()

side = json.load(open(f"{a.export_dir}/policy.json"))
so = ort.SessionOptions(); so.intra_op_num_threads = 1
dp = ort.InferenceSession(f"{a.export_dir}/{side['dp']['file']}", so, providers=["CPUExecutionProvider"])
pred = None
if side.get("predictor"):
    pred = ort.InferenceSession(f"{a.export_dir}/{side['predictor']['file']}", so, providers=["CPUExecutionProvider"])
ac = np.asarray(side["schedule"]["alphas_cumprod"], np.float32)
H, To, Ta, Do, Da = (side[k] for k in ("horizon", "n_obs_steps", "n_action_steps", "obs_dim", "action_dim"))
on, an = side["normalizer"]["obs"], side["normalizer"]["action"]
osc, oof = np.asarray(on["scale"], np.float32), np.asarray(on["offset"], np.float32)
asc, aof = np.asarray(an["scale"], np.float32), np.asarray(an["offset"], np.float32)
first = side.get("first_executed_index", To - 1)

def ddim(x, cond, steps):
    for t, t_prev in steps:
        eps = dp.run(["noise_pred"], {"sample": x, "timestep": np.array([t], np.float32), "global_cond": cond})[0]
        x0 = np.clip((x - np.sqrt(1 - ac[t]) * eps) / np.sqrt(ac[t]), -1, 1)
        a_prev = ac[t_prev] if t_prev >= 0 else 1.0
        x = (np.sqrt(a_prev) * x0 + np.sqrt(1 - a_prev) * eps).astype(np.float32)
    return x

f = h5py.File(a.hdf5, "r")
demos = a.demos.split(",") if a.demos else [n.decode() for n in f["mask/valid"][:]]
rng = np.random.default_rng(0)
err = {"ddim2": [], "step2": [], "predictor": [], "stand_still": []}
for name in demos:
    g = f[f"data/{name}"]
    obs_all = np.concatenate([g[f"obs/{k}"][:].reshape(len(g["actions"]), -1) for k in a.obs_keys.split(",")], 1)
    act_all = g["actions"][:]
    n = len(act_all)
    prev_norm = None
    for s in range(0, n - Ta, a.stride):
        idx = [max(0, s - To + 1 + i) for i in range(To)]           # edge-padded history, oldest first
        obs = obs_all[idx].astype(np.float32)
        cond = (obs * osc + oof).reshape(1, To * Do).astype(np.float32)
        truth = act_all[s : s + Ta]
        err["stand_still"].append(np.abs(g["obs/agent_pos"][s] - truth).mean())   # baseline: stay where you are
        x = ddim(rng.standard_normal((1, H, Da)).astype(np.float32), cond, [(50, 0), (0, -1)])
        actions = (x[0] - aof) / asc
        err["ddim2"].append(np.abs(actions[first : first + Ta][: len(truth)] - truth).mean())
        if pred is not None:
            # the previous chunk: the recorded actions of the window that ended where this one starts, normalised
            lo = max(0, s - Ta - first)
            prev = act_all[[min(n - 1, lo + i) for i in range(H)]] * asc + aof
            a_hat = pred.run(["action_pred"], {"obs": cond.reshape(1, To, Do),
                                                "prev_action": prev[None].astype(np.float32)})[0]
            pa = (a_hat[0] - aof) / asc
            err["predictor"].append(np.abs(pa[first : first + Ta][: len(truth)] - truth).mean())
            t0 = 50  # STEP-2 with the strided schedule: noise the prediction to t=50, then the same two steps
            eps = rng.standard_normal(a_hat.shape).astype(np.float32)
            x = (np.sqrt(ac[t0]) * a_hat + np.sqrt(1 - ac[t0]) * eps).astype(np.float32)
            x = ddim(x, cond, [(50, 0), (0, -1)])
            sa = (x[0] - aof) / asc
            err["step2"].append(np.abs(sa[first : first + Ta][: len(truth)] - truth).mean())

print(f"onnxruntime {ort.__version__}; {len(err['ddim2'])} windows from {len(demos)} demos")
for k, v in err.items():
    if v:
        print(f"  {k:10s} mean |action - recorded| = {np.mean(v):6.2f} px (median {np.median(v):6.2f})")
