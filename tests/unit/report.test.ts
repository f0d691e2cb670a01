import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import { runReproduce } from '../../src/cli/reproduce.ts';
import { DIGIT_COLORS } from '../../src/core/settings.ts';
import { AeError } from '../../src/core/errors.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { loadModelFiles } from '../../src/core/models/node-io.ts';
import { renderReportHtml } from '../../src/core/report/html.ts';
import {
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportFigures,
  type TrainedModelSection,
  reportTargets,
} from '../../src/core/report/model.ts';
import { base64, crc32, digitGrid, encodePng } from '../../src/core/report/png.ts';
import { escapeXml, lineChart, niceTicks, scatterChart } from '../../src/core/report/svg.ts';

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  /** The bytes the CRC covers: type and data. */
  covered: Uint8Array;
}

function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    out.push({
      type,
      data: png.subarray(at + 8, at + 8 + length),
      crc: view.getUint32(at + 8 + length),
      covered: png.subarray(at + 4, at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

/** Every external reference a page could fetch. */
const EXTERNAL =
  /(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\/|@import|<script\b|<link\b|url\(\s*["']?(?:https?:)?\/\//i;

describe('PNG', () => {
  test('crc32 matches the known CRC of "IEND" and "123456789"', () => {
    assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });

  test('a grayscale image decodes: signature, IHDR, CRCs, and IDAT inflates to the pixels', () => {
    const width = 5;
    const height = 3;
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 17) % 256);
    const png = encodePng({ width, height, pixels }, deflateSync);

    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const parts = chunks(png);
    assert.deepEqual(
      parts.map((c) => c.type),
      ['IHDR', 'IDAT', 'IEND'],
    );
    for (const c of parts) assert.equal(c.crc, crc32(c.covered), `CRC of ${c.type}`);
    assert.equal(parts[2].crc, 0xae426082);

    const ihdr = new DataView(parts[0].data.buffer, parts[0].data.byteOffset, 13);
    assert.equal(parts[0].data.length, 13);
    assert.equal(ihdr.getUint32(0), width);
    assert.equal(ihdr.getUint32(4), height);
    assert.deepEqual([...parts[0].data.subarray(8)], [8, 0, 0, 0, 0]);

    const raw = inflateSync(parts[1].data);
    assert.equal(raw.length, height * (width + 1));
    for (let y = 0; y < height; y++) {
      assert.equal(raw[y * (width + 1)], 0, 'filter type none');
      assert.deepEqual(
        [...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1))],
        [...pixels.subarray(y * width, (y + 1) * width)],
      );
    }
  });

  test('digitGrid lays tiles out in rows, scaled, with gaps', () => {
    const tile = (v: number) => new Float32Array(4).fill(v);
    const grid = digitGrid([tile(1), tile(0.5), tile(0)], {
      columns: 2,
      side: 2,
      scale: 2,
      gap: 1,
      background: 7,
    });
    assert.equal(grid.width, 2 * 4 + 3);
    assert.equal(grid.height, 2 * 4 + 3);
    const at = (x: number, y: number) => grid.pixels[y * grid.width + x];
    assert.equal(at(0, 0), 7);
    assert.equal(at(1, 1), 255);
    assert.equal(at(4, 4), 255);
    assert.equal(at(6, 1), 128);
    assert.equal(at(1, 6), 0);
    assert.equal(at(6, 6), 7, 'no fourth tile');
    assert.throws(() => digitGrid([new Float32Array(3)], { columns: 1, side: 2 }), RangeError);
  });

  test('base64 matches Buffer', () => {
    for (let n = 0; n < 8; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) % 256);
      assert.equal(base64(bytes), Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('SVG charts', () => {
  test('niceTicks picks round steps that cover the range', () => {
    assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks(0.0339, 0.0605, 5);
    assert.equal(t.step, 0.005);
    assert.ok(t.min <= 0.0339 && t.max >= 0.0605);
    assert.deepEqual(niceTicks(3, 3).ticks.length > 1, true);
  });

  test('a line chart has a title, axes, ticks, series, legend and escaped text', () => {
    const svg = lineChart({
      id: 'c1',
      title: 'Loss <per> epoch & "more"',
      xLabel: 'epoch',
      yLabel: 'MSE',
      series: [
        {
          name: 'loss',
          points: [
            [1, 0.05],
            [2, 0.03],
            [3, 0.025],
          ],
          color: '#4e79a7',
        },
        {
          name: 'val_loss',
          points: [
            [1, 0.06],
            [2, 0.04],
            [3, NaN],
          ],
          color: '#f28e2b',
        },
      ],
      references: [{ axis: 'y', value: 0.0203, label: 'notebook 0.0203' }],
      integerX: true,
    });
    assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*role="img"/);
    assert.ok(svg.endsWith('</svg>'));
    assert.ok(
      svg.includes('<title id="c1-title">Loss &lt;per&gt; epoch &amp; &quot;more&quot;</title>'),
    );
    assert.equal(svg.match(/<text\b/g)?.length, svg.match(/<\/text>/g)?.length);
    assert.equal(svg.match(/<g\b/g)?.length, svg.match(/<\/g>/g)?.length);
    assert.equal((svg.match(/<path /g) ?? []).length, 3, 'axes + two series');
    assert.ok(svg.includes('>notebook 0.0203</text>'));
    assert.ok(svg.includes('>val_loss</text>'));
    for (const tick of ['>1</text>', '>2</text>', '>3</text>']) assert.ok(svg.includes(tick), tick);
    assert.ok(!svg.includes('NaN'));
    assert.ok(!svg.includes('>1.5</text>'), 'whole-number x ticks');
  });

  test('a scatter plot draws at most maxPoints dots, one path per label colour', () => {
    const n = 1000;
    const svg = scatterChart({
      id: 's1',
      title: 'scatter',
      xLabel: 'PC1',
      yLabel: 'PC2',
      points: {
        x: Float32Array.from({ length: n }, (_, i) => Math.cos(i)),
        y: Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
        labels: Uint8Array.from({ length: n }, (_, i) => Math.floor(i / 100)),
      },
      colors: DIGIT_COLORS,
      maxPoints: 250,
    });
    assert.equal(svg.match(/h0/g)?.length, 250);
    for (const color of DIGIT_COLORS) assert.ok(svg.includes(`stroke="${color}"`), color);
    assert.equal(svg.match(/<text\b/g)?.length, svg.match(/<\/text>/g)?.length);
  });
});

function section(score: number): TrainedModelSection {
  return {
    preset: 'quick',
    seed: 1,
    latent: 10,
    trainCount: 2000,
    validationCount: 1000,
    batchSize: 64,
    plannedEpochs: 3,
    epochs: 3,
    bestEpoch: 3,
    stoppedEarly: false,
    history: { loss: [0.1, 0.06, 0.05], valLoss: [0.07, 0.055, 0.05] },
    testScore: score,
    testCount: 10000,
    trainSeconds: 2,
    samplesPerSecond: 3000,
    modelDir: 'models/x',
  };
}

/** A made-up report with hostile text where text can go. */
function fakeReport(): { report: Report; figures: ReportFigures } {
  const cumulative = Array.from({ length: 784 }, (_, i) => 1 - Math.exp(-(i + 1) / 36));
  const partial: Omit<Report, 'targets'> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: '2025-01-02T03:04:05.678Z',
    command: `ae-demo reproduce --out '<script>alert(1)</script>' "&"`,
    setup: { preset: 'quick', seed: 1, ks: [9, 10], jobs: 2 },
    machine: { os: 'Linux <6>', arch: 'x64', cpuModel: 'CPU & co', cores: 2, node: '20.0.0' },
    backend: { name: 'wasm', simd: true, threads: false, matmulFix: true },
    timings: {
      setup: 1,
      pca: 1,
      training: 9,
      results: 1,
      ae: 5,
      compare: 5,
      vae: 4,
      write: 0.1,
      total: 12.1,
    },
    pca: {
      samples: 10000,
      features: 784,
      components: 10,
      componentsFor90: 84,
      varianceAt84: 0.900716,
      cumulativeVariance: cumulative,
      reconstructionMse: [0.06, 0.055, 0.051, 0.048, 0.044, 0.041, 0.039, 0.037, 0.035, 0.0339026],
      residual: 1e-10,
      converged: true,
      kernel: { simd: true, threads: false },
    },
    ae: { ...section(0.045), deadUnits: 3, scatterUnits: [0, 2] },
    compare: {
      preset: 'quick',
      bottleneck: 'relu',
      seed: 1,
      testCount: 10000,
      trainCount: 2000,
      validationCount: 1000,
      rows: [
        {
          k: 9,
          pcaMse: 0.035,
          aeMse: 0.043,
          deadUnits: 1,
          epochs: 3,
          bestEpoch: 3,
          trainSeconds: 2,
          fromAeSection: false,
        },
        {
          k: 10,
          pcaMse: 0.0339026,
          aeMse: 0.045,
          deadUnits: 3,
          epochs: 3,
          bestEpoch: 3,
          trainSeconds: 2,
          fromAeSection: true,
        },
      ],
    },
    vae: { ...section(34.5), sampleSeed: 1, sampleCount: 4 },
    planeCurve: [
      {
        shape: 'plane',
        latent: 2,
        points: 4,
        noise: 0.05,
        pcaMse: 0.0008,
        aeMse: 0.0009,
        aeEpochs: 100,
        pcaSeconds: 0.02,
        aeSeconds: 2,
      },
      {
        shape: 'curve',
        latent: 1,
        points: 4,
        noise: 0.05,
        pcaMse: 0.11,
        aeMse: 0.002,
        aeEpochs: 100,
        pcaSeconds: 0.003,
        aeSeconds: 2,
      },
    ],
  };
  const cloud = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i));
  const points = {
    x: [0, 1, 2, 3],
    y: [3, 1, 2, 0],
    labels: [0, 1, 2, 3],
  };
  const png = encodePng(digitGrid([new Float32Array(784)], { columns: 1 }), deflateSync);
  return {
    report: { ...partial, targets: reportTargets(partial) },
    figures: {
      pcaScatter: points,
      aeLatent: points,
      aeReconstructions: png,
      vaeReconstructions: png,
      vaeSamples: png,
      planeCurve: [
        { points: cloud, pca: cloud, ae: cloud },
        { points: cloud, pca: cloud, ae: cloud },
      ],
    },
  };
}

describe('report model', () => {
  test('targets: PCA always applies, training targets only with the notebook preset', () => {
    const { report } = fakeReport();
    const byId = Object.fromEntries(report.targets.map((t) => [t.id, t]));
    assert.equal(byId['pca.componentsFor90'].met, true);
    assert.equal(byId['pca.mseK10'].met, true);
    assert.equal(byId['pca.varianceAt84'].met, true);
    assert.equal(byId['ae.testMse'].met, false);
    assert.equal(byId['ae.testMse'].applies, false);
    assert.equal(byId['compare.aeBelowPca'].value, 0);
    assert.equal(byId['vae.testLoss'].notebook, 15.123487979126);
  });
});

describe('report.html', () => {
  test('escapes text, embeds figures and fetches nothing', () => {
    const { report, figures } = fakeReport();
    const html = renderReportHtml(report, figures, { digitColors: DIGIT_COLORS });
    assert.ok(html.startsWith('<!doctype html>'));
    assert.ok(!html.includes('<script'), 'no script, not even the escaped command');
    assert.ok(html.includes(escapeXml(report.command)));
    assert.ok(html.includes('Linux &lt;6&gt;') && html.includes('CPU &amp; co'));
    assert.doesNotMatch(html, EXTERNAL);
    assert.match(html, /prefers-color-scheme: dark/);

    const images = html.match(/<img [^>]*>/g) ?? [];
    assert.equal(images.length, 3);
    for (const img of images) {
      assert.match(img, /src="data:image\/png;base64,[A-Za-z0-9+/]+=*"/);
      assert.match(img, /alt="[^"]+"/);
    }
    const svgs = html.match(/<svg\b/g) ?? [];
    assert.equal(svgs.length, 9);
    assert.equal(html.match(/<figure>/g)?.length, 12);
    assert.equal(html.match(/<figcaption>/g)?.length, 12);
    // Section 5 gives both numbers for each point set, and names the three clouds.
    const q = "(?:'|&#39;|&apos;)";
    assert.match(
      html,
      new RegExp(`On the plane the autoencoder${q}s error is 0\\.0009 against PCA${q}s 0\\.0008`),
    );
    assert.match(
      html,
      new RegExp(`On the curve the autoencoder${q}s error is 0\\.002 against PCA${q}s 0\\.11`),
    );
    assert.ok(html.includes('>autoencoder</text>') && html.includes('>PCA, 1 component</text>'));
    for (const id of [
      'pca-variance',
      'pca-scatter',
      'pca-mse',
      'ae-loss',
      'ae-latent',
      'compare-mse',
      'vae-loss',
      'plane-curve-plane',
      'plane-curve-curve',
    ]) {
      assert.ok(html.includes(`id="${id}"`), id);
    }
  });
});

describe('runReproduce', () => {
  test('rejects bad setups before any work', async () => {
    const base = { out: join(tmpdir(), 'never'), preset: 'quick' as const, seed: 1, ks: [9, 10] };
    for (const bad of [
      { ...base, ks: [] },
      { ...base, ks: [11] },
      { ...base, ks: [9, 9] },
      { ...base, preset: 'web' as 'quick' },
      { ...base, seed: -1 },
    ]) {
      await assert.rejects(
        runReproduce(bad),
        (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT',
      );
    }
  });

  test('stops with ABORTED when cancelled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ae-reproduce-'));
    try {
      await assert.rejects(
        runReproduce(
          { out: dir, preset: 'quick', seed: 1, ks: [10] },
          { signal: AbortSignal.abort() },
        ),
        (e: unknown) => e instanceof AeError && e.code === 'ABORTED',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // About 25 s here: PCA, three quick models and the report, end to end, in two threads and then in one.
  test(
    'quick preset, ks 9 and 10: writes the report and the models',
    { timeout: 180_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ae-reproduce-'));
      const serialDir = await mkdtemp(join(tmpdir(), 'ae-reproduce-serial-'));
      try {
        await initBackend();
        const tensorsBefore = tf.memory().numTensors;
        const progress: string[] = [];
        const outcome = await runReproduce(
          { out: dir, preset: 'quick', seed: 1, ks: [10, 9], jobs: 2 },
          { onProgress: (text) => progress.push(text) },
        );
        assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors left behind');
        assert.equal(outcome.outDir, dir);
        for (const file of outcome.files) assert.ok((await stat(file)).size > 0, file);
        for (const name of [
          'report.json',
          'report.html',
          'models/ae-quick/model.json',
          'models/vae-quick/weights.bin',
        ]) {
          assert.ok(outcome.files.includes(join(dir, name)), name);
        }
        // The progress line shows every training running, e.g. "0/3 done · AE epoch 2/5 31% · VAE …":
        // each one's start is drawn.
        for (const label of ['AE', 'VAE', 'AE k=9']) {
          assert.ok(
            progress.some((p) => new RegExp(`^\\d/3 done · (.* · )?${label} epoch 1/5 0%`).test(p)),
            label,
          );
        }
        assert.ok(progress.some((p) => p.startsWith('3/3 done')));
        assert.equal(outcome.summary.length, 8);

        const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
        assert.deepEqual(report, outcome.report);
        const numbers: number[] = [];
        JSON.stringify(report, (_key, value: unknown) => {
          if (typeof value === 'number') numbers.push(value);
          return value;
        });
        assert.ok(numbers.length > 800 && numbers.every(Number.isFinite), 'every number is finite');
        assert.equal(report.schemaVersion, REPORT_SCHEMA_VERSION);
        assert.deepEqual(report.setup.ks, [9, 10]);

        // PCA is deterministic: the notebook's figures, within the stored tolerances.
        assert.equal(report.pca.componentsFor90, 84);
        assert.ok(Math.abs(report.pca.varianceAt84 - 0.900716) < 1e-6);
        assert.ok(Math.abs(report.pca.reconstructionMse[9] - 0.0339026) < 1e-6);

        // The k = 10 row is section 2's AE and section 1's PCA; k = 9 comes from compare.
        assert.deepEqual(
          report.compare.rows.map((r) => r.k),
          [9, 10],
        );
        const [row9, row10] = report.compare.rows;
        assert.equal(row10.pcaMse, report.pca.reconstructionMse[9]);
        assert.equal(row10.aeMse, report.ae.testScore);
        assert.equal(row10.fromAeSection, true);
        assert.ok(Math.abs(row9.pcaMse - report.pca.reconstructionMse[8]) < 1e-9);
        assert.ok(row9.pcaMse > row10.pcaMse);

        for (const s of [report.ae, report.vae]) {
          assert.equal(s.history.loss.length, s.epochs);
          assert.equal(s.history.valLoss.length, s.epochs);
          assert.equal(s.trainCount, 2000);
          assert.equal(s.testCount, 10000);
        }
        assert.ok(report.ae.testScore > 0 && report.ae.testScore < 0.1);
        assert.ok(report.vae.testScore > 10 && report.vae.testScore < 80);
        assert.equal(report.targets.length, 8);
        // The reference text's argument: the AE wins on the curve, PCA is as good on the plane.
        const [plane, curve] = report.planeCurve;
        assert.deepEqual(
          [plane.shape, plane.latent, curve.shape, curve.latent],
          ['plane', 2, 'curve', 1],
        );
        assert.ok(curve.aeMse < curve.pcaMse / 5, `curve: AE ${curve.aeMse}, PCA ${curve.pcaMse}`);
        assert.ok(
          plane.aeMse <= 1.1 * plane.pcaMse,
          `plane: AE ${plane.aeMse}, PCA ${plane.pcaMse}`,
        );
        const met = report.targets.filter((t) => t.section === 'planeCurve').map((t) => t.met);
        assert.deepEqual(met, [true, true]);

        const html = await readFile(join(dir, 'report.html'), 'utf8');
        assert.doesNotMatch(html, EXTERNAL);
        assert.ok(html.length < 1.5e6, `report.html is ${html.length} bytes`);

        const ae = await loadModelFiles(join(dir, 'models/ae-quick'));
        assert.equal(ae.kind, 'ae');
        ae.dispose();

        // One job, one thread: the same numbers and weights as two jobs in two threads.
        const serial = await runReproduce({
          out: serialDir,
          preset: 'quick',
          seed: 1,
          ks: [10, 9],
          jobs: 1,
        });
        assert.equal((serial.report as Report).setup.jobs, 1);
        assert.equal(report.setup.jobs, 2);
        assert.deepEqual(withoutTimes(serial.report as Report), withoutTimes(report));
        // PCA's projection sums follow how many rows its helper thread took, which
        // depends on when it was ready: equal to rounding, not to the bit.
        const mse = (r: Report) => [
          ...r.pca.reconstructionMse,
          ...r.compare.rows.map((row) => row.pcaMse),
        ];
        const close = mse(serial.report as Report).every(
          (v, i) => Math.abs(v - mse(report)[i]) <= 1e-12 * v,
        );
        assert.ok(close, 'PCA errors equal to 1e-12');
        for (const file of ['models/ae-quick/weights.bin', 'models/vae-quick/weights.bin']) {
          assert.deepEqual(
            await readFile(join(serialDir, file)),
            await readFile(join(dir, file)),
            file,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rm(serialDir, { recursive: true, force: true });
      }
    },
  );
});

/**
 * The report without what differs from run to run: times, speeds, the command
 * line, the jobs, and PCA's rounding (compared to 1e-12 instead).
 */
function withoutTimes(report: Report): unknown {
  const drop = new Set([
    'reconstructionMse',
    'targets',
    'pcaMse',
    'residual',
    'createdAt',
    'command',
    'timings',
    'jobs',
    'trainSeconds',
    'samplesPerSecond',
    'pcaSeconds',
    'aeSeconds',
  ]);
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) => (drop.has(key) ? undefined : value)),
  );
}
