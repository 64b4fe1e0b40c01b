"""PyTorch twin of STEP's predictor (step-models StepPredictorNet, kind=step) for timing its training step against
SameDiff (issue 15). Same architecture, sizes and batch as `PredictorTrainBench` / the paper config: d 128, 4 heads,
ff 256, dropout 0.1, 2 pre-norm encoder layers + final LayerNorm, 2 post-norm decoder blocks, GELU, Push-T sizes
(obs 20, action 2, To 2, horizon 16: 18 condition tokens, 16 queries), MSE loss, AdamW. Weights are random: the step
time does not depend on their values. Needs Debian's PyTorch (python3-torch); run with /usr/bin/python3.

  /usr/bin/python3 scripts/torch_predictor.py bench batch=256 threads=1 trainSteps=10 warm=5

Prints one line: RESULT impl=torch... threads=N batch=B params=P train_ms=MEDIAN (min MIN) cpu_ms=MEDIAN_PROCESS_CPU
"""
import math, sys, time, statistics
import torch
import torch.nn as nn
import torch.nn.functional as F


def position_code(length, d):
    """pe[pos, 2i] = sin(pos / 10000^(2i/d)), pe[pos, 2i+1] = cos(same), as StepPredictorNet.positionCode."""
    pe = torch.zeros(length, d)
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    freq = torch.exp(-2.0 * torch.arange(d // 2, dtype=torch.float64) * math.log(10000) / d)[None, :]
    pe[:, 0::2] = torch.sin(pos * freq).float()
    pe[:, 1::2] = torch.cos(pos * freq).float()
    return pe


class StepPredictor(nn.Module):
    def __init__(self, obs_dim=20, action_dim=2, n_obs=2, horizon=16, d=128, heads=4, ff=256, enc_layers=2,
                 blocks=2, dropout=0.1):
        super().__init__()
        self.obs_emb = nn.Linear(obs_dim, d)
        self.prev_emb = nn.Linear(action_dim, d)
        self.register_buffer("pe_obs", position_code(n_obs, d))
        self.register_buffer("pe_act", position_code(horizon, d))
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, ff, dropout, activation="gelu", batch_first=True, norm_first=True),
            enc_layers, norm=nn.LayerNorm(d), enable_nested_tensor=False)
        self.query_tokens = nn.Parameter(torch.randn(horizon, d) * 0.02)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, ff, dropout, activation="gelu", batch_first=True, norm_first=False),
            blocks)
        self.head_norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, action_dim)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, obs, prev):
        cond = torch.cat([self.prev_emb(prev) + self.pe_act, self.obs_emb(obs) + self.pe_obs], dim=1)
        mem = self.encoder(cond)
        q = (self.query_tokens + self.pe_act).expand(obs.shape[0], -1, -1)
        return self.head(self.head_norm(self.decoder(q, mem)))


def bench(a):
    threads = int(a.get("threads", "1"))
    torch.set_num_threads(threads)
    B = int(a.get("batch", "256"))
    steps = int(a.get("trainSteps", "10"))
    warm = int(a.get("warm", "5"))
    torch.manual_seed(0)
    m = StepPredictor()
    m.train()
    params = sum(p.numel() for p in m.parameters())
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=1e-6)
    obs, prev, target = torch.randn(B, 2, 20), torch.randn(B, 16, 2), torch.randn(B, 16, 2)
    tr, cpu = [], []
    for i in range(warm + steps):
        s, c = time.perf_counter(), time.process_time()
        loss = F.mse_loss(m(obs, prev), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= warm:
            tr.append((time.perf_counter() - s) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    print(f"RESULT impl=torch{torch.__version__} model=predictor threads={threads} batch={B} params={params} "
          f"train_ms={statistics.median(tr):.1f} (min {min(tr):.1f}) cpu_ms={statistics.median(cpu):.1f} loss_last={loss.item():.4f}")


if __name__ == "__main__":
    args = dict(x.split("=", 1) for x in sys.argv[2:])
    {"bench": bench}[sys.argv[1] if len(sys.argv) > 1 else "bench"](args)
