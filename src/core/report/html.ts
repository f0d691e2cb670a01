/**
 * report.html: one self-contained page (inline CSS, inline SVG charts, PNG
 * digit grids as data URLs; no scripts, fonts or other requests) that shows
 * a {@link Report} section by section, with the notebook's figures alongside.
 */
import type {
  CompareTableRow,
  Report,
  ReportFigures,
  Target,
  TrainedModelSection,
} from './model.ts';
import { NOTEBOOK } from './model.ts';
import { pngDataUrl } from './png.ts';
import { escapeXml as esc, lineChart, scatterChart, scatterStride } from './svg.ts';

/** Options of {@link renderReportHtml}. */
export interface HtmlOptions {
  /** One colour per digit 0..9 (the scatter plots); the first two also draw the line charts. */
  digitColors: readonly string[];
  /** Points drawn per scatter plot, every n-th (default 2000). */
  scatterPoints?: number;
}

/** `value` with `digits` significant digits, without exponent for ordinary sizes. */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

function seconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

const CSS = `
:root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --muted: #5c6166; --line: #d9dcdf;
  --panel: #f3f4f5; --ok: #1f7a3a; --bad: #b3261e; --na: #6b6f75; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --fg: #e6e7e9; --muted: #a2a7ad; --line: #373b40; --panel: #1f2226;
    --ok: #6fcf8b; --bad: #ff8a80; --na: #9aa0a6; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 920px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 40px 0 8px; padding-top: 12px; border-top: 1px solid var(--line); }
p { margin: 8px 0; }
.lead { color: var(--muted); margin-bottom: 20px; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); padding: 8px 12px; border-radius: 6px; overflow-x: auto; margin: 4px 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
td:not(:first-child) { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { font-weight: 600; border-bottom: 2px solid var(--line); }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 4px; }
.met { color: var(--ok); font-weight: 600; }
.miss { color: var(--bad); font-weight: 600; }
.na { color: var(--na); }
figure { margin: 20px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figure img { display: block; max-width: 100%; height: auto; image-rendering: pixelated; border-radius: 4px; }
figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 6px; }
ul.numbers { padding-left: 20px; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.9rem; }
`;

function status(t: Target, preset: string): string {
  if (t.skipped) return `<span class="na">skipped: ${esc(t.skipped)}</span>`;
  if (t.met) return '<span class="met">met</span>';
  if (!t.applies) return `<span class="na">not met (${esc(preset)} preset)</span>`;
  return '<span class="miss">not met</span>';
}

function goalText(t: Target): string {
  const goal = formatNumber(t.goal, 6);
  switch (t.rule.kind) {
    case 'equal':
      return `= ${goal}`;
    case 'near':
      return `${goal} ± ${formatNumber(t.rule.tolerance, 1)}`;
    case 'atMost':
      return `≤ ${goal}`;
    case 'atLeast':
      return `≥ ${goal}`;
  }
}

function targetsTable(targets: Target[], caption: string, preset: string): string {
  const rows = targets
    .map(
      (t) =>
        `<tr><td>${esc(t.label)}</td><td>${esc(formatNumber(t.value, 6))}</td>` +
        `<td>${t.notebook === null ? '—' : esc(formatNumber(t.notebook, 6))}</td>` +
        `<td>${esc(goalText(t))}</td><td>${status(t, preset)}</td></tr>`,
    )
    .join('');
  return (
    `<table><caption>${esc(caption)}</caption><thead><tr><th>Figure</th><th>This run</th>` +
    `<th>Notebook</th><th>Target</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function figure(content: string, caption: string): string {
  return `<figure>${content}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function imageFigure(png: Uint8Array, alt: string, caption: string, width: number): string {
  return figure(`<img src="${pngDataUrl(png)}" alt="${esc(alt)}" width="${width}">`, caption);
}

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function trainingFacts(s: TrainedModelSection, scoreName: string): string {
  const stop = s.stoppedEarly
    ? `stopped early after ${s.epochs} of ${s.plannedEpochs} epochs, weights of epoch ${s.bestEpoch} kept`
    : `${s.epochs} of ${s.plannedEpochs} epochs, weights of epoch ${s.bestEpoch}`;
  const validation =
    s.validationCount > 0 ? `, validated on ${s.validationCount.toLocaleString('en-US')}` : '';
  return (
    `<ul class="numbers">` +
    `<li>${esc(scoreName)} on ${s.testCount.toLocaleString('en-US')} test images: <strong>${esc(formatNumber(s.testScore, 5))}</strong></li>` +
    `<li>Preset <code>${esc(s.preset)}</code>, seed ${s.seed}, latent size ${s.latent}, ` +
    `trained on ${s.trainCount.toLocaleString('en-US')} images${validation}, batch ${s.batchSize}</li>` +
    `<li>${esc(stop)}; ${esc(seconds(s.trainSeconds))} of training, ` +
    `${Math.round(s.samplesPerSecond).toLocaleString('en-US')} samples/s</li>` +
    `<li>Model files: <code>${esc(s.modelDir)}/model.json</code> and <code>weights.bin</code></li>` +
    `</ul>`
  );
}

function historySeries(h: TrainedModelSection['history'], colors: readonly string[]) {
  const loss = h.loss.map((v, i) => [i + 1, v] as const);
  const valLoss = h.valLoss.map((v, i) => [i + 1, v] as const);
  return [
    { name: 'loss (training)', points: loss, color: colors[0] },
    ...(valLoss.length > 0
      ? [{ name: 'val_loss (validation)', points: valLoss, color: colors[1] }]
      : []),
  ];
}

function compareTable(rows: CompareTableRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${r.k}</td><td>${esc(formatNumber(r.pcaMse, 5))}</td><td>${esc(formatNumber(r.aeMse, 5))}</td>` +
        `<td>${(r.aeMse / r.pcaMse).toFixed(2)}</td><td>${r.deadUnits}</td>` +
        `<td>${r.bestEpoch}/${r.epochs}</td><td>${esc(seconds(r.trainSeconds))}${r.fromAeSection ? ' (§2)' : ''}</td></tr>`,
    )
    .join('');
  return (
    '<table><caption>Test reconstruction MSE per pixel by latent size k</caption><thead><tr>' +
    '<th>k</th><th>PCA MSE</th><th>AE MSE</th><th>AE / PCA</th><th>Dead units</th>' +
    `<th>Best / run epochs</th><th>Training</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

/** The whole report page. */
export function renderReportHtml(
  report: Report,
  figures: ReportFigures,
  options: HtmlOptions,
): string {
  const colors = options.digitColors;
  const maxPoints = options.scatterPoints ?? 2000;
  const { pca, ae, compare, vae } = report;
  const bySection = (s: Target['section']) => report.targets.filter((t) => t.section === s);
  const data = report.data;
  const dataName =
    data?.source === 'files' ? `${data.name} (${data.rows} × ${data.cols} images)` : 'MNIST';
  const fraction = (v: number) => `${(100 * v).toFixed(2)} %`;
  const date = report.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const t = report.timings;
  const out: string[] = [];

  out.push(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`Autoencoders vs PCA on ${dataName}: reproduction (${report.setup.preset} preset)`)}</title>`,
    `<style>${CSS}</style></head><body><main>`,
  );

  // Header.
  out.push(
    `<header><h1>${esc(`Autoencoders vs PCA on ${dataName}: reproduction`)}</h1>`,
    '<p class="lead">The reference notebook (R + Keras) redone with ae-demo: PCA on WebAssembly kernels, ' +
      'the autoencoder and the VAE trained with TensorFlow.js on WebAssembly. ' +
      'Every number is in report.json next to this page.</p>',
    data?.source === 'files'
      ? `<p class="lead">On the author's own images: ${esc(data.images)}, ${data.trainCount} training ` +
          `and ${data.testCount} test images (${esc(
            data.heldOut ? 'the last 20 % held out' : (data.testImages ?? ''),
          )})${data.labelled ? '' : ', without labels (the scatters are one colour)'}. ` +
          "The notebook's MNIST figures are skipped, saying why.</p>"
      : '',
    '<dl class="meta">',
    `<dt>Date</dt><dd>${esc(date)}</dd>`,
    `<dt>Command</dt><dd><pre><code>${esc(report.command)}</code></pre></dd>`,
    `<dt>Preset</dt><dd><code>${esc(report.setup.preset)}</code>, seed ${report.setup.seed}, ` +
      `latent sizes ${esc(report.setup.ks.join(', '))}</dd>`,
    `<dt>Machine</dt><dd>${esc(
      `${report.machine.os} ${report.machine.arch}, ${report.machine.cpuModel}, ` +
        `${report.machine.cores} cores, Node ${report.machine.node}`,
    )}</dd>`,
    `<dt>Backend</dt><dd>${esc(
      `TF.js ${report.backend.name}: SIMD ${report.backend.simd ? 'on' : 'off'}, ` +
        `threads ${report.backend.threads ? 'on' : 'off'}, transposed matmul fix ${report.backend.matmulFix ? 'on' : 'off'}; ` +
        `PCA kernels: SIMD ${pca.kernel.simd ? 'on' : 'off'}`,
    )}</dd>`,
    `<dt>Wall time</dt><dd>${esc(
      `${seconds(t.total)} in all: setup ${seconds(t.setup)}, PCA ${seconds(t.pca)}, ` +
        `training ${seconds(t.training)} (${report.setup.jobs} ${report.setup.jobs === 1 ? 'job' : 'jobs'} at a time; ` +
        `each section's own time: AE ${seconds(t.ae)}, AE vs PCA ${seconds(t.compare)}, VAE ${seconds(t.vae)}), ` +
        `figures and models ${seconds(t.results)}`,
    )}</dd>`,
    '</dl>',
    targetsTable(report.targets, 'This run against the notebook', report.setup.preset),
  );
  if (report.setup.preset !== 'notebook') {
    out.push(
      `<p>The <code>${esc(report.setup.preset)}</code> preset trains on a small subset for a few ` +
        'epochs, so its training targets are not expected to be met; the PCA figures are exact either way. ' +
        'Run with the notebook preset for the real comparison.</p>',
    );
  }
  out.push('</header>');

  // 1. PCA.
  const cumulative = pca.cumulativeVariance.map((v, i) => [i + 1, v] as const);
  const mseK = pca.reconstructionMse.slice(0, 10).map((v, i) => [i + 1, v] as const);
  const pcaStride = scatterStride(figures.pcaScatter.x.length, maxPoints);
  out.push(
    '<section><h2>1. PCA of the 10,000 test images</h2>',
    `<p>${pca.componentsFor90} principal components explain ${esc(fraction(pca.cumulativeVariance[pca.componentsFor90 - 1]))} ` +
      `of the variance (the notebook: ${NOTEBOOK.pcaComponentsFor90} components, ` +
      `${esc(formatNumber(NOTEBOOK.pcaVarianceAt84, 6))}). Reconstructing from k = 10 components leaves ` +
      `a mean squared error of ${esc(formatNumber(pca.reconstructionMse[9], 6))} per pixel ` +
      `(the notebook: ${esc(formatNumber(NOTEBOOK.pcaMseK10, 6))}).</p>`,
    targetsTable(bySection('pca'), 'PCA figures', report.setup.preset),
    figure(
      lineChart({
        id: 'pca-variance',
        title: 'Cumulative share of variance by number of principal components',
        description: `The curve crosses 0.9 at ${pca.componentsFor90} components.`,
        xLabel: 'principal components',
        yLabel: 'cumulative variance explained',
        series: [
          { name: 'cumulative variance', points: cumulative, color: colors[0], markers: false },
        ],
        references: [
          { axis: 'y', value: 0.9, label: '90 %' },
          { axis: 'x', value: pca.componentsFor90, label: `${pca.componentsFor90} components` },
        ],
        xDomain: [0, pca.features],
        yDomain: [0, 1],
        integerX: true,
      }),
      `Figure 1. Cumulative proportion of variance explained by the first k of ${pca.features} ` +
        `principal components; 90 % is reached at k = ${pca.componentsFor90}.`,
    ),
    figure(
      scatterChart({
        id: 'pca-scatter',
        title: 'Test digits on the first two principal components, coloured by label',
        description:
          'Digits overlap heavily; only 0 and 1 form visible groups on the first two components.',
        xLabel: 'PC1',
        yLabel: 'PC2',
        points: figures.pcaScatter,
        colors,
        maxPoints,
      }),
      `Figure 2. PC1 against PC2 of every ${pcaStride === 1 ? '' : `${ordinal(pcaStride)} `}test image ` +
        `(${Math.ceil(figures.pcaScatter.x.length / pcaStride).toLocaleString('en-US')} points), coloured by digit. ` +
        'As in the notebook, the digits overlap: two linear components do not separate them.',
    ),
    figure(
      lineChart({
        id: 'pca-mse',
        title: 'PCA reconstruction MSE by number of components k',
        description: `From ${formatNumber(pca.reconstructionMse[0], 4)} at k = 1 to ${formatNumber(pca.reconstructionMse[9], 4)} at k = 10.`,
        xLabel: 'components k',
        yLabel: 'reconstruction MSE per pixel',
        series: [{ name: 'PCA', points: mseK, color: colors[0] }],
        references: [{ axis: 'y', value: NOTEBOOK.pcaMseK10, label: 'notebook at k = 10: 0.0339' }],
        integerX: true,
      }),
      'Figure 3. Mean squared reconstruction error per pixel of the test images from the first k components, k = 1..10.',
    ),
    '</section>',
  );

  // 2. Autoencoder.
  const [u1, u2] = ae.scatterUnits;
  out.push(
    `<section><h2>2. Autoencoder (784-392-${ae.latent}-392-784)</h2>`,
    trainingFacts(ae, 'Test MSE per pixel'),
    `<p>Bottleneck units that stay 0 for every test image (dead relu units): ${ae.deadUnits} of ${ae.latent}.</p>`,
    targetsTable(bySection('ae'), 'Autoencoder figures', report.setup.preset),
    figure(
      lineChart({
        id: 'ae-loss',
        title: 'Autoencoder training and validation loss per epoch',
        xLabel: 'epoch',
        yLabel: 'MSE per pixel',
        series: historySeries(ae.history, colors),
        references: [
          { axis: 'y', value: NOTEBOOK.aeTestMse, label: 'notebook test MSE 0.0203' },
          ...(ae.stoppedEarly || ae.bestEpoch !== ae.epochs
            ? [{ axis: 'x' as const, value: ae.bestEpoch, label: 'weights kept' }]
            : []),
        ],
        integerX: true,
      }),
      `Figure 4. Loss (MSE) per epoch on the training images and on the validation images; ` +
        `this run's test MSE is ${formatNumber(ae.testScore, 4)}.`,
    ),
    imageFigure(
      figures.aeReconstructions,
      'Ten test digits in the top row and their autoencoder reconstructions below.',
      'Figure 5. The first ten test digits (top) and their reconstructions by the autoencoder (bottom).',
      pngSize(figures.aeReconstructions).width,
    ),
    figure(
      scatterChart({
        id: 'ae-latent',
        title: `Test digits on autoencoder bottleneck units ${u1 + 1} and ${u2 + 1}, coloured by label`,
        xLabel: `bottleneck unit ${u1 + 1}`,
        yLabel: `bottleneck unit ${u2 + 1}`,
        points: figures.aeLatent,
        colors,
        maxPoints,
      }),
      `Figure 6. Bottleneck units ${u1 + 1} and ${u2 + 1} of the test images` +
        (u1 === 0 && u2 === 2
          ? ' (the notebook plots units 1 and 3).'
          : ' (the notebook plots units 1 and 3; one of those is dead in this run, so the first two live units are shown).') +
        ' Relu units are non-negative; the code is not ordered and its units may be correlated.',
    ),
    '</section>',
  );

  // 3. AE vs PCA.
  const ks = compare.rows.map((r) => r.k);
  out.push(
    '<section><h2>3. Autoencoder vs PCA by latent size</h2>',
    `<p>One autoencoder per latent size k (preset <code>${esc(compare.preset)}</code>, ${esc(compare.bottleneck)} bottleneck, ` +
      `seed ${compare.seed}), scored on ${compare.testCount.toLocaleString('en-US')} test images, against PCA with k components. ` +
      'The notebook meant to do this for k = 5..10, but its loop kept the bottleneck at 10; here the bottleneck really is k.' +
      (ks.includes(10) ? ' The k = 10 autoencoder is the one of section 2.' : '') +
      '</p>',
    figure(
      lineChart({
        id: 'compare-mse',
        title: 'Test reconstruction MSE of PCA and the autoencoder by latent size k',
        xLabel: 'latent size k',
        yLabel: 'reconstruction MSE per pixel',
        series: [
          {
            name: 'PCA',
            points: compare.rows.map((r) => [r.k, r.pcaMse] as const),
            color: colors[0],
          },
          {
            name: 'autoencoder',
            points: compare.rows.map((r) => [r.k, r.aeMse] as const),
            color: colors[1],
          },
        ],
        integerX: true,
      }),
      'Figure 7. Mean squared reconstruction error per pixel on the test images, PCA with k components against an autoencoder with a k-unit bottleneck.',
    ),
    compareTable(compare.rows),
    targetsTable(bySection('compare'), 'Comparison figures', report.setup.preset),
    '</section>',
  );

  // 4. VAE.
  out.push(
    `<section><h2>4. Variational autoencoder (784-256-(${vae.latent}, ${vae.latent})-256-784)</h2>`,
    trainingFacts(vae, 'Test loss (784·MSE + KL)'),
    targetsTable(bySection('vae'), 'VAE figures', report.setup.preset),
    figure(
      lineChart({
        id: 'vae-loss',
        title: 'VAE training and validation loss per epoch',
        xLabel: 'epoch',
        yLabel: 'loss (784·MSE + KL)',
        series: historySeries(vae.history, colors),
        references: [{ axis: 'y', value: NOTEBOOK.vaeTestLoss, label: 'notebook test loss 15.12' }],
        integerX: true,
      }),
      `Figure 8. VAE loss per epoch on the training and validation images; this run's test loss is ${formatNumber(vae.testScore, 4)}.`,
    ),
    imageFigure(
      figures.vaeReconstructions,
      'Ten test digits in the top row and their VAE reconstructions below.',
      'Figure 9. The first ten test digits (top) and the VAE’s reconstructions from their posterior means (bottom).',
      pngSize(figures.vaeReconstructions).width,
    ),
    imageFigure(
      figures.vaeSamples,
      `A grid of ${vae.sampleCount} new digits generated by the VAE.`,
      `Figure 10. ${vae.sampleCount} new digits: latent vectors drawn from the prior N(0, I) (seed ${vae.sampleSeed}) and decoded.`,
      pngSize(figures.vaeSamples).width,
    ),
    '</section>',
  );

  // 5. Plane and curve.
  out.push(
    '<section><h2>5. Plane and curve: when PCA is enough</h2>',
    '<p>The reference text’s argument on 3-D points: near a plane (linear structure) PCA ' +
      'reconstructs as well as an autoencoder, far more cheaply; near a curve (non-linear) the ' +
      'autoencoder wins. Both methods keep the same number of dimensions; a small autoencoder ' +
      '(3-32-32-latent-32-32-3, tanh) trains on the points, PCA runs on the same kernels as the digits.</p>',
    targetsTable(bySection('planeCurve'), 'Plane and curve figures', report.setup.preset),
  );
  report.planeCurve.forEach((row, i) => {
    const f = figures.planeCurve[i];
    const name = row.shape === 'plane' ? 'plane' : 'curve';
    const n = row.points;
    // One oblique view of the three clouds: turned 35° about z, tilted 25° toward the reader.
    const view = (xyz: Float32Array, label: number, x: number[], y: number[], labels: number[]) => {
      const [ca, sa, cb, sb] = [Math.cos(0.61), Math.sin(0.61), Math.cos(0.44), Math.sin(0.44)];
      for (let j = 0; j < n; j++) {
        const [px, py, pz] = [xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]];
        x.push(px * ca - py * sa);
        y.push(pz * cb + (px * sa + py * ca) * sb);
        labels.push(label);
      }
    };
    const x: number[] = [];
    const y: number[] = [];
    const labels: number[] = [];
    view(f.points, 0, x, y, labels);
    view(f.pca, 1, x, y, labels);
    view(f.ae, 2, x, y, labels);
    out.push(
      figure(
        scatterChart({
          id: `plane-curve-${name}`,
          title: `The ${name}: ${n} points, PCA's and the autoencoder's reconstructions (latent ${row.latent})`,
          xLabel: 'across (oblique view)',
          yLabel: 'up (oblique view)',
          points: { x, y, labels },
          colors: ['#9aa0a6', '#d95f02', '#1b9e77'],
          names: [
            'points',
            `PCA, ${row.latent} component${row.latent === 1 ? '' : 's'}`,
            'autoencoder',
          ],
          maxPoints: 3 * n,
          radius: 1.5,
        }),
        `Figure ${11 + i}. On the ${name} the autoencoder's error is ${formatNumber(row.aeMse, 4)} against ` +
          `PCA's ${formatNumber(row.pcaMse, 4)} (mean squared error per coordinate, noise σ = ${row.noise}); ` +
          `PCA took ${formatNumber(row.pcaSeconds * 1000, 3)} ms, the autoencoder ${formatNumber(row.aeSeconds, 3)} s (${row.aeEpochs} epochs).`,
      ),
    );
  });
  out.push('</section>');

  out.push(
    '<footer>Generated by <code>ae-demo reproduce</code>. Reference: “Autoencoders vs PCA” notebook on MNIST (R + Keras). ' +
      `Schema version ${report.schemaVersion}.</footer>`,
    '</main></body></html>\n',
  );
  return out.join('\n');
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
