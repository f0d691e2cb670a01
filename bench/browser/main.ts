/**
 * The bench page: starts the worker and exposes `window.aeBench.run(plan, threads?)` for
 * bench/browser/run.ts, logging each timed run to the console as it finishes.
 */
import * as Comlink from 'comlink';
import type { BenchPlan } from './measure.ts';
import type { BenchWorkerApi } from './worker.ts';

const out = document.querySelector('#out')!;
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const remote = Comlink.wrap<BenchWorkerApi>(worker);

async function run(plan: BenchPlan, threads?: number) {
  out.textContent = 'running…';
  const result = await remote.run(
    plan,
    Comlink.proxy((kind, variant, sps) => {
      const line = `${kind} ${variant} ${Math.round(sps)} samples/s`;
      out.textContent += `\n${line}`;
      console.log(`  ${line}`);
    }),
    threads,
  );
  out.textContent += '\ndone';
  return result;
}

export type BenchResult = Awaited<ReturnType<typeof run>>;

(globalThis as unknown as { aeBench: { run: typeof run } }).aeBench = { run };
out.textContent = `ready; crossOriginIsolated = ${String(self.crossOriginIsolated)}`;
