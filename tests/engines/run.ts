/**
 * The cross-engine suite: the built demo site (dist/site, `npm run build`)
 * served from a sub-path, plain and cross-origin isolated, opened in Chromium,
 * Firefox ESR and WebKitGTK with LANG=en_US.UTF-8 and LANG=C.UTF-8; every
 * check of tests/engines/suite.ts in each, then a page with two elements under
 * the strict CSP. Prints each check, a table of per-engine figures (seconds to
 * the PCA sentence, training samples/s), writes them to
 * test-results/engines.json, and ends with "N passed, N failed".
 *
 *   node --import tsx tests/engines/run.ts [chromium] [firefox] [webkit]
 *
 * AE_DEMO_ENGINES (space-separated) and the arguments choose engines;
 * AE_DEMO_SITE_DIR serves another build; see drivers.ts for the binaries.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { SITE_PREFIX } from '../e2e/site.ts';
import { serveStatic, type StaticServer } from '../e2e/static-server.ts';
import { ENGINES, startSession, type EngineName, type Session } from './drivers.ts';
import { gzipSync } from 'node:zlib';
import { pca } from '../../src/core/pca.ts';
import { makeAuthorSet } from '../fixtures/author-set.ts';
import {
  authorChecks,
  expectNoErrors,
  pageChecks,
  pageLanguage,
  twoElementChecks,
  type Check,
  type Figures,
} from './suite.ts';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
const LOCALES = ['en_US.UTF-8', 'C.UTF-8'] as const;
const MODES = ['plain', 'isolated'] as const;
type Mode = (typeof MODES)[number];

const dir = process.env.AE_DEMO_SITE_DIR ?? 'dist/site';
if (!existsSync(`${dir}/ae-demo/ae-demo.js`)) {
  console.error(`engines: ${dir} is not a built site; run \`npm run build\` first.`);
  process.exit(1);
}
const chosen = [...process.argv.slice(2), ...(process.env.AE_DEMO_ENGINES ?? '').split(/\s+/)]
  .filter(Boolean)
  .map((name) => {
    if (!ENGINES.includes(name as EngineName)) {
      console.error(`engines: unknown engine "${name}"; choose from ${ENGINES.join(', ')}.`);
      process.exit(2);
    }
    return name as EngineName;
  });
const engines = chosen.length ? [...new Set(chosen)] : [...ENGINES];

// author.html: the demo page on an author's own 16 × 12 images without labels (issue 13, part 3).
const authorSet = await makeAuthorSet(3000, 16, 12);
const AUTHOR_FILE = 'test-results/engines-author-digits-idx3-ubyte.gz';
await mkdir('test-results', { recursive: true });
await writeFile(AUTHOR_FILE, gzipSync(authorSet.idx));
const authorPca = await pca({ samples: authorSet.count, features: 192, pixels: authorSet.pixels });
const k90 = authorPca.componentsFor90;
const authorSentence = `${k90} components explain ${(100 * authorPca.cumulativeVariance[k90 - 1]).toFixed(2)} % of the variance.`;

/**
 * The probe goes first in <head>; two.html is the demo page with two smaller
 * elements, author.html the demo page on the author's images.
 */
function transformHtml(html: string, path: string): string {
  let out = html.replace('<head>', '<head>\n    <script src="./__probe.js"></script>');
  if (path.endsWith('/two.html')) {
    const views = 'variance scatter mse reconstructions';
    const markup = `<ae-demo views="${views}"></ae-demo>\n<ae-demo views="${views}"></ae-demo>`;
    if (!out.includes('<ae-demo></ae-demo>')) throw new Error('the demo page has no <ae-demo>');
    out = out.replace('<ae-demo></ae-demo>', markup);
  }
  if (path.endsWith('/author.html')) {
    const markup =
      '<ae-demo data-src="author-digits-idx3-ubyte.gz" data-name="my 16 × 12 digits" ' +
      'views="variance scatter reconstructions walk interpolate compare train draw"></ae-demo>';
    if (!out.includes('<ae-demo></ae-demo>')) throw new Error('the demo page has no <ae-demo>');
    out = out.replace('<ae-demo></ae-demo>', markup);
  }
  return out;
}

async function serve(headers: Record<string, string>): Promise<StaticServer> {
  return serveStatic(dir, {
    prefix: SITE_PREFIX,
    headers,
    files: {
      '__probe.js': 'tests/engines/probe.js',
      'two.html': `${dir}/index.html`,
      'author.html': `${dir}/index.html`,
      'author-digits-idx3-ubyte.gz': AUTHOR_FILE,
    },
    transformHtml,
  });
}

const servers: Record<Mode, { page: StaticServer; csp: StaticServer }> = {
  plain: { page: await serve({}), csp: await serve({ 'Content-Security-Policy': CSP }) },
  isolated: {
    page: await serve(ISOLATION),
    csp: await serve({ ...ISOLATION, 'Content-Security-Policy': CSP }),
  },
};

interface Result {
  engine: EngineName;
  version: string;
  lang: string;
  mode: Mode;
  check: string;
  ok: boolean;
  seconds: number;
  error?: string;
}
const results: Result[] = [];
const figures: (Figures & { engine: EngineName; version: string; lang: string; mode: Mode })[] = [];

const SKIPPED = 'not run: an earlier check of this page failed';

/** Runs `checks` in order on `url`; after a failure the rest of the page is not run. */
async function runPage(
  session: Session,
  url: string,
  checks: Check[],
  context: { lang: string; mode: Mode },
): Promise<Figures> {
  const measured: Figures = {};
  const record = (check: string, ok: boolean, seconds: number, error?: string) => {
    results.push({
      engine: session.engine,
      version: session.version,
      ...context,
      check,
      ok,
      seconds,
      error,
    });
    const mark = ok ? '✓' : '✗';
    const where = `${session.engine} ${context.lang} ${context.mode}`;
    console.log(
      `  ${mark} ${where} › ${check} (${seconds.toFixed(1)} s)${error ? `\n      ${error}` : ''}`,
    );
  };
  session.consoleErrors.length = 0;
  let failed = false;
  try {
    await session.open(url);
    measured.language = await pageLanguage(session);
  } catch (error) {
    failed = true;
    record(`open ${url}`, false, 0, String(error));
  }
  for (const check of [
    ...checks,
    { name: 'no error in the page or its worker', run: expectNoErrors },
  ]) {
    if (failed) {
      record(check.name, false, 0, SKIPPED);
      continue;
    }
    const started = performance.now();
    try {
      await check.run(session, measured);
      record(check.name, true, (performance.now() - started) / 1000);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      record(
        check.name,
        false,
        (performance.now() - started) / 1000,
        message.split('\n').slice(0, 6).join('\n      '),
      );
    }
  }
  return measured;
}

const started = performance.now();
for (const engine of engines) {
  for (const lang of LOCALES) {
    let session: Session;
    try {
      session = await startSession(engine, { lang, width: 1280, height: 1000 });
    } catch (error) {
      for (const mode of MODES) {
        results.push({
          engine,
          version: '?',
          lang,
          mode,
          check: 'start the browser',
          ok: false,
          seconds: 0,
          error: String(error),
        });
      }
      console.log(`  ✗ ${engine} ${lang} › start the browser\n      ${String(error)}`);
      continue;
    }
    console.log(`${session.version}, LANG=${lang}`);
    try {
      for (const mode of MODES) {
        const measured = await runPage(session, servers[mode].page.url, pageChecks, { lang, mode });
        figures.push({ engine, version: session.version, lang, mode, ...measured });
        await runPage(session, new URL('two.html', servers[mode].csp.url).href, twoElementChecks, {
          lang,
          mode,
        });
        await runPage(
          session,
          new URL('author.html', servers[mode].csp.url).href,
          authorChecks(authorSentence),
          { lang, mode },
        );
      }
    } finally {
      await session.close().catch(() => undefined);
    }
  }
}
for (const mode of MODES) {
  await servers[mode].page.close();
  await servers[mode].csp.close();
}

// Per engine: the figures of every run, and their medians.
const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
console.log(
  '\nengine    version                 LANG          mode       language  PCA s  samples/s  isolated  SharedArrayBuffer  plane/curve AE s',
);
for (const f of figures) {
  console.log(
    [
      f.engine.padEnd(9),
      f.version.padEnd(23),
      f.lang.padEnd(13),
      f.mode.padEnd(10),
      (f.language ?? '?').padEnd(9),
      (f.pcaSeconds?.toFixed(2) ?? '-').padStart(5),
      (f.samplesPerSecond?.toFixed(0) ?? '-').padStart(10),
      String(f.isolated ?? '-').padStart(9),
      String(f.sharedMemory ?? '-').padStart(18),
      `${f.planeAeSeconds?.toFixed(1) ?? '-'}/${f.curveAeSeconds?.toFixed(1) ?? '-'}`.padStart(17),
    ].join(' '),
  );
}
const summary = engines.map((engine) => {
  const own = figures.filter((f) => f.engine === engine);
  return {
    engine,
    version: own[0]?.version ?? '?',
    pcaSecondsMedian: median(own.map((f) => f.pcaSeconds ?? NaN)),
    samplesPerSecondMedian: median(own.map((f) => f.samplesPerSecond ?? NaN)),
  };
});
for (const s of summary) {
  console.log(
    `median ${s.engine}: PCA sentence after ${s.pcaSecondsMedian.toFixed(2)} s, training ${s.samplesPerSecondMedian.toFixed(0)} samples/s`,
  );
}
await mkdir('test-results', { recursive: true });
await writeFile(
  'test-results/engines.json',
  JSON.stringify({ date: new Date().toISOString(), summary, figures, results }, null, 2),
);
const passed = results.filter((r) => r.ok).length;
const failedCount = results.length - passed;
console.log(`\ncross-engine suite: ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failedCount} failed`);
process.exit(failedCount === 0 && results.length > 0 ? 0 : 1);
