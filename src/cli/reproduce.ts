/**
 * `ae-demo reproduce`: the reference notebook end to end, headless. PCA of
 * the test images, the autoencoder, the autoencoder against PCA by latent
 * size, and the VAE; writes report.json, a self-contained report.html and the
 * trained models (the weights the website ships) into one directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { compareRow, compareSpec, liveUnits } from '../core/compare.ts';
import { loadMnist } from '../core/data/node.ts';
import { AeError, throwIfAborted } from '../core/errors.ts';
import { type BackendInfo, initBackend } from '../core/models/backend.ts';
import { viewOf } from '../core/models/batches.ts';
import { encodeImages, reconstructImages, sampleFromPrior } from '../core/models/inference.ts';
import { saveModelFiles } from '../core/models/node-io.ts';
import { getPreset } from '../core/models/presets.ts';
import { type Run, type RunSpec, runAll, serialRunner } from '../core/models/run.ts';
import { type PcaResult, pca } from '../core/pca.ts';
import { SHAPE_NAMES, compareOnShape } from '../core/models/plane-curve.ts';
import { renderReportHtml } from '../core/report/html.ts';
import {
  type CompareTableRow,
  type PlaneCurveRow,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportFigures,
  type TrainedModelSection,
  reportTargets,
} from '../core/report/model.ts';
import { digitGrid, encodePng } from '../core/report/png.ts';
import {
  DIGIT_COLORS,
  JOBS_LIMITS,
  LIMITS,
  MAX_K,
  PRESET_DEFAULTS,
  shapeOverrides,
} from '../core/settings.ts';
import { REPRODUCE_PRESETS, type ReproducePreset, type TrainData, availableCores } from './args.ts';
import { loadAuthorData } from './train.ts';
import { JobBoard } from './board.ts';
import { startPool } from './pool.ts';

/** What a reproduction needs: the parsed command. */
export interface ReproduceSetup {
  /** Output directory, created if missing. */
  out: string;
  preset: ReproducePreset;
  seed: number;
  /** Latent sizes of the AE-vs-PCA comparison, 1..{@link MAX_K}. */
  ks: number[];
  /**
   * Trainings at once, each in its own worker thread; 1 trains them one after
   * another in this thread. The numbers are the same either way. Default: the cores.
   */
  jobs?: number;
  /**
   * The author's own images instead of MNIST (`--images` …): the networks
   * follow their pixel count, PCA runs on their test images, and the
   * notebook's MNIST targets are skipped with the reason.
   */
  data?: TrainData;
}

/** Callbacks of {@link runReproduce}. */
export interface ReproduceHooks {
  signal?: AbortSignal;
  /** One line of progress: stage text and an optional fraction 0..1 of that stage. */
  onProgress?: (text: string, fraction?: number) => void;
}

/** What {@link runReproduce} resolves to. */
export interface ReproduceOutcome {
  /** Absolute output directory. */
  outDir: string;
  /** Absolute paths of the files written. */
  files: string[];
  /** Short human summary, one figure per line. */
  summary: string[];
  /** The report.json object. */
  report: unknown;
}

/** Progress redraws at most this often (the training loop's onBatch throttle). */
const PROGRESS_INTERVAL_MS = 200;
/** Test digits shown next to their reconstructions. */
const SHOWN_DIGITS = 10;
/** New digits decoded from the VAE's prior: a 10 × 10 grid. */
const PRIOR_SAMPLES = 100;
/** The notebook's latent scatter plots bottleneck units 1 and 3 (0-based 0 and 2). */
const NOTEBOOK_SCATTER_UNITS: [number, number] = [0, 2];

function checkSetup(setup: ReproduceSetup): void {
  if (typeof setup.out !== 'string' || setup.out === '') {
    throw new AeError('BAD_ARGUMENT', 'Give an output directory for the report.');
  }
  if (!(REPRODUCE_PRESETS as readonly string[]).includes(setup.preset)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Unknown preset "${String(setup.preset)}"; use one of: ${REPRODUCE_PRESETS.join(', ')}.`,
    );
  }
  const [minSeed, maxSeed] = LIMITS.cli.seed;
  if (!Number.isInteger(setup.seed) || setup.seed < minSeed || setup.seed > maxSeed) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The seed must be a whole number from ${minSeed} to ${maxSeed}, not ${setup.seed}.`,
    );
  }
  const { ks } = setup;
  if (!Array.isArray(ks) || ks.length === 0) {
    throw new AeError('BAD_ARGUMENT', `Give at least one latent size from 1 to ${MAX_K}.`);
  }
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
      throw new AeError(
        'BAD_ARGUMENT',
        `Latent sizes must be whole numbers from 1 to ${MAX_K}, not ${k}.`,
      );
    }
  }
  if (new Set(ks).size !== ks.length) {
    throw new AeError('BAD_ARGUMENT', `A latent size is listed twice in ${ks.join(', ')}.`);
  }
  const [minJobs, maxJobs] = JOBS_LIMITS;
  const { jobs } = setup;
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= minJobs && jobs <= maxJobs)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `jobs must be a whole number from ${minJobs} to ${maxJobs}, not ${jobs}.`,
    );
  }
}

/** argv quoted for a POSIX shell, so the line can be pasted back. */
function commandLine(): string {
  const argv = [process.argv0, ...process.execArgv, ...process.argv.slice(1)];
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function machine(): Report['machine'] {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    node: process.versions.node,
  };
}

function kib(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.round(bytes / 1024)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function column(values: Float32Array, width: number, j: number): Float32Array {
  const out = new Float32Array(values.length / width);
  for (let i = 0; i < out.length; i++) out[i] = values[i * width + j];
  return out;
}

/** The first `count` images of `values` (row-major, `n` values each) as tiles of a digit grid. */
function tiles(values: Float32Array, count: number, n: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => values.subarray(i * n, (i + 1) * n));
}

/** The first `count` images as values in [0, 1], then `reconstructions` below them. */
function originalsAndReconstructions(
  pixels: Uint8Array,
  reconstructions: Float32Array,
  count: number,
  n: number,
): Float32Array[] {
  const originals = Float32Array.from(pixels.subarray(0, count * n), (v) => v / 255);
  return [...tiles(originals, count, n), ...tiles(reconstructions, count, n)];
}

/** The notebook's units 1 and 3, unless one is dead; then the first two live units. */
function scatterUnits(live: number[], latent: number): [number, number] {
  const [a, b] = NOTEBOOK_SCATTER_UNITS;
  if (b < latent && live.includes(a) && live.includes(b)) return [a, b];
  if (live.length >= 2) return [live[0], live[1]];
  return [0, Math.min(1, latent - 1)];
}

function trainedSection(
  run: Run,
  preset: string,
  seed: number,
  modelDir: string,
): TrainedModelSection {
  return {
    preset,
    seed,
    latent: run.model.latentSize,
    trainCount: run.plan.trainCount,
    validationCount: run.plan.validationCount,
    batchSize: run.plan.batchSize,
    plannedEpochs: run.plan.epochs,
    epochs: run.result.epochs,
    bestEpoch: run.result.bestEpoch,
    stoppedEarly: run.result.stoppedEarly,
    history: { loss: [...run.result.history.loss], valLoss: [...run.result.history.valLoss] },
    testScore: run.testScore,
    testCount: run.testCount,
    trainSeconds: run.timingsMs.train / 1000,
    samplesPerSecond: run.result.samplesPerSecond,
    modelDir,
  };
}

/** Runs the notebook's analysis and writes report.json, report.html and the models into `setup.out`. */
export async function runReproduce(
  setup: ReproduceSetup,
  hooks: ReproduceHooks = {},
): Promise<ReproduceOutcome> {
  checkSetup(setup);
  const t0 = performance.now();
  const createdAt = new Date().toISOString();
  const { signal } = hooks;
  const what = 'The reproduction';
  const progress = (text: string, fraction?: number) => hooks.onProgress?.(text, fraction);
  const { preset, seed } = setup;
  const ks = [...setup.ks].sort((a, b) => a - b);
  const outDir = resolve(setup.out);

  progress(`creating ${outDir}`);
  await mkdir(outDir, { recursive: true });
  progress('starting the WebAssembly backend');
  const backend: BackendInfo = await initBackend();
  const author = setup.data;
  progress(author ? `loading ${author.images}` : 'loading MNIST');
  const own = author ? await loadAuthorData(author) : undefined;
  const [train, test] = own
    ? [own.train, own.test]
    : await Promise.all([loadMnist('train'), loadMnist('test')]);
  throwIfAborted(signal, what);
  const data = { train, test };
  const features = test.rows * test.cols;
  const grid = { tileRows: test.rows, tileCols: test.cols };
  // Without labels the scatters are one colour.
  const labels = test.labels ?? new Uint8Array(test.count);
  // The networks follow the images' pixels; a preset's training size over the images there are takes them all.
  const fit = (spec: RunSpec): RunSpec => {
    if (!own) return spec;
    const wanted = getPreset(spec.kind, spec.preset ?? 'notebook').training.trainSize;
    return {
      ...spec,
      model: { ...shapeOverrides(spec.kind, features), ...spec.model },
      ...(wanted !== null && wanted > train.count ? { trainSize: train.count } : {}),
    };
  };
  const tSetup = performance.now();

  // 1. PCA of the test images, as the notebook's prcomp(test_x).
  const pcaResult: PcaResult = await pca(
    { samples: test.count, features, pixels: test.pixels },
    {
      components: Math.max(10, ...ks),
      scoreDims: 2,
      signal,
      onProgress: (p) => progress(`PCA: ${p.stage}`, p.fraction),
    },
  );
  const tPca = performance.now();

  // 2–4. Every training at once (as many at a time as there are jobs): the autoencoder,
  // the VAE, and one autoencoder per other latent size of the comparison. Section 2's
  // autoencoder is the comparison's k = its latent size.
  const reused = PRESET_DEFAULTS[preset].ae.latent;
  const others = ks.filter((k) => k !== reused);
  const compareOptions = { preset, bottleneck: 'relu' as const, seed };
  const jobs: { label: string; kind: 'ae' | 'vae'; spec: RunSpec }[] = [
    { label: 'AE', kind: 'ae', spec: fit({ kind: 'ae', preset, seed }) },
    { label: 'VAE', kind: 'vae', spec: fit({ kind: 'vae', preset, seed }) },
    ...others.map((k) => ({
      label: `AE k=${k}`,
      kind: 'ae' as const,
      spec: fit(compareSpec(k, compareOptions)),
    })),
  ];
  const threads = Math.min(setup.jobs ?? availableCores(), jobs.length);
  const pool = threads > 1 ? startPool(data, { threads }) : undefined;
  const board = new JobBoard(jobs.length);
  const show = () => progress(board.line());
  let runs: Run[];
  try {
    runs = await runAll(
      pool?.run ?? serialRunner(data),
      jobs.map((j) => j.spec),
      (i) => {
        const { label, kind } = jobs[i];
        return {
          progressIntervalMs: PROGRESS_INTERVAL_MS,
          onStart: () => {
            board.start(label, getPreset(kind, preset).training.epochs);
            show();
          },
          onDone: () => {
            board.finish(label);
            show();
          },
          onStage: (stage) => {
            board.stage(label, stage);
            show();
          },
          onBatch: (b) => {
            board.batch(label, b);
            show();
          },
          onEpoch: (e) => {
            board.epoch(label, e);
            show();
          },
        };
      },
      signal,
    );
  } finally {
    await pool?.close();
  }
  const tTrained = performance.now();
  const [aeRun, vaeRun, ...compareRuns] = runs;

  let aeSection: Report['ae'];
  let aeFigures: Pick<ReportFigures, 'aeLatent' | 'aeReconstructions'>;
  let vaeSection: Report['vae'];
  let vaeFigures: Pick<ReportFigures, 'vaeReconstructions' | 'vaeSamples'>;
  const rows: CompareTableRow[] = [];
  const aeModelDir = join('models', `ae-${preset}`);
  const vaeModelDir = join('models', `vae-${preset}`);
  const sectionSeconds = (run: Run) => (run.timingsMs.train + run.timingsMs.evaluate) / 1000;
  try {
    // 2. The autoencoder.
    progress('AE: encoding the test images');
    const latent = aeRun.model.latentSize;
    const codes = encodeImages(aeRun.model, test);
    const live = liveUnits(codes, latent);
    const units = scatterUnits(live, latent);
    const shown = viewOf(test, 0, SHOWN_DIGITS);
    const reconstructions = reconstructImages(aeRun.model, shown);
    aeFigures = {
      aeLatent: {
        x: column(codes, latent, units[0]),
        y: column(codes, latent, units[1]),
        labels,
      },
      aeReconstructions: encodePng(
        digitGrid(
          originalsAndReconstructions(test.pixels, reconstructions, SHOWN_DIGITS, features),
          { columns: SHOWN_DIGITS, ...grid, gap: 3 },
        ),
        deflateSync,
      ),
    };
    aeSection = {
      ...trainedSection(aeRun, preset, seed, aeModelDir),
      deadUnits: latent - live.length,
      scatterUnits: units,
    };
    progress(`AE: saving to ${join(outDir, aeModelDir)}`);
    await saveModelFiles(aeRun.model, join(outDir, aeModelDir));
    throwIfAborted(signal, what);

    // 3. AE vs PCA by latent size, PCA's errors from section 1's analysis of the same images.
    progress('AE vs PCA: encoding the test images');
    const allTest = viewOf(test);
    for (const [i, k] of others.entries()) {
      const row = compareRow(k, compareRuns[i], pcaResult.reconstructionMse[k - 1], allTest);
      rows.push({ ...row, fromAeSection: false });
    }
    if (ks.includes(reused)) {
      rows.push({
        k: reused,
        pcaMse: pcaResult.reconstructionMse[reused - 1],
        aeMse: aeSection.testScore,
        deadUnits: aeSection.deadUnits,
        epochs: aeSection.epochs,
        bestEpoch: aeSection.bestEpoch,
        trainSeconds: aeSection.trainSeconds,
        fromAeSection: true,
      });
    }
    rows.sort((a, b) => a.k - b.k);
    throwIfAborted(signal, what);

    // 4. The VAE.
    progress('VAE: reconstructing and sampling');
    const vaeReconstructions = reconstructImages(vaeRun.model, viewOf(test, 0, SHOWN_DIGITS));
    const samples = sampleFromPrior(vaeRun.model, PRIOR_SAMPLES, seed);
    vaeFigures = {
      vaeReconstructions: encodePng(
        digitGrid(
          originalsAndReconstructions(test.pixels, vaeReconstructions, SHOWN_DIGITS, features),
          { columns: SHOWN_DIGITS, ...grid, gap: 3 },
        ),
        deflateSync,
      ),
      vaeSamples: encodePng(
        digitGrid(tiles(samples.images, PRIOR_SAMPLES, features), {
          columns: 10,
          ...grid,
          scale: 2,
          gap: 3,
        }),
        deflateSync,
      ),
    };
    vaeSection = {
      ...trainedSection(vaeRun, preset, seed, vaeModelDir),
      sampleSeed: seed,
      sampleCount: PRIOR_SAMPLES,
    };
    progress(`VAE: saving to ${join(outDir, vaeModelDir)}`);
    await saveModelFiles(vaeRun.model, join(outDir, vaeModelDir));
  } finally {
    for (const run of runs) run.model.dispose();
  }
  throwIfAborted(signal, what);

  // 5. The reference text's argument on 3-D points: PCA against a small AE, plane and curve.
  const planeCurve: PlaneCurveRow[] = [];
  const planeCurveFigures: ReportFigures['planeCurve'] = [];
  for (const shape of SHAPE_NAMES) {
    progress(`plane and curve: the ${shape}`);
    const r = await compareOnShape(shape, { seed, signal });
    planeCurve.push({
      shape,
      latent: r.latent,
      points: r.count,
      noise: r.noise,
      pcaMse: r.pcaMse,
      aeMse: r.aeMse,
      aeEpochs: r.aeEpochs,
      pcaSeconds: r.pcaMs / 1000,
      aeSeconds: r.aeMs / 1000,
    });
    planeCurveFigures.push({ points: r.points, pca: r.pcaReconstruction, ae: r.aeReconstruction });
  }
  throwIfAborted(signal, what);
  const tDone = performance.now();
  const compareSample = compareRuns[0] ?? aeRun;

  // The report.
  progress('writing the report');
  const secondsBetween = (a: number, b: number) => (b - a) / 1000;
  const partial: Omit<Report, 'targets'> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt,
    command: commandLine(),
    setup: { preset, seed, ks, jobs: threads },
    machine: machine(),
    backend: { ...backend },
    timings: {
      setup: secondsBetween(t0, tSetup),
      pca: secondsBetween(tSetup, tPca),
      training: secondsBetween(tPca, tTrained),
      results: secondsBetween(tTrained, tDone),
      ae: sectionSeconds(aeRun),
      compare: compareRuns.reduce((sum, run) => sum + sectionSeconds(run), 0),
      vae: sectionSeconds(vaeRun),
      write: 0,
      total: 0,
    },
    pca: {
      samples: pcaResult.samples,
      features: pcaResult.features,
      components: pcaResult.components,
      componentsFor90: pcaResult.componentsFor90,
      // NaN (null in report.json) for images of fewer than 84 pixels.
      varianceAt84: pcaResult.cumulativeVariance[83] ?? NaN,
      cumulativeVariance: Array.from(pcaResult.cumulativeVariance),
      reconstructionMse: Array.from(pcaResult.reconstructionMse),
      residual: pcaResult.residual,
      converged: pcaResult.converged,
      kernel: { ...pcaResult.kernel },
    },
    ae: aeSection,
    compare: {
      preset,
      bottleneck: 'relu',
      seed,
      testCount: test.count,
      trainCount: compareSample.plan.trainCount,
      validationCount: compareSample.plan.validationCount,
      rows,
    },
    vae: vaeSection,
    planeCurve,
    data:
      own && author
        ? {
            source: 'files',
            name: basename(author.images),
            images: author.images,
            ...(author.labels ? { labels: author.labels } : {}),
            ...(author.testImages ? { testImages: author.testImages } : {}),
            ...(author.testLabels ? { testLabels: author.testLabels } : {}),
            heldOut: own.heldOut,
            rows: test.rows,
            cols: test.cols,
            trainCount: train.count,
            testCount: test.count,
            labelled: test.labels !== undefined,
          }
        : { source: 'mnist' },
  };
  const figures: ReportFigures = {
    pcaScatter: {
      x: column(pcaResult.scores, 2, 0),
      y: column(pcaResult.scores, 2, 1),
      labels,
    },
    ...aeFigures,
    ...vaeFigures,
    planeCurve: planeCurveFigures,
  };
  const report: Report = { ...partial, targets: reportTargets(partial) };
  const htmlPath = join(outDir, 'report.html');
  const jsonPath = join(outDir, 'report.json');
  // The page's total runs up to its rendering; report.json gets the final figures, writing included.
  report.timings.total = secondsBetween(t0, performance.now());
  const html = renderReportHtml(report, figures, { digitColors: DIGIT_COLORS });
  await writeFile(htmlPath, html);
  report.timings.write = secondsBetween(tDone, performance.now());
  report.timings.total = secondsBetween(t0, performance.now());
  await writeFile(jsonPath, JSON.stringify(report, null, 2) + '\n');

  const files = [
    jsonPath,
    htmlPath,
    ...[aeModelDir, vaeModelDir].flatMap((dir) =>
      ['model.json', 'weights.bin'].map((f) => join(outDir, dir, f)),
    ),
  ];
  return {
    outDir,
    files,
    summary: summarize(report, outDir, htmlPath, Buffer.byteLength(html)),
    report,
  };
}

function summarize(report: Report, outDir: string, htmlPath: string, htmlBytes: number): string[] {
  const byId = new Map(report.targets.map((t) => [t.id, t]));
  const verdict = (id: string) => {
    const t = byId.get(id);
    if (!t) return '';
    if (t.skipped) return 'skipped: not MNIST';
    return t.met ? 'met' : t.applies ? 'NOT met' : `not met, ${report.setup.preset} preset`;
  };
  const { pca, ae, compare, vae } = report;
  const wins = compare.rows.filter((r) => r.aeMse < r.pcaMse).length;
  return [
    `PCA: ${pca.componentsFor90} components explain ${pca.cumulativeVariance[pca.componentsFor90 - 1].toFixed(6)} ` +
      `of the variance (notebook: 84, 0.900716; ${verdict('pca.componentsFor90')})`,
    `PCA MSE at k=10: ${pca.reconstructionMse[9].toFixed(7)} (notebook: 0.0339026; ${verdict('pca.mseK10')})`,
    `AE test MSE: ${ae.testScore.toFixed(4)} after ${ae.epochs} epochs (target ≤ 0.0203; ${verdict('ae.testMse')})`,
    `AE vs PCA: AE lower at ${wins} of ${compare.rows.length} latent sizes (k = ${compare.rows.map((r) => r.k).join(', ')})`,
    `VAE test loss: ${vae.testScore.toFixed(2)} after ${vae.epochs} epochs (target ≤ 15.2, notebook 15.12; ${verdict('vae.testLoss')})`,
    ...report.planeCurve.map(
      (r) =>
        `${r.shape === 'plane' ? 'Plane' : 'Curve'} (${r.points} 3-D points, latent ${r.latent}): ` +
        `AE MSE ${r.aeMse.toFixed(5)} against PCA's ${r.pcaMse.toFixed(5)} ` +
        `(${r.aeSeconds.toFixed(1)} s against ${(r.pcaSeconds * 1000).toFixed(0)} ms; ${verdict(`planeCurve.${r.shape}`)})`,
    ),
    `Report: ${htmlPath} (${kib(htmlBytes)}), models in ${join(outDir, 'models')}; ` +
      `${report.timings.total.toFixed(0)} s in all`,
  ];
}
