import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  linkPairs,
  readLink,
  writeLink,
  type LinkState,
} from '../../src/components/ae-demo/url-state.ts';
import { VIEW_NAMES } from '../../src/components/ae-demo/views.ts';

const full: LinkState = {
  views: ['variance', 'latent', 'walk', 'interpolate'],
  method: 'vae',
  latent: 2,
  epochs: 12,
  trainSize: 3000,
  seed: 7,
  latentModel: 'ae',
  latentDims: [0, 1],
  walkModel: 'vae',
  walkDims: [1, 0],
  walkAnchor: 42,
  walkPoint: [0.5, -1.25],
  interpolate: [3, 9],
  noise: { kind: 'gaussian', sigma: 0.3 },
};

describe("the element's state in a link", () => {
  test('round trip: every field written is read back the same', () => {
    const hash = writeLink('', full);
    assert.equal(
      hash,
      '#ae.views=variance,latent,walk,interpolate&ae.method=vae&ae.latent=2&ae.epochs=12' +
        '&ae.train-size=3000&ae.seed=7&ae.latent-model=ae&ae.latent-dims=1,2&ae.walk-model=vae' +
        '&ae.walk-dims=2,1&ae.walk-anchor=42&ae.walk-point=0.5,-1.25&ae.interpolate=3,9' +
        '&ae.noise=gaussian:0.3',
    );
    assert.deepEqual(readLink(hash), { state: full, errors: [], found: true });
    // Masking noise and a walk held at the mean too.
    const other: LinkState = { walkAnchor: 'mean', noise: { kind: 'mask', fraction: 0.5 } };
    assert.deepEqual(readLink(writeLink('#', other)).state, other);
  });

  test('all views are written as "all", and read back as every view', () => {
    assert.deepEqual(linkPairs({ views: VIEW_NAMES }), ['ae.views=all']);
    assert.deepEqual(readLink('#ae.views=all').state.views, VIEW_NAMES);
  });

  test('coordinates keep 4 decimals and no negative zero', () => {
    assert.deepEqual(linkPairs({ walkPoint: [0.123456, -0.00001] }), ['ae.walk-point=0.1235,0']);
  });

  test('a foreign fragment is ignored silently and kept as it was', () => {
    for (const hash of ['', '#', '#installation', '#x=1&y=2', '#ae-demo', '#aexyz=3']) {
      assert.deepEqual(readLink(hash), { state: {}, errors: [], found: false }, hash);
    }
    assert.equal(writeLink('#installation', { seed: 3 }), '#installation&ae.seed=3');
    // The element's pairs are replaced in place; others stay where they were.
    assert.equal(
      writeLink('#a=1&ae.seed=2&ae.latent=4&b=2', { seed: 5, method: 'ae' }),
      '#a=1&ae.method=ae&ae.seed=5&b=2',
    );
    assert.equal(writeLink('#ae.seed=2', {}), '');
  });

  test('invalid values are left out, each named with what is valid; the rest applies', () => {
    const read = readLink(
      '#ae.latent=abc&ae.seed=4&ae.method=pca&ae.walk-dims=3,3&ae.colour=red' +
        '&ae.views=latent,nope&ae.interpolate=1&ae.walk-point=1,x&ae.noise=salt:1&ae.epochs' +
        '&ae.walk-anchor=%E0%A4%A&ae.latent-dims=0,1',
    );
    assert.deepEqual(read.state, { seed: 4 });
    assert.equal(read.found, true);
    assert.deepEqual(read.errors, [
      'ae.latent="abc" must be a whole number from 1 to 32.',
      'ae.method="pca" must be "ae" (an autoencoder) or "vae" (a variational autoencoder).',
      'ae.walk-dims="3,3" must be two different latent dimensions, such as 1,2.',
      "ae.colour is not part of the element's link; its keys are views, method, latent, epochs, train-size, seed, latent-model, latent-dims, walk-model, walk-dims, walk-anchor, walk-point, interpolate, noise.",
      `ae.views="latent,nope" must be "all" or views separated by commas: ${VIEW_NAMES.join(', ')}.`,
      'ae.interpolate="1" must be two test digit numbers separated by a comma.',
      'ae.walk-point="1,x" must be two numbers, such as 0.5,-1.25.',
      'ae.noise="salt:1" is not a noise: Noise "salt:1" is not KIND:LEVEL; use gaussian:SIGMA (e.g. gaussian:0.3) or mask:FRACTION (e.g. mask:0.5).',
      'ae.epochs has no value (write ae.epochs=…).',
      'ae.walk-anchor has a value that is not valid percent-encoding.',
      'ae.latent-dims="0,1" must be two latent dimensions from 1 to 32, such as 1,2.',
    ]);
  });

  test('never throws, whatever the fragment', () => {
    const junk = ['#ae.', '#ae.=', '#&&&', '#ae.%%.seed=1', '#ae.seed=%', '#=', '#ae.seed==3'];
    for (const hash of junk) assert.doesNotThrow(() => readLink(hash), hash);
    assert.deepEqual(readLink('#ae.seed==3').errors, [
      'ae.seed="=3" must be a whole number from 0 to 2,147,483,647.',
    ]);
  });

  test('several elements: each reads and writes only the keys of its id', () => {
    let hash = writeLink('#intro', { seed: 1 });
    hash = writeLink(hash, { seed: 2, method: 'vae' }, 'second');
    hash = writeLink(hash, { latent: 3 }, 'a.b c');
    assert.equal(
      hash,
      '#intro&ae.seed=1&ae.second.method=vae&ae.second.seed=2&ae.a.b%20c.latent=3',
    );
    assert.deepEqual(readLink(hash).state, { seed: 1 });
    assert.deepEqual(readLink(hash, 'second').state, { method: 'vae', seed: 2 });
    assert.deepEqual(readLink(hash, 'a.b c').state, { latent: 3 });
    assert.deepEqual(readLink(hash, 'third'), { state: {}, errors: [], found: false });
    // Rewriting one element leaves the others' pairs alone.
    assert.equal(
      writeLink(hash, { seed: 9 }, 'second'),
      '#intro&ae.seed=1&ae.second.seed=9&ae.a.b%20c.latent=3',
    );
  });

  test('a half-typed value (NaN, a digit out of range) is not written', () => {
    assert.deepEqual(linkPairs({ interpolate: [Number.NaN, 2], latent: 99, seed: 3 }), [
      'ae.seed=3',
    ]);
  });
});
