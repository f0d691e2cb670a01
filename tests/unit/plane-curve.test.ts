import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { compareOnShape, shapePoints } from '../../src/core/models/plane-curve.ts';
import { pca } from '../../src/core/pca.ts';

before(async () => {
  await initBackend();
});

describe('shapePoints', () => {
  it('is seeded, and the plane is flat but for the noise', async () => {
    const a = shapePoints('plane', { count: 3000, seed: 4 });
    assert.deepEqual(a, shapePoints('plane', { count: 3000, seed: 4 }));
    assert.notDeepEqual(a, shapePoints('plane', { count: 3000, seed: 5 }));
    assert.notDeepEqual(a, shapePoints('curve', { count: 3000, seed: 4 }));
    // Across the plane only the noise varies: its variance is σ² (0.05² = 0.0025).
    const p = await pca({ samples: 3000, features: 3, values: a }, { components: 3, threads: 1 });
    const smallest = p.eigenvalues[2];
    assert.ok(Math.abs(smallest - 0.0025) < 0.0003, `smallest variance ${smallest}`);
    assert.ok(p.eigenvalues[1] > 0.1, `the plane spans two directions: ${p.eigenvalues[1]}`);
    // The helix is not flat: its third direction carries far more than the noise.
    const c = shapePoints('curve', { count: 3000, seed: 4 });
    const q = await pca({ samples: 3000, features: 3, values: c }, { components: 3, threads: 1 });
    assert.ok(q.eigenvalues[2] > 0.01, `curve's third variance ${q.eigenvalues[2]}`);
  });
});

describe('compareOnShape', () => {
  it('the autoencoder wins clearly on the curve and comes within 10 % of PCA on the plane', async () => {
    const before = tf.memory().numTensors;
    const plane = await compareOnShape('plane', { seed: 2 });
    const curve = await compareOnShape('curve', { seed: 2 });
    assert.equal(plane.latent, 2);
    assert.equal(curve.latent, 1);
    assert.ok(
      curve.aeMse < curve.pcaMse / 5,
      `curve: AE ${curve.aeMse} against PCA ${curve.pcaMse}`,
    );
    assert.ok(
      plane.aeMse <= 1.1 * plane.pcaMse,
      `plane: AE ${plane.aeMse} against PCA ${plane.pcaMse}`,
    );
    // PCA's figure is the error of the reconstruction it returns.
    for (const r of [plane, curve]) {
      let s = 0;
      for (let i = 0; i < r.points.length; i++) s += (r.points[i] - r.pcaReconstruction[i]) ** 2;
      assert.ok(Math.abs(s / r.points.length - r.pcaMse) < 1e-6 * r.pcaMse + 1e-9);
      assert.equal(r.aeReconstruction.length, r.points.length);
    }
    // Same seed, same result; nothing left behind.
    const again = await compareOnShape('curve', { seed: 2 });
    assert.equal(again.aeMse, curve.aeMse);
    assert.equal(tf.memory().numTensors, before);
  });
});
