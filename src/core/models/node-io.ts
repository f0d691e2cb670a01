/**
 * Node only: models as files in the TF.js layout (model.json plus
 * weights.bin), which tf.loadLayersModel reads over HTTP and tfjs-node reads
 * from disk. The page stores the same artifacts in IndexedDB or a download.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maybeGunzip } from '../data/load.ts';
import { AeError } from '../errors.ts';
import { fromModelFiles, toModelFiles } from './artifacts.ts';
import type { Autoencoder } from './autoencoder.ts';
import { tf } from './backend.ts';
import type { TrainableModel } from './model.ts';
import type { Vae } from './vae.ts';

const WEIGHTS_FILE = 'weights.bin';

/** Writes `model` to `dir` (created if missing) as model.json and weights.bin. */
export async function saveModelFiles(model: TrainableModel, dir: string): Promise<void> {
  const { modelJson, weights } = await toModelFiles(model, WEIGHTS_FILE);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
}

/** Reads a model written by {@link saveModelFiles} (one weights file, as it writes). */
export async function loadModelFiles(dir: string): Promise<Autoencoder | Vae> {
  let modelJson: tf.io.ModelJSON;
  let weights: Buffer;
  try {
    modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const paths = modelJson.weightsManifest?.flatMap((group) => group.paths) ?? [];
    if (paths.length !== 1) {
      throw new AeError(
        'BAD_ARGUMENT',
        `${dir}/model.json lists ${paths.length} weight files; expected one (${WEIGHTS_FILE}).`,
      );
    }
    weights = await readFile(join(dir, paths[0]));
  } catch (cause) {
    if (cause instanceof AeError) throw cause;
    throw new AeError(
      'DATA_FETCH_FAILED',
      `Cannot read a saved model from ${dir}: ${(cause as Error).message}. ` +
        'Give the folder that holds model.json and weights.bin.',
      { cause },
    );
  }
  // gzip or plain, told apart by content (the shipped models' weights are gzip).
  const plain = await maybeGunzip(
    new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    join(dir, 'weights'),
  );
  const bytes = plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.byteLength);
  return fromModelFiles(modelJson, bytes as ArrayBuffer);
}
