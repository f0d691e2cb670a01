/**
 * Builds the shipped models (build/models/): the float32 weights in
 * pretrained/ stored in the smallest encoding of the TF.js weights manifest
 * (uint8 per tensor, then float16) whose score on the 10,000 MNIST test
 * digits (the AE's MSE, the VAE's loss, seeded) stays within
 * SHIPPED_SCORE_TOLERANCE of the float32 model's (a denoiser's on noisy
 * digits against the clean ones), plus manifest.json with
 * both scores, the encoding and the sizes. Skips the work when the outputs
 * are newer than the inputs; `--force` rebuilds.
 *
 *   node --import tsx scripts/build-models.ts [--force]
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { viewOf } from '../src/core/models/batches.ts';
import { loadMnist } from '../src/core/data/node.ts';
import { fromModelFiles } from '../src/core/models/artifacts.ts';
import { initBackend, type tf } from '../src/core/models/backend.ts';
import {
  ENCODING_BYTES,
  SHIPPED_SCORE_TOLERANCE,
  WEIGHT_ENCODINGS,
  type WeightEncoding,
  quantizeModelFiles,
} from '../src/core/models/quantize.ts';
import { type Noise, formatNoise } from '../src/core/noise.ts';
import { meanLoss } from '../src/core/models/train.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shipped models, and the noise a denoiser is scored with (its training noise). */
const MODELS: readonly { name: string; noise?: Noise }[] = [
  { name: 'ae-notebook' },
  { name: 'vae-notebook' },
  { name: 'dae-notebook', noise: { kind: 'gaussian', sigma: 0.3 } },
];
const outDir = join(root, 'build', 'models');
const manifestPath = join(outDir, 'manifest.json');

/** What the build chose for one model. */
export interface ShippedModel {
  encoding: WeightEncoding;
  /** A denoiser's noise (its score is on noisy inputs against the clean digits). */
  noise?: string;
  /** The test score of the float32 model and of the shipped one, and their relative difference. */
  float32Score: number;
  shippedScore: number;
  relativeChange: number;
  float32Bytes: number;
  shippedBytes: number;
  /** The shipped weights file, gzip. */
  gzipBytes?: number;
}

async function mtime(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return -Infinity;
  }
}

async function upToDate(): Promise<boolean> {
  const built = await mtime(manifestPath);
  const inputs = [
    ...MODELS.flatMap(({ name }) => [
      join(root, 'pretrained', name, 'model.json'),
      join(root, 'pretrained', name, 'weights.bin'),
    ]),
    fileURLToPath(import.meta.url),
    join(root, 'src', 'core', 'models', 'quantize.ts'),
  ];
  const newest = Math.max(...(await Promise.all(inputs.map(mtime))));
  return built > newest;
}

async function score(
  modelJson: tf.io.ModelJSON,
  weights: ArrayBuffer,
  test: ReturnType<typeof viewOf>,
  noise?: Noise,
) {
  const model = await fromModelFiles(modelJson, weights);
  try {
    return meanLoss(model, test, { seed: 1, noise });
  } finally {
    model.dispose();
  }
}

if (!process.argv.includes('--force') && (await upToDate())) {
  console.log('build-models: build/models/ is up to date');
} else {
  await initBackend();
  const mnist = await loadMnist('test');
  const test = viewOf(mnist);
  const report: Record<string, ShippedModel> = {};
  for (const { name, noise } of MODELS) {
    const dir = join(root, 'pretrained', name);
    const modelJson = JSON.parse(
      await readFile(join(dir, 'model.json'), 'utf8'),
    ) as tf.io.ModelJSON;
    const file = await readFile(join(dir, 'weights.bin'));
    const weights = file.buffer.slice(
      file.byteOffset,
      file.byteOffset + file.byteLength,
    ) as ArrayBuffer;
    const float32Score = await score(modelJson, weights, test, noise);
    let chosen: ShippedModel | undefined;
    let files: ReturnType<typeof quantizeModelFiles> | undefined;
    for (const encoding of WEIGHT_ENCODINGS) {
      const q = quantizeModelFiles(modelJson, weights, encoding);
      const shippedScore =
        encoding === 'float32' ? float32Score : await score(q.modelJson, q.weights, test, noise);
      const relativeChange = Math.abs(shippedScore - float32Score) / Math.abs(float32Score);
      console.log(
        `build-models: ${name} ${encoding.padEnd(7)} ${(q.weights.byteLength / 1e6).toFixed(2)} MB, ` +
          `test score ${shippedScore.toPrecision(6)} (float32 ${float32Score.toPrecision(6)}, ${(relativeChange * 100).toFixed(3)} %)`,
      );
      if (relativeChange <= SHIPPED_SCORE_TOLERANCE) {
        chosen = {
          encoding,
          ...(noise ? { noise: formatNoise(noise) } : {}),
          float32Score,
          shippedScore,
          relativeChange,
          float32Bytes: weights.byteLength,
          shippedBytes: q.weights.byteLength,
        };
        files = q;
        break;
      }
    }
    // float32 is always within the bound, so the loop always chooses.
    const out = join(outDir, name);
    await mkdir(out, { recursive: true });
    // gzip: hosts seldom compress .bin files, and uint8 weights shrink by a quarter or more.
    const gzipped = gzipSync(new Uint8Array(files!.weights), { level: 9 });
    const shippedJson = {
      ...files!.modelJson,
      weightsManifest: files!.modelJson.weightsManifest.map((g) => ({
        ...g,
        paths: ['./weights.bin.gz'],
      })),
    };
    await writeFile(join(out, 'model.json'), JSON.stringify(shippedJson));
    await writeFile(join(out, 'weights.bin.gz'), gzipped);
    chosen!.gzipBytes = gzipped.byteLength;
    report[name] = chosen!;
    console.log(
      `build-models: ships ${name} as ${chosen!.encoding} (${ENCODING_BYTES[chosen!.encoding]} byte(s) per weight)`,
    );
  }
  await writeFile(
    manifestPath,
    `${JSON.stringify({ tolerance: SHIPPED_SCORE_TOLERANCE, models: report }, null, 2)}\n`,
  );
  console.log('build-models: wrote build/models/');
}
