"""Writes tests/fixtures/pca-small.json: small PCA problems with reference
results from numpy (float64 covariance + numpy.linalg.eigh), independent of
the kernels under test. Run: python3 scripts/gen-pca-fixture.py"""

import json
import pathlib

import numpy as np


def reference(x: np.ndarray, k: int) -> dict:
    n, d = x.shape
    mean = x.mean(axis=0)
    xc = x - mean
    cov = xc.T @ xc / (n - 1)
    w, v = np.linalg.eigh(cov)
    w, v = w[::-1], v[:, ::-1]
    # Sign convention of the API: each vector's largest-magnitude entry is positive.
    for j in range(d):
        if v[np.argmax(np.abs(v[:, j])), j] < 0:
            v[:, j] = -v[:, j]
    cum = np.cumsum(w) / w.sum()
    scores = xc @ v[:, :k]
    total = (xc**2).sum()
    mse = [(total - (scores[:, :j] ** 2).sum()) / (n * d) for j in range(1, k + 1)]
    return {
        "mean": mean.tolist(),
        "eigenvalues": w.tolist(),
        "cumulativeVariance": cum.tolist(),
        "componentsFor90": int(np.argmax(cum >= 0.9) + 1),
        "reconstructionMse": mse,
        "vectors": v[:, :k].T.ravel().tolist(),
        "scores2": scores[:, :2].ravel().tolist(),
    }


def low_rank(rng, n, d, rank, spread):
    basis = rng.normal(size=(rank, d))
    weights = rng.normal(size=(n, rank)) * spread
    return weights @ basis


def main() -> None:
    rng = np.random.default_rng(20240607)

    # 8-bit data: 203 samples (not a multiple of 8) × 23 features with three
    # constant columns (two all-zero, one all-7), like MNIST's border pixels.
    n, d, k = 203, 23, 5
    raw = 120 + low_rank(rng, n, d, 6, np.array([40, 30, 22, 15, 10, 6])) + rng.normal(size=(n, d)) * 4
    pixels = np.clip(np.rint(raw), 0, 255).astype(np.uint8)
    pixels[:, 0] = 0
    pixels[:, 11] = 7
    pixels[:, 22] = 0
    u8 = {"samples": n, "features": d, "components": k, "pixels": pixels.ravel().tolist()}
    u8.update(reference(pixels.astype(np.float64) / 255, k))

    # Float data: 150 × 13 with one constant column.
    n, d, k = 150, 13, 4
    raw = low_rank(rng, n, d, 5, np.array([3.0, 2.0, 1.4, 0.9, 0.5])) + rng.normal(size=(n, d)) * 0.1
    values = raw.astype(np.float32)
    values[:, 5] = np.float32(0.25)
    f32 = {"samples": n, "features": d, "components": k, "values": [float(v) for v in values.ravel()]}
    f32.update(reference(values.astype(np.float64), k))

    out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pca-small.json"
    out.write_text(json.dumps({"generator": "scripts/gen-pca-fixture.py", "numpy": np.__version__, "u8": u8, "f32": f32}))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
