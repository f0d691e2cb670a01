/**
 * The one module that chooses and initialises the TF.js backend. Everything
 * else imports `tf` from here, never from '@tensorflow/tfjs' directly.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { AeError } from '../errors.ts';

export { tf };

/** Which backend runs, and how. */
export interface BackendInfo {
  name: 'wasm' | 'cpu';
  simd: boolean;
  threads: boolean;
}

export interface InitBackendOptions {
  /** Default 'wasm'; 'cpu' is ~20× slower and meant for tests and comparisons. */
  backend?: 'wasm' | 'cpu';
}

let current: Promise<BackendInfo> | undefined;
let currentName: string | undefined;

/** Initialises the backend once (memoised per backend name) and reports what runs. */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const name = options.backend ?? 'wasm';
  if (current && currentName === name) return current;
  currentName = name;
  current = (async () => {
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok || tf.getBackend() !== name) {
      throw new AeError('WASM_UNAVAILABLE', `The TF.js '${name}' backend could not start.`);
    }
    const env = tf.env();
    return {
      name,
      simd: name === 'wasm' && env.getBool('WASM_HAS_SIMD_SUPPORT'),
      threads: name === 'wasm' && env.getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    };
  })();
  return current;
}
