import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  START_ROTATION,
  keyRotation,
  project,
  rotationWords,
  turned,
  wrapDegrees,
} from '../../src/components/plane-curve/scatter-3d.ts';

const close = (a: ArrayLike<number>, b: number[], what: string) =>
  b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-6, `${what}[${i}]: ${a[i]} against ${v}`));

describe('the plane-curve scatter’s rotation', () => {
  test('angles wrap to (−180, 180]; the pitch stops at straight above and below', () => {
    assert.deepEqual(
      [0, 180, -180, 190, 360, -350, 540].map(wrapDegrees),
      [0, 180, 180, -170, 0, 10, 180],
    );
    assert.deepEqual(turned({ yaw: 170, pitch: 80 }, 20, 30), { yaw: -170, pitch: 90 });
    assert.deepEqual(turned({ yaw: 0, pitch: -80 }, 0, -30), { yaw: 0, pitch: -90 });
  });

  test('arrow keys turn 10° (Shift 30°), Home goes back, other keys are left alone', () => {
    const r = { yaw: 30, pitch: 20 };
    assert.deepEqual(keyRotation(r, 'ArrowRight', false), { yaw: 40, pitch: 20 });
    assert.deepEqual(keyRotation(r, 'ArrowLeft', true), { yaw: 0, pitch: 20 });
    assert.deepEqual(keyRotation(r, 'ArrowUp', false), { yaw: 30, pitch: 30 });
    assert.deepEqual(keyRotation(r, 'ArrowDown', true), { yaw: 30, pitch: -10 });
    assert.deepEqual(keyRotation({ yaw: 99, pitch: -5 }, 'Home', false), START_ROTATION);
    assert.equal(keyRotation(r, 'a', false), undefined);
    assert.equal(keyRotation(r, 'Tab', false), undefined);
  });

  test('the projection is a rotation seen orthographically: the axes land where they should, lengths kept in view', () => {
    const axes = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    // Unturned: x to the right, z up (screen y is down), y straight into the screen.
    close(project(axes, { yaw: 0, pitch: 0 }), [1, 0, 0, 0, 0, -1], 'front');
    // Turned 90°: y points left, x along the line of sight.
    close(project(axes, { yaw: 90, pitch: 0 }), [0, 0, -1, 0, 0, -1], 'yaw 90');
    // From straight above: z is a point, y points up the screen.
    close(project(axes, { yaw: 0, pitch: 90 }), [1, 0, 0, -1, 0, 0], 'from above');
    // Any rotation keeps the projected rows orthonormal: the x, y, z images span a unit disc.
    const p = project(axes, { yaw: 37, pitch: -23 });
    const row = (k: 0 | 1) => [p[k], p[2 + k], p[4 + k]];
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    assert.ok(Math.abs(dot(row(0), row(0)) - 1) < 1e-6);
    assert.ok(Math.abs(dot(row(1), row(1)) - 1) < 1e-6);
    assert.ok(Math.abs(dot(row(0), row(1))) < 1e-6);
  });

  test('a rotation in words, for the canvas label', () => {
    assert.equal(
      rotationWords({ yaw: 30, pitch: 20 }),
      'turned 30° about the vertical axis, seen from 20° above',
    );
    assert.equal(
      rotationWords({ yaw: -40, pitch: -90 }),
      'turned -40° about the vertical axis, seen from 90° below',
    );
    assert.equal(
      rotationWords({ yaw: 0, pitch: 0 }),
      'turned 0° about the vertical axis, seen from the side',
    );
  });
});
