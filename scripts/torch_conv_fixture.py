"""Writes the PyTorch fixture of step-models' ImageTorchFixtureTest: a small network with every image op of the encoders
(ResNet18GroupNorm's 7x7/2 stem, GroupNorm, ReLU, 3x3/2 max pooling, a stride-2 BasicBlock with its 1x1 downsample, an
identity BasicBlock; SmallConvEncoder's biased 3x3/2 convolution; global average pooling beside spatial softmax pooling
with 3 keypoints, concatenated), in float64, seeded:
weights, input, output and the gradients of loss = sum(probe * features) for every parameter.

Weights and gradients are written in the Java layout (ParamSpec: Conv2d [kH, kW, Cin, Cout]), the rest as PyTorch has it.
The Java twin is step-models' MiniConvNet (test scope); names are this module's state_dict keys.
Needs Debian's PyTorch (python3-torch):  /usr/bin/python3 scripts/torch_conv_fixture.py step-models/src/test/resources/conv-fixture
"""
import os, struct, sys
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.GroupNorm(cout // 4, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.GroupNorm(cout // 4, cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.GroupNorm(cout // 4, cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class MiniConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=False)
        self.bn1 = nn.GroupNorm(2, 8)
        self.layer = nn.Sequential(Block(8, 16, 2), Block(16, 16, 1))
        self.head = nn.Conv2d(16, 8, 3, 2, 1)
        self.pool = nn.Module()
        self.pool.keypoints = nn.Conv2d(8, 3, 1)   # spatial softmax (SpatialSoftmax.java)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        x = F.relu(self.head(self.layer(x)))
        return torch.cat([x.mean(dim=(2, 3)), spatial_softmax(self.pool.keypoints(x))], dim=1)


def spatial_softmax(k):
    """[B, K, H, W] -> [B, 2K]: softmax over each map's H*W positions, expected (x, y) per keypoint, x from -1 to 1
    across the width, y across the height."""
    b, n, h, w = k.shape
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, h, dtype=k.dtype), torch.linspace(-1, 1, w, dtype=k.dtype), indexing="ij")
    grid = torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)
    return (torch.softmax(k.reshape(b * n, h * w), dim=1) @ grid).reshape(b, 2 * n)


def save_npy(path, t):
    """float64 C-order .npy (version 1.0) without numpy, which Debian's torch does not pull in."""
    t = t.detach().contiguous().double()
    shape = "(" + "".join(str(d) + "," for d in t.shape) + ")" if t.dim() != 1 else "(%d,)" % t.shape[0]
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': %s, }" % shape
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        f.write(struct.pack("<%dd" % t.numel(), *t.flatten().tolist()))


def java_layout(name, t):
    return t.permute(2, 3, 1, 0) if t.dim() == 4 else t   # Conv2d [Cout, Cin, kH, kW] -> [kH, kW, Cin, Cout]


def main(out):
    torch.manual_seed(7)
    net = MiniConvNet().double()
    with torch.no_grad():   # norms away from (1, 0), so that layout mistakes in the affine show
        for n, p in net.named_parameters():
            p.add_(0.3 * torch.randn_like(p))
    image = torch.rand(3, 3, 24, 22, dtype=torch.float64)
    probe = torch.randn(3, 14, dtype=torch.float64)
    features = net(image)
    (features * probe).sum().backward()
    os.makedirs(out, exist_ok=True)
    names = [n for n, _ in net.named_parameters()]
    with open(os.path.join(out, "names.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    for n, p in net.named_parameters():
        save_npy(os.path.join(out, "w__" + n + ".npy"), java_layout(n, p.detach()))
        save_npy(os.path.join(out, "g__" + n + ".npy"), java_layout(n, p.grad))
    for k, v in (("image", image), ("probe", probe), ("features", features.detach())):
        save_npy(os.path.join(out, "io__" + k + ".npy"), v)
    print("wrote", len(names), "parameters,", sum(p.numel() for p in net.parameters()), "values to", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "step-models/src/test/resources/conv-fixture")
