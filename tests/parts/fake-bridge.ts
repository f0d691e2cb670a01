/**
 * A stand-in for the worker bridge in the parts' browser tests: every task
 * of the real bridge, answered at once (or held, or failed, on request)
 * with small deterministic data — 100 test digits, 28 × 28, label i % 10 —
 * and a log of every call. Shapes follow src/worker/api.ts.
 */
import { pretrainedModel } from '../../src/components/ae-demo/pretrained.ts';
import { centreDrawing } from '../../src/core/data/center-digit.ts';
import { AeError } from '../../src/core/errors.ts';
import type { WorkerBridge } from '../../src/worker/bridge.ts';

export const DIGITS = 100;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const LATENT = 10;

/** A test digit: a blob whose place and size depend on its label, so digits differ. */
function digit(index: number): Uint8Array {
  const label = index % 10;
  const out = new Uint8Array(PIXELS);
  const cx = 8 + label;
  const cy = 10 + ((index * 7) % 8);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const d = Math.hypot(r - cy, c - cx);
      out[r * SIDE + c] = d < 3 + (label % 4) ? 255 : d < 6 ? Math.round(120 - 20 * (d - 3)) : 0;
    }
  }
  return out;
}

const images = (indices: ArrayLike<number>) => {
  const out = new Uint8Array(indices.length * PIXELS);
  for (let i = 0; i < indices.length; i++) out.set(digit(indices[i]), i * PIXELS);
  return out;
};
const floats = (n: number, f: (i: number) => number) =>
  Float32Array.from({ length: n }, (_, i) => f(i));
const labels = () => Uint8Array.from({ length: DIGITS }, (_, i) => i % 10);
const code = (i: number, d: number) => Math.sin(i * 1.7 + d) * (1 + (i % 10) / 5);

/** One call the fake bridge answered. */
export interface FakeCall {
  name: string;
  args: unknown[];
}

/**
 * How a test wants a task answered: failed with an Error of this message,
 * or held until released. `hold: ['train:epoch']` holds training before
 * each epoch; each `release('train:epoch')` lets one more through.
 */
export interface FakeScript {
  fail?: Record<string, string>;
  hold?: string[];
  /** The shape of an author's set (a source with `author: true`), and whether it has labels. */
  author?: { rows: number; cols: number; labelled: boolean };
}

type Options = {
  onProgress?: (p: unknown) => void;
  onStart?: (id: number) => void;
  /** The task's signal (the fake's own addition, for tasks that stop part-way). */
  signal?: AbortSignal;
};

/** The fake bridge; `calls` logs every task, `release(name)` lets held tasks answer. */
export class FakeBridge {
  calls: FakeCall[] = [];
  /** The names of held tasks whose signal aborted while they waited, in order. */
  cancelled: string[] = [];
  private held = new Map<string, (() => void)[]>();
  private nextId = 1;
  private nextModel = 1;
  private disposed = new Set<string>();

  constructor(private readonly script: FakeScript = {}) {}

  /** Waits while `name` is held (see FakeScript.hold), or until `signal` aborts, as the real bridge stops waiting. */
  private async gate(name: string, signal?: AbortSignal): Promise<void> {
    if (!this.script.hold?.includes(name)) return;
    await new Promise<void>((go) => {
      // Released, it no longer waits: a later abort is not this gate's cancellation.
      let waiting = true;
      const pass = () => {
        waiting = false;
        go();
      };
      this.held.set(name, [...(this.held.get(name) ?? []), pass]);
      signal?.addEventListener(
        'abort',
        () => {
          if (!waiting) return;
          this.cancelled.push(name);
          pass();
        },
        { once: true },
      );
    });
  }

  /** Pixels per image: an author's set's (see FakeScript.author), or MNIST's. */
  private pixels(): number {
    const author = this.script.author;
    return author ? author.rows * author.cols : PIXELS;
  }

  release(name: string): void {
    for (const go of this.held.get(name) ?? []) go();
    this.held.delete(name);
  }

  private answers: Record<string, (args: unknown[], options: Options) => unknown> = {
    loadDataset: (args) => {
      const source = args[0] as { images: string; author?: boolean; heldOut?: string };
      const author = source.author ? this.script.author : undefined;
      return {
        key: `${source.images}${source.heldOut ? `\n${source.heldOut}` : ''}`,
        count: DIGITS,
        rows: author?.rows ?? SIDE,
        cols: author?.cols ?? SIDE,
        ...(author?.labelled === false ? {} : { labels: labels() }),
      };
    },
    pca: () => {
      const features = this.pixels();
      const eigenvalues = Float64Array.from({ length: features }, (_, i) => 1 / (i + 1) ** 2);
      const total = eigenvalues.reduce((a, b) => a + b, 0);
      let sum = 0;
      const cumulativeVariance = eigenvalues.map((v) => (sum += v) / total);
      return {
        samples: DIGITS,
        features,
        components: 10,
        eigenvalues,
        cumulativeVariance,
        componentsFor90: cumulativeVariance.findIndex((v) => v >= 0.9) + 1,
        reconstructionMse: Float64Array.from({ length: 10 }, (_, k) => 0.06 / (k + 1)),
        scores: floats(2 * DIGITS, (i) => code(i >> 1, i & 1)),
        iterations: 10,
        timingsMs: { load: 1, gram: 1, spectrum: 1, eigenvectors: 1, projection: 1, total: 5 },
        kernel: { simd: true, threads: false },
      };
    },
    // The real centring, as the worker does it: the part tests check what the models were given.
    centreDrawing: (args) =>
      centreDrawing(
        args[0] as Uint8ClampedArray,
        args[1] as number,
        args[2] as number,
        args[3] as {
          rows: number;
          cols: number;
        },
      ),
    image: (args) => {
      // An author's image: a ramp of its size.
      const author = this.script.author;
      if (author) return Uint8Array.from({ length: author.rows * author.cols }, (_, i) => i % 256);
      return digit(args[1] as number);
    },
    images: (args) => {
      const author = this.script.author;
      const indices = args[1] as ArrayLike<number>;
      // An author's images: a ramp per image, of their size.
      if (author)
        return Uint8Array.from(
          { length: indices.length * author.rows * author.cols },
          (_, i) => i % 256,
        );
      return images(indices);
    },
    nearest: (args) => {
      const n = (args[1] as Float32Array).length / PIXELS;
      return {
        indices: Uint32Array.from({ length: n }, (_, j) => (3 * j) % DIGITS),
        rms: Float32Array.from({ length: n }, (_, j) => 0.1 + j / 100),
      };
    },
    pcaImages: (args) => {
      const k = args[2] as number;
      const n =
        (args[1] as Uint8Array).length / this.pixels() ||
        (args[1] as { indices: number[] }).indices.length;
      return {
        scores: floats(n * k, (i) => code(i, 0)),
        reconstructions: floats(n * this.pixels(), () => 0.1),
      };
    },
    backend: () => ({ name: 'wasm', simd: true, threads: false, matmulFix: true }),
    loadModel: (args) => {
      const source = args[0] as { url?: string };
      // The bundle renames the shipped files, so the shipped VAE is known by its URL.
      const vae = source.url === pretrainedModel('vae').url || source.url?.includes('vae');
      const kind = vae ? 'vae' : 'ae';
      return {
        modelId: `${kind}-${this.nextModel++}`,
        kind,
        inputSize: PIXELS,
        latentSize: LATENT,
        description: {},
      };
    },
    encode: () => ({
      count: DIGITS,
      latentSize: LATENT,
      codes: floats(DIGITS * LATENT, (i) => code(Math.floor(i / LATENT), i % LATENT)),
    }),
    encodePixels: (args) =>
      floats(((args[1] as Uint8Array).length / this.pixels()) * LATENT, (i) => code(i, i % LATENT)),
    decode: (args) =>
      floats(((args[1] as Float32Array).length / LATENT) * this.pixels(), (i) => (i % 29) / 29),
    reconstruct: (args) => {
      const n = (args[2] as ArrayLike<number>).length;
      const { rows, cols } = this.script.author ?? { rows: SIDE, cols: SIDE };
      return { count: n, rows, cols, pixels: floats(n * rows * cols, (i) => (i % 31) / 31) };
    },
    reconstructPixels: (args) => floats((args[1] as Uint8Array).length, (i) => (i % 23) / 23),
    sample: (args) => {
      const n = args[1] as number;
      return {
        images: floats(n * PIXELS, (i) => ((i + (args[2] as number)) % 17) / 17),
        latents: floats(n * LATENT, (i) => code(i, 1)),
      };
    },
    train: async (args, options) => {
      const spec = args[0] as { kind: 'ae' | 'vae'; epochs?: number; latent?: number };
      const epochs = spec.epochs ?? 2;
      const plan = { trainCount: 200, validationCount: 50, batchSize: 64, epochs };
      const backend = this.answers.backend([], {});
      options.onProgress?.({ stage: 'plan', plan, backend });
      const history = [];
      for (let epoch = 1; epoch <= epochs; epoch++) {
        await this.gate('train:epoch');
        if (options.signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
        const report = {
          stage: 'epoch',
          epoch,
          epochs,
          loss: 0.1 / epoch,
          valLoss: 0.12 / epoch,
          samplesPerSecond: 1000,
          etaSeconds: epochs - epoch,
        };
        history.push(report);
        options.onProgress?.(report);
      }
      options.onProgress?.({ stage: 'evaluate', testCount: DIGITS });
      const model = {
        modelId: `${spec.kind}-${this.nextModel++}`,
        kind: spec.kind,
        inputSize: this.pixels(),
        latentSize: spec.latent ?? LATENT,
        description: {},
      };
      return {
        model,
        plan,
        history,
        epochs,
        bestEpoch: epochs,
        stoppedEarly: false,
        samplesPerSecond: 1000,
        epochSamplesPerSecond: history.map(() => 1000),
        testScore: 0.02,
        testCount: DIGITS,
        backend,
        timingsMs: { train: 10, evaluate: 1 },
      };
    },
    denoise: (args) => {
      const ids = args[0] as { dae: string; ae: string };
      const request = args[2] as {
        noise: { kind: string; sigma?: number; fraction?: number };
        shown?: number;
        k?: number;
      };
      for (const id of [ids.dae, ids.ae]) {
        if (this.disposed.has(id))
          throw new AeError('NOT_LOADED', `No model "${id}" is in the worker.`);
      }
      const shown = request.shown ?? 8;
      const level = request.noise.sigma ?? request.noise.fraction ?? 0;
      // Errors that follow the noise's level, in the order a denoiser gives.
      const px = this.pixels();
      const stage = (f: (i: number) => number) => floats(shown * px, f);
      const clean = this.script.author
        ? stage((i) => (i % 256) / 255)
        : Float32Array.from(images(Array.from({ length: shown }, (_, i) => i)), (v) => v / 255);
      return {
        count: DIGITS,
        shown,
        ...(request.k ? { k: request.k } : {}),
        mse: {
          noisy: level / 6,
          dae: level / 12,
          ae: level / 5,
          ...(request.k ? { pca: level / 8 } : {}),
        },
        images: {
          clean,
          noisy: stage((i) => Math.min(1, clean[i] + (((i * 7) % 13) / 13) * level)),
          dae: stage((i) => clean[i] * 0.9),
          ae: stage((i) => (i % 19) / 19),
          ...(request.k ? { pca: stage(() => 0.1) } : {}),
        },
      };
    },
    // 200 points near the set, epochs 1..4 as progress; the errors depend on the latent size, the
    // autoencoder's time on the seed, so a test can tell which run it sees.
    planeCurve: (args, options) => {
      const [shape, latent, seed] = args as ['plane' | 'curve', number, number];
      const count = 200;
      const curve = shape === 'curve';
      const points = floats(count * 3, (i) => {
        const t = (Math.floor(i / 3) / count) * 1.5 * Math.PI;
        const u = Math.sin(7 * Math.floor(i / 3));
        const p = curve
          ? [Math.cos(t), Math.sin(t), t / (0.75 * Math.PI) - 1]
          : [0.8 * u - 0.36 * Math.cos(t), 0.6 * u + 0.48 * Math.cos(t), 0.8 * Math.cos(t)];
        return p[i % 3];
      });
      for (let epoch = 1; epoch <= 4; epoch++) {
        options.onProgress?.({
          stage: 'epoch',
          epoch,
          epochs: 4,
          loss: 0.1 / epoch,
          fraction: epoch / 4,
        });
      }
      return {
        shape,
        latent,
        count,
        noise: 0.05,
        pcaMse: curve ? 0.11 / latent : 0.000817 * (latent === 2 ? 1 : 40),
        aeMse: curve ? 0.00207 : 0.000834 * (latent === 2 ? 1 : 30),
        points,
        pcaReconstruction: points.map((v) => 0.8 * v),
        aeReconstruction: points.map((v) => 0.97 * v),
        pcaMs: 3,
        aeMs: 2000 + 100 * seed,
        aeEpochs: 4,
      };
    },
    mse: () => 0.0123,
    // PCA fitted on the training images, scored on the test images: 0.08 / k at k.
    pcaTest: (args) => Float64Array.from({ length: args[2] as number }, (_, k) => 0.08 / (k + 1)),
    // AE vs PCA by latent size: PCA's errors, then per k its start, epochs and row (the AE's MSE
    // 0.012 at every k, so it beats PCA's 0.08 / k up to k = 6); `hold: ['compare:row']`
    // holds each row until released.
    compare: async (args, options) => {
      const request = args[2] as { ks: number[]; components: number; epochs?: number };
      const pcaMse = this.answers.pcaTest(
        [args[0], args[1], request.components],
        {},
      ) as Float64Array;
      const epochs = request.epochs ?? 5;
      options.onProgress?.({
        stage: 'pca',
        pcaMse,
        fitCount: 100,
        trainCount: 100,
        testCount: DIGITS,
      });
      const rows = [];
      for (const [index, k] of request.ks.entries()) {
        options.onProgress?.({ stage: 'start', k, index, total: request.ks.length });
        for (let epoch = 1; epoch <= epochs; epoch++) {
          options.onProgress?.({ stage: 'epoch', k, epoch, epochs, loss: 0.1 / epoch });
        }
        await this.gate('compare:row', options.signal);
        if (options.signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
        const row = {
          k,
          pcaMse: pcaMse[k - 1],
          aeMse: 0.012,
          deadUnits: 0,
          epochs,
          bestEpoch: epochs,
          trainSeconds: 1,
        };
        rows.push(row);
        options.onProgress?.({ stage: 'row', row, index, total: request.ks.length });
      }
      return { pcaMse, rows, fitCount: 100, trainCount: 100, testCount: DIGITS };
    },
    evaluate: () => 0.0123,
    storedModel: () => null,
    saveModel: (args) => ({ url: String(args[1]), bytes: 1234 }),
    exportModel: () => ({ modelJson: '{"modelTopology":{}}', weights: new ArrayBuffer(8) }),
  };

  /** The bridge as the parts see it (the tasks they call, pause, resume, disposeModels). */
  asBridge(): WorkerBridge {
    const tasks = Object.fromEntries(
      Object.keys(this.answers).map((name) => [
        name,
        (signal: AbortSignal | undefined, ...rest: unknown[]) => this.task(name, signal, rest),
      ]),
    );
    return {
      ...tasks,
      pause: async (id: number) => this.calls.push({ name: 'pause', args: [id] }) > 0,
      resume: async (id: number) => this.calls.push({ name: 'resume', args: [id] }) > 0,
      disposeModels: (ids: Iterable<string>) => {
        this.calls.push({ name: 'disposeModels', args: [...ids] });
        for (const id of ids) this.disposed.add(id);
      },
    } as unknown as WorkerBridge;
  }

  private async task(
    name: string,
    signal: AbortSignal | undefined,
    rest: unknown[],
  ): Promise<unknown> {
    const last = rest.at(-1);
    const options = (
      last &&
      typeof last === 'object' &&
      ('onProgress' in last || 'onStart' in last || 'discard' in last)
        ? rest.pop()
        : {}
    ) as Options;
    this.calls.push({ name, args: rest });
    options.onStart?.(this.nextId++);
    await this.gate(name, signal);
    await Promise.resolve();
    if (signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
    // As the worker: a model that was freed is not there any more.
    if (typeof rest[0] === 'string' && this.disposed.has(rest[0])) {
      throw new AeError(
        'NOT_LOADED',
        `No model "${rest[0]}" is in the worker (disposed, or never made); train or load one first.`,
      );
    }
    const failure = this.script.fail?.[name];
    if (failure) throw new Error(failure);
    return this.answers[name](rest, { ...options, signal });
  }
}
