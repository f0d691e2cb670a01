import { METHOD_WORDS } from '../ae-demo/train-settings.ts';
import { number, plural } from '../ae-demo/words.ts';
import type { TrainingRun } from '../store/training.ts';

/** Time left in words. */
export function timeLeft(s: number): string {
  if (s < 1) return 'under a second left';
  if (s < 90) return `about ${Math.round(s)} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/** The training panel's status line: what the run is doing, or how it ended. */
export function statusText(run: TrainingRun, started: boolean): string {
  const last = run.epochs.at(-1);
  const total = run.plan?.epochs ?? last?.epochs;
  const pct = `${Math.round(100 * run.fraction)} %`;
  switch (run.phase) {
    case 'idle':
      return started ? 'Ready to train.' : '';
    case 'loading':
      return 'Loading the training digits and starting TF.js…';
    case 'training':
      return (
        `Training, epoch ${run.currentEpoch()} of ${total ?? '…'} (${pct}).` +
        (last
          ? ` Epoch ${last.epoch}: loss ${last.loss.toFixed(4)}` +
            (last.valLoss !== null ? `, validation loss ${last.valLoss.toFixed(4)}.` : '.')
          : '')
      );
    case 'paused':
      return `Paused after ${last ? `epoch ${last.epoch} of ${total}` : 'a few batches'} (${pct}).`;
    case 'evaluating':
      return 'Trained; scoring it on the test digits…';
    case 'done': {
      const r = run.result!;
      const kind = r.model.kind;
      const score =
        kind === 'ae'
          ? `test MSE ${r.testScore.toFixed(4)}`
          : `test loss ${r.testScore.toFixed(2)} per digit`;
      return (
        `Done: ${METHOD_WORDS[kind].a} with latent size ${r.model.latentSize} (seed ${run.settings?.seed}). ` +
        `Trained ${plural(r.epochs, 'epoch')} on ${number(r.plan.trainCount)} digits ` +
        `at ${number(r.samplesPerSecond)} samples/s; ${score}.`
      );
    }
    case 'cancelled':
      return 'Training cancelled.';
    case 'error':
      return 'Training failed; see the message below.';
  }
}

/** The line under the progress bar: epoch, speed and time left. */
export function speedText(run: TrainingRun): string {
  if (run.phase === 'loading' || !run.plan) return 'Starting…';
  if (run.phase === 'evaluating') return 'Scoring on the test digits…';
  const { samplesPerSecond, etaSeconds } = run.pace();
  const epoch = `Epoch ${run.currentEpoch()} of ${run.plan.epochs}`;
  const speed =
    samplesPerSecond === null ? 'measuring speed' : `${number(samplesPerSecond)} samples/s`;
  const left =
    run.phase === 'paused'
      ? 'paused'
      : etaSeconds === null
        ? 'time left unknown'
        : timeLeft(etaSeconds);
  return `${epoch} · ${speed} · ${left}`;
}
