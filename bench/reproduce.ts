/**
 * `npm run bench:reproduce`: the whole notebook (`ae-demo reproduce`) timed as
 * a process, ours and then, when `import torch` works, the same work in
 * PyTorch (bench/reproduce_torch.py) in the same run, one after the other,
 * with the seconds, the ratio and both sets of numbers. It installs nothing.
 *
 *   npm run bench:reproduce -- [--preset notebook|quick] [--k 1..10] [--jobs N] [--torch-threads 1]
 *
 * PyTorch: `apt-get install python3-torch libopenblas0-pthread`; PYTHON picks
 * the interpreter (default: the first of python3 and /usr/bin/python3 that
 * imports torch). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for it and
 * OMP_WAIT_POLICY=PASSIVE set, as Debian's OpenBLAS needs to run at full speed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'notebook' },
    k: { type: 'string', default: '1..10' },
    jobs: { type: 'string' },
    'torch-threads': { type: 'string', default: '1' },
  },
});
const root = new URL('..', import.meta.url).pathname;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ seconds: number; stdout: string }>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - t0) / 1000, stdout })
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

function torchPython(): string | undefined {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3'];
  return candidates.find(
    (py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
}

const out = mkdtempSync(join(os.tmpdir(), 'ae-bench-reproduce-'));
console.log(
  `bench:reproduce, preset ${values.preset}, k ${values.k}; ${os.cpus()[0]?.model.trim()}, ` +
    `${os.availableParallelism()} cores, Node ${process.versions.node}`,
);
const ours = await timed(
  process.execPath,
  [
    'bin/ae-demo.js',
    'reproduce',
    '--preset',
    values.preset,
    '--k',
    values.k,
    '--out',
    out,
    '--json',
    ...(values.jobs ? ['--jobs', values.jobs] : []),
  ],
  process.env,
);
const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
  setup: { jobs: number };
  timings: Record<string, number>;
  pca: { componentsFor90: number; varianceAt84: number; reconstructionMse: number[] };
  ae: { testScore: number; epochs: number };
  vae: { testScore: number; epochs: number };
  compare: { rows: { k: number; pcaMse: number; aeMse: number; epochs: number }[] };
  planeCurve?: { pcaSeconds: number; aeSeconds: number }[];
  targets: { id: string; met: boolean; value: unknown }[];
};
// Section 5 (the plane and curve) is not the notebook's work and the PyTorch script does not do it.
const extraSeconds = (report.planeCurve ?? []).reduce((s, r) => s + r.pcaSeconds + r.aeSeconds, 0);
const notebookSeconds = ours.seconds - extraSeconds;
rmSync(out, { recursive: true, force: true });
const t = report.timings;
console.log(
  `ours:    ${ours.seconds.toFixed(1)} s wall (process), ${report.setup.jobs} jobs at a time; ` +
    `setup ${t.setup.toFixed(1)}, PCA ${t.pca.toFixed(2)}, training ${t.training.toFixed(1)}, ` +
    `results ${t.results.toFixed(1)} s (of which the plane and curve, section 5, ${extraSeconds.toFixed(1)} s)`,
);
console.log(
  `         AE test MSE ${report.ae.testScore.toFixed(5)} (${report.ae.epochs} epochs), VAE test loss ` +
    `${report.vae.testScore.toFixed(3)} (${report.vae.epochs} epochs), AE below PCA at ` +
    `${report.compare.rows.filter((r) => r.aeMse < r.pcaMse).length} of ${report.compare.rows.length} k; ` +
    `targets met: ${report.targets.filter((x) => x.met).length} of ${report.targets.length}` +
    ` (${report.targets
      .filter((x) => !x.met)
      .map((x) => x.id)
      .join(', ')})`,
);

const python = torchPython();
if (!python) {
  console.log(
    'PyTorch: not found (`import torch` failed for python3 and /usr/bin/python3); ' +
      'apt-get install python3-torch libopenblas0-pthread, or set PYTHON.',
  );
} else {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const torch = await timed(
    python,
    [
      'bench/reproduce_torch.py',
      '--preset',
      values.preset,
      '--k',
      values.k,
      '--threads',
      values['torch-threads'],
    ],
    env,
  );
  const r = JSON.parse(torch.stdout) as {
    torch: string;
    threads: number;
    seconds: Record<string, number>;
    ae: { testScore: number; epochs: number };
    vae: { testScore: number; epochs: number };
    compare: Record<string, { testScore: number; epochs: number }>;
  };
  const s = r.seconds;
  console.log(
    `PyTorch: ${torch.seconds.toFixed(1)} s wall (process), torch ${r.torch}, ${r.threads} thread(s); ` +
      `PCA ${s.pca.toFixed(2)}, AE ${s.ae.toFixed(1)}, AE vs PCA ${s.compare.toFixed(1)}, VAE ${s.vae.toFixed(1)} s`,
  );
  console.log(
    `         AE test MSE ${r.ae.testScore.toFixed(5)} (${r.ae.epochs} epochs), VAE test loss ` +
      `${r.vae.testScore.toFixed(3)} (${r.vae.epochs} epochs)`,
  );
  // The same work on both sides: ours without section 5.
  const ratio = notebookSeconds / torch.seconds;
  console.log(
    `ours without section 5: ${notebookSeconds.toFixed(1)} s (with it: ${(ours.seconds / torch.seconds).toFixed(2)}× PyTorch)`,
  );
  console.log(
    `ours / PyTorch: ${ratio.toFixed(2)}× (target ≤ 2.00×: ${ratio <= 2 ? 'met' : `missed by ${((ratio / 2 - 1) * 100).toFixed(0)} %`})`,
  );
}
