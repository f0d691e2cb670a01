/**
 * The cross-engine checks: what a reader does on the demo site, asserted the
 * same way in Chromium, Firefox and WebKit through tests/engines/drivers.ts.
 * Every wait polls for a state that must come (an event log, a final text),
 * never for a moment that a fast or a slow run could skip.
 */
import assert from 'node:assert/strict';
import { inPage, type FigureReading, type LongTask } from '../../src/testing/index.ts';
import type { Point, Session } from './drivers.ts';

/** One ae-* event as tests/engines/probe.js records it. */
export interface LoggedEvent {
  type: string;
  t: number;
  element: number;
  epoch?: number;
  epochs?: number;
  fraction?: number;
  paused?: boolean;
  samplesPerSecond?: number;
  code?: string;
  message?: string;
}

/** What the probe has recorded on the current page. */
export interface ProbeState {
  log: LoggedEvent[];
  errors: string[];
  violations: string[];
  workers: number;
  language: string;
  isolated: boolean;
  sharedMemory: boolean;
  cores: number;
}

/** The figures one page run measured. */
export interface Figures {
  /** Seconds from navigation to the PCA sentence (the `ae-ready` event). */
  pcaSeconds?: number;
  /** The quick training's samples/s (`ae-trained`). */
  samplesPerSecond?: number;
  language?: string;
  /** `crossOriginIsolated`, and whether SharedArrayBuffer exists with it. */
  isolated?: boolean;
  sharedMemory?: boolean;
  /** Seconds the plane-and-curve view's two autoencoders trained, each (`data-plane-ae-ms`, `data-curve-ae-ms`). */
  planeAeSeconds?: number;
  curveAeSeconds?: number;
}

/** One named check and what it may record. */
export interface Check {
  name: string;
  run(s: Session, figures: Figures): Promise<void>;
}

const POLL_MS = 100;
/** The quick training of the checks: 12 epochs on 1,000 digits, a few seconds. */
const EPOCHS = 12;
const TRAIN_SIZE = 1000;

/** Polls `read` until `ok` holds of its value; fails with the last value after `timeoutMs`. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const started = Date.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const state = (s: Session) => s.call<ProbeState>('state');
const text = (s: Session, selector: string, element = 0) =>
  s.call<string | null>('text', selector, element);
const attr = (s: Session, selector: string, name: string, element = 0) =>
  s.call<string | null>('attr', selector, name, element);

async function waitText(s: Session, selector: string, ok: RegExp | string, element = 0) {
  const match = (v: string | null) =>
    v !== null && (typeof ok === 'string' ? v === ok : ok.test(v));
  return (await until(
    `${selector} to read ${String(ok)}`,
    () => text(s, selector, element),
    match,
  ))!;
}

async function waitAttr(s: Session, selector: string, name: string, value: string, element = 0) {
  await until(
    `${selector} [${name}=${value}]`,
    () => attr(s, selector, name, element),
    (v) => v === value,
  );
}

async function clickButton(s: Session, label: string, element = 0) {
  await until(`a "${label}" button`, () => s.call<boolean>('clickButton', label, element), Boolean);
}

/** The three PCA figures with the notebook's numbers. */
export async function expectPca(s: Session, element = 0): Promise<void> {
  await waitText(
    s,
    '[data-summary=variance]',
    '84 components explain 90.07 % of the variance.',
    element,
  );
  for (const figure of ['variance', 'scatter', 'mse']) {
    await until(
      `a chart in the ${figure} figure`,
      () => s.call<number>('count', `[data-figure=${figure}] canvas`, element),
      (n) => n > 0,
    );
  }
  assert.match((await text(s, '[data-summary=mse]', element))!, /0\.0339 with 10/);
}

/** The shipped autoencoder's reconstructions (and, if shown, the VAE's samples), drawn. */
export async function expectShippedModels(s: Session, element = 0, samples = true): Promise<void> {
  const ae = '[data-notebook] canvas[data-digits=ae]';
  await waitAttr(s, ae, 'data-drawn', 'true', element);
  assert.equal(await attr(s, ae, 'data-source', element), 'pretrained');
  assert.ok((await s.call<number>('greyLevels', ae, element)) > 20, 'the AE digits are not blank');
  if (!samples) return;
  const vae = '[part=models] canvas[data-digits=samples]';
  await waitAttr(s, vae, 'data-drawn', 'true', element);
  assert.ok(
    (await s.call<number>('greyLevels', vae, element)) > 20,
    'the VAE samples are not blank',
  );
}

const centre = (
  r: { x: number; y: number; width: number; height: number },
  fx = 0.5,
  fy = 0.5,
) => ({
  x: r.x + fx * r.width,
  y: r.y + fy * r.height,
});

type Rect = { x: number; y: number; width: number; height: number };
const rect = async (s: Session, selector: string) =>
  (await until(
    `${selector} on the page`,
    () => s.call<Rect | null>('rect', selector),
    (r) => !!r && r.width > 0,
  ))!;

/**
 * The element's box once the layout around it has settled: two measures a quarter second apart
 * agree. Figures above it that render as they near the viewport (content-visibility: auto) move
 * it; a stroke aimed at the box measured before they did misses the pad (in Firefox, 2 of 2
 * runs with the walk and the interpolation above the author's pad).
 */
const steadyRect = async (s: Session, selector: string) => {
  let last = await rect(s, selector);
  const same = (a: Rect, b: Rect) =>
    a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
  return (await until(
    `${selector} to stay in place`,
    async () => {
      await new Promise((r) => setTimeout(r, 250));
      const now = await rect(s, selector);
      const settled = same(now, last);
      last = now;
      return settled ? now : null;
    },
    (r) => r !== null,
  ))!;
};

/**
 * Calls one of ae-demo/testing's page-side halves (`inPage`) in the page, the way a team's own
 * WebDriver or puppeteer tests would: as source, on the page's `element`-th `<ae-demo>`. Node's
 * TypeScript loader names functions through a `__name` helper the page has not: it is given one.
 */
function onDemo<T>(
  s: Session,
  fn: (host: Element, ...args: never[]) => T,
  element: number,
  ...args: unknown[]
) {
  return inWindow<T>(s, fn, `document.querySelectorAll('ae-demo')[${element}]`, ...args);
}
/** Calls `fn` in the page on the value of `first` (page source, if any) and the JSON `args`. */
function inWindow<T>(s: Session, fn: (...args: never[]) => T, first?: string, ...args: unknown[]) {
  const call = `(${fn.toString()})(${first ? `${first}, ` : ''}...${JSON.stringify(args)})`;
  return s.evaluate<T>(`(() => { const __name = (f) => f; return ${call}; })()`);
}

/** The checks of the demo page, in the order a reader meets them. */
export const pageChecks: Check[] = [
  {
    name: 'the PCA figures and their sentence',
    async run(s, figures) {
      await expectPca(s);
      const ready = (await state(s)).log.find((e) => e.type === 'ae-ready');
      assert.ok(ready, 'ae-ready fired');
      figures.pcaSeconds = ready.t / 1000;
    },
  },
  {
    name: 'the shipped AE and VAE digits',
    run: (s) => expectShippedModels(s),
  },
  {
    name: "ae-demo/testing's page-side readers: figures, and long tasks where the engine has the API",
    async run(s) {
      const variance = (await until(
        'readFigure(variance) with its sentence and chart',
        () => onDemo<FigureReading | null>(s, inPage.readFigure, 0, 'variance'),
        (r) => !!r && /components explain/.test(r.summary) && r.canvases > 0,
      ))!;
      assert.equal(variance.summary, '84 components explain 90.07 % of the variance.');
      assert.deepEqual(variance.numbers, [84, 90.07]);
      assert.equal(variance.data.figure, 'variance');
      const samples = (await until(
        'readFigure(samples) drawn',
        () => onDemo<FigureReading | null>(s, inPage.readFigure, 0, 'samples'),
        (r) => !!r && r.canvases > 0 && r.drawn === r.canvases,
      ))!;
      assert.equal(samples.figure, 'samples');
      assert.equal(await onDemo(s, inPage.readFigure, 0, 'no-such-figure'), null);
      // Recorded from now: null exactly where the engine has no Long Tasks API (the helper's promise).
      await inWindow(s, inPage.recordLongTasks, undefined, 50);
      const tasks = await inWindow<LongTask[] | null>(s, inPage.readLongTasks);
      const api = await s.evaluate<boolean>(
        "(PerformanceObserver.supportedEntryTypes ?? []).includes('longtask')",
      );
      if (s.engine === 'chromium') assert.ok(api, 'Chromium has the Long Tasks API');
      if (api) assert.ok(Array.isArray(tasks), `an array of tasks, got ${JSON.stringify(tasks)}`);
      else assert.equal(tasks, null);
    },
  },
  {
    name: 'the backend line says whether threads are on, and why not',
    async run(s, figures) {
      const { isolated, sharedMemory, cores } = await state(s);
      Object.assign(figures, { isolated, sharedMemory });
      const line = await waitText(s, '[data-backend]', /^TF\.js wasm, SIMD on, threads (on|off)/);
      // The rule of src/core/models/threads.ts, from what this page reports.
      const off = !isolated
        ? 'this page is not cross-origin isolated (no COOP/COEP headers)'
        : cores < 4
          ? `this device reports ${cores} logical ${cores === 1 ? 'core' : 'cores'}, fewer than 4`
          : !sharedMemory
            ? "this browser's WebAssembly has no threads"
            : undefined;
      assert.equal(line, `TF.js wasm, SIMD on, threads ${off ? 'off' : 'on'} (in a worker).`);
      assert.equal(await text(s, '[data-threads-off]'), off ? `Threads off: ${off}.` : null);
    },
  },
  {
    name: 'hovering and the keyboard on the PC1–PC2 scatter',
    async run(s) {
      const plot = await rect(s, '[data-figure=scatter] .u-over');
      // Sweep the pointer across the middle until it is over a point (10,000 of them).
      let shown = false;
      for (let step = 0; step <= 24 && !shown; step++) {
        await s.hover(centre(plot, (step + 4) / 32, 0.5));
        shown = await s.call<boolean>('visible', '[data-tooltip]');
      }
      await waitText(s, '[data-tooltip]', /digit [0-9] · #\d+/);
      await until(
        'the hovered digit drawn',
        () => attr(s, '[data-tooltip] canvas', 'data-drawn'),
        (v) => /\d+/.test(v ?? ''),
      );
      await s.hover({ x: 2, y: 2 });
      // The keyboard: focus the plot, step to a point, leave with Escape.
      assert.ok(await s.call<boolean>('focus', '[data-scatter=pca]'), 'the scatter takes focus');
      await s.press('ArrowRight');
      await waitText(s, '[data-tooltip]', /digit [0-9] · #\d+/);
      await until(
        'the keyed digit drawn',
        () => attr(s, '[data-tooltip] canvas', 'data-drawn'),
        (v) => /\d+/.test(v ?? ''),
      );
      await s.press('Escape');
      await until(
        'the tooltip gone',
        () => s.call<number>('count', '[data-tooltip]'),
        (n) => n === 0,
      );
    },
  },
  {
    name: 'the latent walk',
    async run(s) {
      const grid = '[data-figure=walk] canvas[data-digits=walk-grid]';
      await rect(s, '[data-figure=walk]');
      await waitAttr(s, grid, 'data-drawn', 'true');
      assert.ok((await s.call<number>('greyLevels', grid)) > 20, 'the walk grid is not blank');
      const slider = '[data-figure=walk] [role=slider]';
      await waitAttr(s, slider, 'aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
      assert.ok(await s.call<boolean>('focus', slider), 'the walk point takes focus');
      await s.press('ArrowRight', 'ArrowRight', 'ArrowUp');
      const moved = 'z1 = 0.50 across, z2 = 0.25 up';
      await waitAttr(s, slider, 'aria-valuetext', moved);
      // The live decode catches up with the last position.
      await waitAttr(s, '[data-figure=walk] canvas[data-digits=walk-point]', 'data-point', moved);
    },
  },
  {
    name: 'url-state: the walk point goes to the URL fragment and comes back from it; Copy link',
    async run(s) {
      await s.call('setAttribute', 'url-state', '');
      await until(
        'the Copy link button',
        () => s.call<number>('count', '[data-action=copy-link]'),
        (n) => n === 1,
      );
      // The walk check left the point at (0.50, 0.25): one step left, written to the fragment.
      const slider = '[data-figure=walk] [role=slider]';
      assert.ok(await s.call<boolean>('focus', slider), 'the walk point takes focus');
      await s.press('ArrowLeft');
      await waitAttr(s, slider, 'aria-valuetext', 'z1 = 0.25 across, z2 = 0.25 up');
      await until(
        'the point in the fragment',
        () => s.call<string>('hash'),
        (hash) => hash.includes('&ae.walk-point=0.25,0.25&'),
      );
      // A fragment the reader navigates to moves the point.
      await s.call('setHash', '#ae.walk-point=-1,1.5');
      const linked = 'z1 = −1.00 across, z2 = 1.50 up';
      await waitAttr(s, slider, 'aria-valuetext', linked);
      await waitAttr(s, '[data-figure=walk] canvas[data-digits=walk-point]', 'data-point', linked);
      // A script's click has no user activation: the clipboard may refuse, then the link is shown.
      await clickButton(s, 'Copy link');
      const said = await waitText(s, '[data-link-status]', /^(Link copied\.|Copy this link:)$/);
      if (said !== 'Link copied.') {
        const link = await s.call<string | null>('value', 'input[data-link]');
        assert.match(link ?? '', /#ae\.views=all&.*&ae\.walk-point=-1,1\.5&/);
      }
      await s.call('removeAttribute', 'url-state');
      await until(
        'the Copy link button gone',
        () => s.call<number>('count', '[data-action=copy-link]'),
        (n) => n === 0,
      );
    },
  },
  {
    name: "the VAE samples' nearest training digits, which are not copies",
    async run(s) {
      await expectShippedModels(s);
      await clickButton(s, 'Show the nearest training digits');
      const nearest = '[data-figure=samples] canvas[data-digits=nearest]';
      await waitAttr(s, nearest, 'data-drawn', 'true');
      assert.ok((await s.call<number>('greyLevels', nearest)) > 20, 'the neighbours are not blank');
      await waitText(s, '[data-summary=nearest]', /They are 0\.\d{3} to 0\.\d{3} apart/);
      const [low] = (await text(s, '[data-summary=nearest]'))!
        .match(/They are (\d\.\d{3}) to/)!
        .slice(1)
        .map(Number);
      assert.ok(low > 0.01, `the nearest training digit is ${low} away: not a copy`);
    },
  },
  {
    name: 'the draw pad, with a real pointer stroke',
    async run(s) {
      const pad = await steadyRect(s, '[data-figure=draw] canvas[data-pad]');
      const at = (fx: number, fy: number): Point => centre(pad, fx, fy);
      // A "7": a bar across the top, then down to the bottom left.
      const path: Point[] = [];
      for (let i = 0; i <= 10; i++) path.push(at(0.25 + (0.5 * i) / 10, 0.2));
      for (let i = 1; i <= 12; i++) path.push(at(0.75 - (0.35 * i) / 12, 0.2 + (0.65 * i) / 12));
      await s.stroke(path);
      await until(
        'the digit marked on PC1–PC2',
        () => s.call<boolean>('visible', '[data-chart=draw-pca] [data-mark]'),
        Boolean,
      );
      for (const name of ['input', 'pca', 'ae', 'vae']) {
        const canvas = `[data-figure=draw] canvas[data-digits=draw-${name}]`;
        await waitAttr(s, canvas, 'data-drawn', 'true');
        assert.ok((await s.call<number>('greyLevels', canvas)) > 5, `${name} is not blank`);
      }
      await waitText(
        s,
        '[data-summary=draw]',
        /Rebuilt with MSE 0\.\d{4} by PCA \(10 components\), 0\.\d{4} by the autoencoder, 0\.\d{4} by the VAE\./,
      );
    },
  },
  {
    // Before training: the view trains its two autoencoders once it shows, and would share the worker.
    name: 'the plane and the curve: the autoencoder ahead on the curve, level on the plane; a drag and arrow keys turn it',
    async run(s, figures) {
      const figure = '[data-figure=plane-curve]';
      await rect(s, figure);
      const data = (name: string) => attr(s, figure, `data-${name}`);
      await until(
        'both comparisons',
        async () => [await data('plane-ae-mse'), await data('curve-ae-mse')],
        (v) => v.every((x) => x !== null),
        180_000,
      );
      const n = async (name: string) => Number(await data(name));
      const curve = { ae: await n('curve-ae-mse'), pca: await n('curve-pca-mse') };
      const plane = { ae: await n('plane-ae-mse'), pca: await n('plane-pca-mse') };
      assert.ok(curve.ae < curve.pca, `curve: AE ${curve.ae} against PCA ${curve.pca}`);
      assert.ok(plane.ae <= 1.1 * plane.pca, `plane: AE ${plane.ae} against PCA ${plane.pca}`);
      await waitText(
        s,
        '[data-summary=plane-curve]',
        /^On the plane the autoencoder's error is \S+ against PCA's \S+ \(latent size 2; .*\)\. On the curve the autoencoder's error is \S+ against PCA's \S+ \(latent size 1; .*\)\.$/,
      );
      figures.planeAeSeconds = (await n('plane-ae-ms')) / 1000;
      figures.curveAeSeconds = (await n('curve-ae-ms')) / 1000;

      const canvas = `${figure} canvas[data-scatter3d=curve]`;
      await waitAttr(s, canvas, 'data-drawn', 'true');
      assert.ok((await s.call<number>('greyLevels', canvas)) > 2, 'the scatter is not blank');
      assert.equal(await attr(s, canvas, 'data-yaw'), '30');
      // A drag of 80 px to the left, in whole pixels so every driver moves the same, turns it 40° back…
      const box = await rect(s, canvas);
      const x0 = Math.round(box.x + box.width * 0.7);
      const y0 = Math.round(box.y + box.height / 2);
      const path: Point[] = Array.from({ length: 9 }, (_, i) => ({ x: x0 - 10 * i, y: y0 }));
      await s.stroke(path);
      await waitAttr(s, canvas, 'data-yaw', '-10');
      assert.equal(await attr(s, canvas, 'data-pitch'), '20');
      // …and the arrow keys turn and tilt it, once it has focus.
      assert.ok(await s.call<boolean>('focus', canvas), 'the scatter takes focus');
      await s.press('ArrowRight', 'ArrowUp');
      await waitAttr(s, canvas, 'data-yaw', '0');
      await waitAttr(s, canvas, 'data-pitch', '30');
    },
  },
  {
    name: 'denoising: the shipped denoiser below the noisy input and the plain AE, then a higher σ from the keyboard',
    async run(s) {
      const figure = '[data-figure=denoise]';
      const mse = async (name: string) => Number(await attr(s, figure, `data-mse-${name}`));
      await rect(s, figure);
      await waitAttr(s, figure, 'data-noise', 'gaussian:0.3');
      for (const name of ['clean', 'noisy', 'dae', 'ae', 'pca']) {
        const canvas = `${figure} canvas[data-digits=denoise-${name}]`;
        await waitAttr(s, canvas, 'data-drawn', 'true');
        assert.ok((await s.call<number>('greyLevels', canvas)) > 5, `${name} is not blank`);
      }
      const [noisy, dae, ae] = [await mse('noisy'), await mse('dae'), await mse('ae')];
      assert.ok(dae < noisy, `denoiser ${dae}, noisy input ${noisy}`);
      assert.ok(dae < ae, `denoiser ${dae}, plain AE ${ae}`);
      assert.equal(await attr(s, figure, 'data-count'), '10000');
      await waitText(
        s,
        '[data-summary=denoise]',
        `With Gaussian noise σ = 0.30 on the 10,000 test digits, the noisy digits' error is ${noisy.toFixed(4)}; ` +
          `the shipped denoising autoencoder (trained with σ = 0.30) brings it to ${dae.toFixed(4)}, ` +
          `the shipped autoencoder to ${ae.toFixed(4)} and PCA (10 components) to ${(await mse('pca')).toFixed(4)} ` +
          '(mean squared error per pixel against the clean digits; lower is better).',
      );
      const slider = `${figure} input[type=range]`;
      assert.ok(await s.call<boolean>('focus', slider), 'the noise slider takes focus');
      await s.press('ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight');
      await waitAttr(s, figure, 'data-noise', 'gaussian:0.5');
      const [noisy5, dae5, ae5] = [await mse('noisy'), await mse('dae'), await mse('ae')];
      assert.ok(noisy5 > noisy, `σ = 0.5: noisy ${noisy5} against σ = 0.3's ${noisy}`);
      assert.ok(
        dae5 < noisy5 && dae5 < ae5,
        `σ = 0.5: denoiser ${dae5}, noisy ${noisy5}, AE ${ae5}`,
      );
    },
  },
  {
    name: 'training: one ae-train-epoch per epoch in order, pause and resume, one point per epoch',
    async run(s, figures) {
      // Enough epochs that the pause and the cancel land well before the end on any machine.
      await s.call('setAttribute', 'train-size', String(TRAIN_SIZE));
      await s.call('setAttribute', 'epochs', String(EPOCHS));
      await clickButton(s, 'Train an autoencoder here');
      const epochsOf = async () => (await state(s)).log.filter((e) => e.type === 'ae-train-epoch');
      await until('the first epoch', epochsOf, (e) => e.length >= 1);
      await clickButton(s, 'Pause');
      await waitText(s, '[part=train-status]', /^Paused after/);
      // Paused: once the worker takes the pause (at its next batch), nothing moves.
      // While training, batch progress comes several times a second; the last
      // progress and the epoch log must stand still for 2 s, and the run not end.
      const position = async () => {
        const { log } = await state(s);
        const last = log.filter((e) => e.type === 'ae-train-progress').at(-1);
        const epochs = log.filter((e) => e.type === 'ae-train-epoch').length;
        return `${epochs}|${last?.epoch}|${last?.fraction}`;
      };
      let quietSince = Date.now();
      let seen = await position();
      await until(
        'the training to stand still while paused',
        async () => {
          const now = await position();
          if (now !== seen) [seen, quietSince] = [now, Date.now()];
          return Date.now() - quietSince;
        },
        (quiet) => quiet >= 2000,
        30_000,
      );
      assert.equal(
        (await state(s)).log.filter((e) => e.type === 'ae-trained').length,
        0,
        'no ae-trained while paused',
      );
      const pausedAt = (await epochsOf()).length;
      await clickButton(s, 'Resume');
      const trained = await until(
        'ae-trained',
        async () => (await state(s)).log.filter((e) => e.type === 'ae-trained'),
        (t) => t.length > 0,
        180_000,
      );
      const epochs = await epochsOf();
      const total = epochs[0].epochs!;
      assert.equal(total, EPOCHS);
      assert.ok(pausedAt < total, 'paused before the end');
      assert.deepEqual(
        epochs.map((e) => e.epoch),
        Array.from({ length: total }, (_, i) => i + 1),
        'every epoch once, in order',
      );
      assert.equal(trained.length, 1, 'one ae-trained');
      assert.equal(trained[0].epochs, total);
      // The loss curve holds exactly one point per epoch.
      await waitAttr(s, '[data-figure=loss] .chart', 'data-points', String(total));
      assert.equal(await attr(s, '[data-figure=loss]', 'data-epochs'), String(total));
      await waitText(
        s,
        '[part=train-status]',
        new RegExp(`Trained ${EPOCHS} epochs on ${TRAIN_SIZE.toLocaleString('en-US')} digits`),
      );
      figures.samplesPerSecond = trained[0].samplesPerSecond;
    },
  },
  {
    name: 'cancel a training',
    async run(s) {
      const before = (await state(s)).log.length;
      const since = async () => (await state(s)).log.slice(before);
      await clickButton(s, 'Train an autoencoder here');
      await until('an epoch of the second run', since, (l) =>
        l.some((e) => e.type === 'ae-train-epoch'),
      );
      await clickButton(s, 'Cancel');
      await waitText(s, '[part=train-status]', /^Training cancelled\./);
      const log = await since();
      assert.equal(
        log.filter((e) => e.type === 'ae-trained').length,
        0,
        'no ae-trained after cancel',
      );
      const epochs = log.filter((e) => e.type === 'ae-train-epoch').map((e) => e.epoch);
      assert.deepEqual(
        epochs,
        Array.from({ length: epochs.length }, (_, i) => i + 1),
      );
      // The first run's model still shows.
      assert.equal(
        await attr(s, '[data-notebook] canvas[data-digits=ae]', 'data-source'),
        'trained',
      );
    },
  },
];

/** The page with two elements, under the strict CSP. */
export const twoElementChecks: Check[] = [
  {
    name: 'two elements on one page, under the strict CSP: one worker, both drawn',
    async run(s) {
      for (const element of [0, 1]) {
        await expectPca(s, element);
        await expectShippedModels(s, element, false);
      }
      const { workers, violations } = await state(s);
      assert.equal(workers, 1, 'the two elements share one worker');
      assert.deepEqual(violations, [], 'no CSP violation');
    },
  },
];

/** Fails if the page or its worker reported an error, or an element fired ae-error. */
export async function expectNoErrors(s: Session): Promise<void> {
  const { errors, log } = await state(s);
  assert.deepEqual(errors, [], 'no error in the page or its worker');
  assert.deepEqual(
    log.filter((e) => e.type === 'ae-error').map((e) => e.message),
    [],
    'no ae-error',
  );
  assert.deepEqual(s.consoleErrors, [], 'no console error');
}

/** The language the page sees. */
export const pageLanguage = async (s: Session): Promise<string> => (await state(s)).language;

/**
 * The checks of author.html: an element on the author's own 16 × 12 images
 * without labels (a gzip idx `data-src`), under the strict CSP. `pcaSentence`
 * is the variance figure's sentence as the core's PCA computes it in Node.
 */
/** The canvas at `selector` shows the author's 16 × 12 images and is `width × height` pixels. */
async function expectAuthorCanvas(s: Session, selector: string, width: number, height: number) {
  assert.equal(await attr(s, selector, 'data-shape'), '16x12');
  assert.equal(await attr(s, selector, 'width'), String(width));
  assert.equal(await attr(s, selector, 'height'), String(height));
}

export function authorChecks(pcaSentence: string): Check[] {
  const reconstructions = '[data-figure=reconstructions]';
  return [
    {
      name: "the author's 16 × 12 images: the heading, the PCA sentence, 'train one here'",
      async run(s) {
        await waitText(s, '[data-heading]', 'PCA on my 16 × 12 digits');
        await waitText(s, '[data-summary=variance]', pcaSentence);
        await waitText(s, '[data-summary=scatter]', /^All 3,000 images on PC1 and PC2.*no labels/);
        await waitText(
          s,
          `${reconstructions} [data-needs-model]`,
          /these images are 16 × 12: this figure needs an autoencoder of that shape\. Train one here/,
        );
        await waitAttr(s, `${reconstructions} canvas[data-digits=originals]`, 'data-drawn', 'true');
        assert.equal(await s.call<number>('count', `${reconstructions} canvas[data-digits=ae]`), 0);
      },
    },
    {
      name: 'a quick autoencoder trained on them rebuilds them at 16 × 12',
      async run(s) {
        await clickButton(s, 'Train an autoencoder here');
        const trained = await until(
          'ae-trained',
          async () => (await state(s)).log.filter((e) => e.type === 'ae-trained'),
          (t) => t.length > 0,
          180_000,
        );
        assert.equal(trained.length, 1, 'one ae-trained');
        const ae = `${reconstructions} canvas[data-digits=ae]`;
        await waitAttr(s, ae, 'data-drawn', 'true');
        assert.equal(await attr(s, ae, 'data-source'), 'trained');
        // Ten 16 × 12 images, 2 pixels apart.
        assert.equal(await attr(s, ae, 'width'), String(10 * 12 + 9 * 2));
        assert.equal(await attr(s, ae, 'height'), '16');
        assert.ok(
          (await s.call<number>('greyLevels', ae)) > 20,
          'the rebuilt digits are not blank',
        );
        await waitText(
          s,
          `${reconstructions} [data-summary=reconstructions]`,
          /over the 600 test images held out from my 16 × 12 digits .*your autoencoder \(5 epochs, trained here\) 0\.0\d{3}/,
        );
      },
    },
    {
      name: 'the walk and the interpolation on them, by that autoencoder: 16 × 12 images, the point moved by a key',
      async run(s) {
        const walk = '[data-figure=walk]';
        const grid = `${walk} canvas[data-digits=walk-grid]`;
        await rect(s, walk);
        await waitAttr(s, grid, 'data-drawn', 'true');
        // Nine by nine 16 × 12 images, 2 pixels apart.
        await expectAuthorCanvas(s, grid, 9 * 12 + 8 * 2, 9 * 16 + 8 * 2);
        assert.ok((await s.call<number>('greyLevels', grid)) > 20, 'the walk grid is not blank');
        await waitText(
          s,
          `${walk} [data-summary=walk]`,
          /^9 × 9 images of 16 × 12 pixels decoded by the autoencoder from a grid of latent points: z1 runs across from .* The other 8 dimensions stay at the test images' mean code\. Drag the point/,
        );
        const slider = `${walk} [role=slider]`;
        const point = `${walk} canvas[data-digits=walk-point]`;
        const start = (await attr(s, slider, 'aria-valuetext'))!;
        await waitAttr(s, point, 'data-point', start);
        assert.ok(await s.call<boolean>('focus', slider), 'the walk point takes focus');
        await s.press('ArrowRight');
        const moved = (await until(
          'the walk point to move',
          () => attr(s, slider, 'aria-valuetext'),
          (v) => v !== null && v !== start,
        ))!;
        await waitAttr(s, point, 'data-point', moved);
        await expectAuthorCanvas(s, point, 12, 16);

        const interpolate = '[data-figure=interpolate]';
        const row = `${interpolate} canvas[data-digits=interp-ae]`;
        await rect(s, interpolate);
        await waitAttr(s, row, 'data-drawn', 'true');
        await expectAuthorCanvas(s, row, 10 * 12 + 9 * 2, 16);
        assert.ok((await s.call<number>('greyLevels', row)) > 20, 'the decoded row is not blank');
        await waitText(
          s,
          `${interpolate} [data-summary=interpolate]`,
          'From test image #0 to test image #1 in 10 even steps (images of 16 × 12 pixels): the plain ' +
            'crossfade of their pixels, then the decodings of points on the straight line between their ' +
            'codes in your autoencoder (5 epochs, trained here). The crossfade shows both images at once ' +
            'half-way; a decoder draws one shape.',
        );
        await waitText(
          s,
          `${interpolate} [data-missing=vae]`,
          'None of 16 × 12 yet: train one here.',
        );
      },
    },
    {
      name: "AE vs PCA measured on them: each k once, in order, PCA falling, the sentence saying the figure's numbers",
      async run(s) {
        const figure = '[data-figure=compare]';
        await clickButton(s, 'Measure on my 16 × 12 digits');
        const ended = await until(
          'the measurement to end',
          () => attr(s, figure, 'data-state'),
          (v) => v === 'done' || v === 'error',
          180_000,
        );
        assert.equal(ended, 'done', (await text(s, `${figure} [role=alert]`)) ?? '');
        const ks = [2, 4, 6, 8, 10];
        assert.equal(await attr(s, figure, 'data-measured-ks'), ks.join(','));
        const numbers = async (name: string) =>
          ((await attr(s, figure, name)) ?? '').split(',').map(Number);
        const ae = await numbers('data-ae-mse');
        const pcaMse = await numbers('data-pca-mse');
        for (const [i, k] of ks.entries()) {
          assert.ok(Number.isFinite(ae[i]) && ae[i] > 0 && ae[i] < 0.2, `AE at k = ${k}: ${ae[i]}`);
          if (i > 0)
            assert.ok(pcaMse[i] < pcaMse[i - 1], `PCA falls from k = ${ks[i - 1]} to ${k}`);
        }
        const pairs = ks
          .map((k, i) => `k = ${k}: ${ae[i].toFixed(4)} / ${pcaMse[i].toFixed(4)}`)
          .join(', ');
        const summary = (await text(s, `${figure} [data-summary=compare]`)) ?? '';
        assert.ok(summary.includes(`Test MSE per pixel, autoencoder / PCA: ${pairs}.`), summary);
      },
    },
    {
      name: 'the draw pad on them, with a real pointer stroke: centred into 16 × 12 and rebuilt by that autoencoder',
      async run(s) {
        // Once the figure has rendered on screen (its PC1–PC2 scatter drawn): a stroke drawn at
        // once after the first scroll to it was lost in Firefox and WebKit (see the branch's report).
        await rect(s, '[data-figure=draw] canvas[data-pad]');
        await until(
          'the PC1–PC2 scatter of the draw pad drawn',
          () => attr(s, '[data-chart=draw-pca]', 'data-drawn'),
          (v) => !!v,
        );
        // The pad has the images' aspect ratio: 210 × 280 canvas pixels.
        const pad = await steadyRect(s, '[data-figure=draw] canvas[data-pad]');
        assert.equal(await attr(s, '[data-figure=draw] canvas[data-pad]', 'width'), '210');
        assert.equal(await attr(s, '[data-figure=draw] canvas[data-pad]', 'height'), '280');
        const at = (fx: number, fy: number): Point => centre(pad, fx, fy);
        const path: Point[] = [];
        for (let i = 0; i <= 10; i++) path.push(at(0.25 + (0.5 * i) / 10, 0.2));
        for (let i = 1; i <= 12; i++) path.push(at(0.75 - (0.35 * i) / 12, 0.2 + (0.65 * i) / 12));
        await s.stroke(path);
        for (const name of ['input', 'pca', 'ae']) {
          const canvas = `[data-figure=draw] canvas[data-digits=draw-${name}]`;
          await waitAttr(s, canvas, 'data-drawn', 'true');
          await expectAuthorCanvas(s, canvas, 12, 16);
          assert.ok((await s.call<number>('greyLevels', canvas)) > 5, `${name} is not blank`);
        }
        await waitText(
          s,
          '[data-summary=draw]',
          /^On PC1–PC2 your drawing lands nearest to image #\d+ of the images\. .*its nearest test image is #\d+\. Rebuilt with MSE 0\.\d{4} by PCA \(10 components\), 0\.\d{4} by the autoencoder\.$/,
        );
      },
    },
  ];
}
