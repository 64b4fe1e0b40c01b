"""PyTorch twin of the image Diffusion Policy as step-models builds it (ImageDiffusionPolicy = ImageObsEncoder +
ConditionalUnet1d), for timing its training step against `step bench train` on a visuomotor config (issue 15).

Same network as the Java one:
  * observation window [B, To*stepDim], stepDim = lowDim + 3*H*W (per step: agent_pos, then the crop's pixels),
    split per step; each crop through the encoder, then [features, low-dim] per step, flattened time-major to the
    U-Net's global condition [B, To*(F + lowDim)] (ImageObsSpec.encodeSteps / ImageObsEncoder.encode);
  * encoder resnet18_gn: torchvision's ResNet-18 layout (conv 7x7/2 + norm + ReLU + maxpool 3/2, four stages of two
    BasicBlocks, 64/128/256/512 channels, 1x1 downsample on stride/width change, global average pooling, no fc),
    bias-free convolutions, every norm GroupNorm(C/16, C) (ResNet18GroupNorm), 512 features; written out here
    (torchvision is not needed);
    encoder small_conv: four Conv2d(k3, s2, p1) + ReLU with 32/64/128/128 channels, global average pooling,
    Linear(128, F) (SmallConvEncoder); with pool=spatial_softmax (policy.image_pool) the pooling is SpatialSoftmax:
    Conv2d(128, K, 1), softmax over each keypoint channel's H*W positions, expected (x, y) on a [-1, 1] grid, then
    Linear(2K, F) without activation (keypoints=K, default 32);
  * ConditionalUnet1D (ConditionalUnet1d): sinusoidal step embedding -> Linear -> Mish -> Linear, FiLM residual
    blocks (kernel 5, 8 groups), down/mid/up modules, final conv block + 1x1 conv;
  * epsilon-MSE loss, AdamW (lr 1e-4, betas 0.95/0.999, weight decay 1e-6) and, with ema=1 (default), the EMA
    update of every parameter after the optimiser step, as TrainBench times it.
Defaults are configs/pusht_image-small.yaml with the ResNet-18 encoder (crop 84x84, To 2, horizon 16, lowDim 2,
action 2, dsed 128, dims 64,128,256, batch 32). Weights and data are random: the step time does not depend on them.
Needs Debian's PyTorch (python3-torch); run with /usr/bin/python3.

  /usr/bin/python3 scripts/torch_image_dp.py bench batch=32 threads=1 trainSteps=3 warm=1
  /usr/bin/python3 scripts/torch_image_dp.py bench encoder=small_conv feature=64        # pusht_image-small.yaml as is
  /usr/bin/python3 scripts/torch_image_dp.py bench encoder=small_conv feature=64 pool=spatial_softmax   # ... policy.image_pool=spatial_softmax
  /usr/bin/python3 scripts/torch_image_dp.py params dims=512,1024,2048 batch=64          # counts only (pusht_image.yaml)

Options: batch= threads= trainSteps= warm= encoder=resnet18_gn|small_conv feature= (small_conv only)
pool=avg|spatial_softmax keypoints=32 (spatial_softmax: small_conv only) crop=84
dims=64,128,256 dsed=128 obsSteps=2 horizon=16 lowDim=2 actionDim=2 ema=1.
Prints one line: RESULT impl=torch... model=image threads=N batch=B params=P (encoder E, unet U) train_ms=MEDIAN
(min MIN) cpu_ms=MEDIAN_PROCESS_CPU
"""
import math, sys, time, statistics
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- encoders -------------------------------------------------------------------------------------------------

def gn(c):
    return nn.GroupNorm(c // 16, c)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = gn(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = gn(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), gn(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        skip = x if self.downsample is None else self.downsample(x)
        return F.relu(y + skip)


class ResNet18GN(nn.Module):
    features = 512

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = gn(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin, stages = 64, []
        for i, c in enumerate((64, 128, 256, 512)):
            stages.append(nn.Sequential(BasicBlock(cin, c, 1 if i == 0 else 2), BasicBlock(c, c, 1)))
            cin = c
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        for m in self.modules():   # torchvision's init: kaiming_normal_(fan_out, relu) on convs
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return x.mean(dim=(2, 3))


class SpatialSoftmax(nn.Module):
    """[B, C, H, W] -> [B, 2K]: 1x1 conv to K keypoint maps, softmax over each map's positions, expected (x, y)
    per keypoint, interleaved; x runs from -1 to 1 across the width, y across the height (SpatialSoftmax.java)."""

    def __init__(self, channels, keypoints):
        super().__init__()
        self.keypoints = nn.Conv2d(channels, keypoints, 1)
        self.grids = {}

    def grid(self, h, w):
        if (h, w) not in self.grids:
            ys, xs = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
            self.grids[(h, w)] = torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)   # [H*W, 2]
        return self.grids[(h, w)]

    def forward(self, x):
        k = self.keypoints(x)
        b, n, h, w = k.shape
        p = torch.softmax(k.reshape(b * n, h * w), dim=1)
        return (p @ self.grid(h, w)).reshape(b, 2 * n)


class SmallConv(nn.Module):
    def __init__(self, feature, pool="avg", keypoints=32):
        super().__init__()
        layers, cin = [], 3
        for c in (32, 64, 128, 128):
            layers += [nn.Conv2d(cin, c, 3, 2, 1), nn.ReLU()]
            cin = c
        self.net = nn.Sequential(*layers)
        self.pool = SpatialSoftmax(cin, keypoints) if pool == "spatial_softmax" else None
        self.head = nn.Linear(cin if self.pool is None else 2 * keypoints, feature)
        self.features = feature

    def forward(self, x):
        x = self.net(x)
        return self.head(x.mean(dim=(2, 3)) if self.pool is None else self.pool(x))


class ObsEncoder(nn.Module):
    """[B, To*stepDim] -> [B, To*(F + lowDim)]: per step the crop's features, then its low-dim values."""

    def __init__(self, backbone, low_dim, crop, obs_steps):
        super().__init__()
        self.backbone, self.low_dim, self.crop, self.obs_steps = backbone, low_dim, crop, obs_steps
        self.step_dim = low_dim + 3 * crop * crop
        self.out_dim = obs_steps * (backbone.features + low_dim)

    def forward(self, obs):
        steps = obs.reshape(-1, self.step_dim)
        images = steps[:, self.low_dim:].reshape(-1, 3, self.crop, self.crop)
        feats = self.backbone(images)
        if self.low_dim:
            feats = torch.cat([feats, steps[:, :self.low_dim]], dim=1)
        return feats.reshape(-1, self.out_dim)


# ---- ConditionalUnet1D ------------------------------------------------------------------------------------------

def step_embedding(t, dim):
    half = dim // 2
    freq = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000) / (half - 1)))
    e = t[:, None] * freq[None, :]
    return torch.cat([e.sin(), e.cos()], dim=1)


class ConvBlock(nn.Module):   # Conv1d -> GroupNorm(8) -> Mish
    def __init__(self, cin, cout, k=5):
        super().__init__()
        self.block = nn.Sequential(nn.Conv1d(cin, cout, k, padding=k // 2), nn.GroupNorm(8, cout), nn.Mish())

    def forward(self, x):
        return self.block(x)


class ResBlock(nn.Module):   # FiLM-conditioned residual block (cond_predict_scale)
    def __init__(self, cin, cout, cond_dim):
        super().__init__()
        self.c0, self.c1 = ConvBlock(cin, cout), ConvBlock(cout, cout)
        self.cond = nn.Linear(cond_dim, 2 * cout)
        self.res = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()
        self.cout = cout

    def forward(self, x, mish_cond):
        h = self.c0(x)
        sb = self.cond(mish_cond)
        h = sb[:, :self.cout, None] * h + sb[:, self.cout:, None]
        return self.c1(h) + self.res(x)


class Unet(nn.Module):
    def __init__(self, action_dim, cond_dim, dims, dsed):
        super().__init__()
        self.dsed = dsed
        self.step_mlp = nn.Sequential(nn.Linear(dsed, 4 * dsed), nn.Mish(), nn.Linear(4 * dsed, dsed))
        cd = dsed + cond_dim
        all_dims = [action_dim] + list(dims)
        levels = len(dims)
        self.down = nn.ModuleList()
        for i in range(levels):
            cin, cout = all_dims[i], all_dims[i + 1]
            self.down.append(nn.ModuleList([ResBlock(cin, cout, cd), ResBlock(cout, cout, cd),
                                            nn.Conv1d(cout, cout, 3, 2, 1) if i < levels - 1 else nn.Identity()]))
        self.mid = nn.ModuleList([ResBlock(dims[-1], dims[-1], cd), ResBlock(dims[-1], dims[-1], cd)])
        self.up = nn.ModuleList()
        for i in range(levels - 1, 0, -1):
            cin, cout = all_dims[i], all_dims[i + 1]
            self.up.append(nn.ModuleList([ResBlock(2 * cout, cin, cd), ResBlock(cin, cin, cd),
                                          nn.ConvTranspose1d(cin, cin, 4, 2, 1)]))
        self.final = nn.Sequential(ConvBlock(dims[0], dims[0]), nn.Conv1d(dims[0], action_dim, 1))

    def forward(self, sample, t, global_cond):
        emb = self.step_mlp(step_embedding(t, self.dsed))
        cond = F.mish(torch.cat([emb, global_cond], dim=1))   # shared Mish of the condition, as the Java graph
        x = sample.transpose(1, 2)
        skips = []
        for r0, r1, down in self.down:
            x = r1(r0(x, cond), cond)
            skips.append(x)
            x = down(x)
        for m in self.mid:
            x = m(x, cond)
        # up levels take the deepest skips first; the level-0 skip stays unused (as in the reference and the Java graph)
        for r0, r1, up in self.up:
            x = up(r1(r0(torch.cat([x, skips.pop()], dim=1), cond), cond))
        return self.final(x).transpose(1, 2)


class ImageDP(nn.Module):
    def __init__(self, a):
        super().__init__()
        enc = a["encoder"]
        backbone = ResNet18GN() if enc == "resnet18_gn" else SmallConv(a["feature"], a["pool"], a["keypoints"])
        self.obs_encoder = ObsEncoder(backbone, a["lowDim"], a["crop"], a["obsSteps"])
        self.unet = Unet(a["actionDim"], self.obs_encoder.out_dim, a["dims"], a["dsed"])

    def forward(self, sample, t, obs):
        return self.unet(sample, t, self.obs_encoder(obs))


def settings(a):
    s = dict(batch=int(a.get("batch", "32")), threads=int(a.get("threads", "1")), steps=int(a.get("trainSteps", "3")),
             warm=int(a.get("warm", "1")), encoder=a.get("encoder", "resnet18_gn"), feature=int(a.get("feature", "64")),
             crop=int(a.get("crop", "84")), dims=[int(x) for x in a.get("dims", "64,128,256").split(",")],
             dsed=int(a.get("dsed", "128")), obsSteps=int(a.get("obsSteps", "2")), horizon=int(a.get("horizon", "16")),
             lowDim=int(a.get("lowDim", "2")), actionDim=int(a.get("actionDim", "2")), ema=a.get("ema", "1") == "1",
             pool=a.get("pool", "avg"), keypoints=int(a.get("keypoints", "32")))
    if s["encoder"] not in ("resnet18_gn", "small_conv"):
        raise SystemExit("encoder must be resnet18_gn or small_conv")
    if s["pool"] not in ("avg", "spatial_softmax") or (s["pool"] == "spatial_softmax" and s["encoder"] != "small_conv"):
        raise SystemExit("pool must be avg or spatial_softmax (small_conv only)")
    return s


def count(m):
    return sum(p.numel() for p in m.parameters())


def params(a):
    s = settings(a)
    torch.manual_seed(0)
    m = ImageDP(s)
    print(f"PARAMS encoder={s['encoder']} pool={s['pool']} params={count(m)} encoder_params={count(m.obs_encoder)} unet_params={count(m.unet)} "
          f"global_cond={m.obs_encoder.out_dim}")


def bench(a):
    s = settings(a)
    torch.set_num_threads(s["threads"])
    torch.manual_seed(0)
    m = ImageDP(s)
    m.train()
    plist = list(m.parameters())
    opt = torch.optim.AdamW(plist, lr=1e-4, betas=(0.95, 0.999), eps=1e-8, weight_decay=1e-6)
    ema = [p.detach().clone() for p in plist] if s["ema"] else None
    B, T, Da = s["batch"], s["horizon"], s["actionDim"]
    obs = torch.rand(B, s["obsSteps"] * m.obs_encoder.step_dim)
    sample, noise = torch.randn(B, T, Da), torch.randn(B, T, Da)
    t = torch.randint(0, 100, (B,)).float()
    tr, cpu = [], []
    for i in range(s["warm"] + s["steps"]):
        w, c = time.perf_counter(), time.process_time()
        loss = F.mse_loss(m(sample, t, obs), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if ema is not None:   # DP's EMA schedule: decay 0 at the first update, then 1 - (1 + n)^-0.75
            d = 0.0 if i == 0 else min(1 - (1 + i) ** -0.75, 0.9999)
            with torch.no_grad():
                torch._foreach_mul_(ema, d)
                torch._foreach_add_(ema, [p.detach() for p in plist], alpha=1 - d)
        if i >= s["warm"]:
            tr.append((time.perf_counter() - w) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    print(f"RESULT impl=torch{torch.__version__} model=image encoder={s['encoder']} pool={s['pool']} threads={s['threads']} batch={B} "
          f"params={count(m)} (encoder {count(m.obs_encoder)}, unet {count(m.unet)}) ema={int(s['ema'])} "
          f"train_ms={statistics.median(tr):.1f} (min {min(tr):.1f}) cpu_ms={statistics.median(cpu):.1f} "
          f"loss_last={loss.item():.4f}")


if __name__ == "__main__":
    args = dict(x.split("=", 1) for x in sys.argv[2:])
    {"bench": bench, "params": params}[sys.argv[1] if len(sys.argv) > 1 else "bench"](args)
