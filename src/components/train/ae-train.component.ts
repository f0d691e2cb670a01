import { HELD_OUT_FRACTION } from '../../core/data/images.ts';
import { html, nothing } from 'lit';
import type { EpochReport } from '../../worker/bridge.ts';
import { ChartSlot } from '../charts/chart-slot.ts';
import type { LossChart } from '../charts/charts.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { DIGIT_COLORS, SHIPPED_TRAIN_DIGITS } from '../../core/settings.ts';
import { METHOD_WORDS } from '../ae-demo/train-settings.ts';
import { number } from '../ae-demo/words.ts';
import { lineLegend } from '../shared/legend.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { TrainingRun } from '../store/training.ts';
import { AeView } from '../store/view.ts';
import { trainStyles } from './ae-train.styles.ts';
import { KeepActions } from './keep-actions.ts';
import { TrainForm } from './train-form.ts';
import { speedText, statusText } from './train-words.ts';

/**
 * The training panel: the settings (the author's attributes, then the
 * reader's choices), Train, Pause, Resume and Cancel for the store's
 * {@link TrainingRun}, its status, progress, speed and error, the loss per
 * epoch as it grows, and saving, downloading and opening models.
 *
 * @csspart train - The panel.
 * @csspart train-settings - The settings: method, latent size, epochs, training digits, seed.
 * @csspart train-status - The line of text saying what training is doing.
 * @csspart progress - The training progress bar.
 * @csspart train-error - The training error box.
 * @csspart open-error - Why a saved or downloaded model could not be opened.
 * @csspart figure - The loss figure.
 */
export class AeTrain extends AeView {
  static override styles = [uplotStyles, partStyles, trainStyles];

  private readonly form = new TrainForm(
    this,
    () => this.store?.host.trainAttributes(),
    () => this.store?.view,
  );
  private readonly actions = new KeepActions(this, () => this.store);
  private readonly lossChart = new ChartSlot<LossChart>(this, { failed: this.chartFailed });
  /** The epochs each loss chart shows (a new array per epoch). */
  private readonly drawnEpochs = new WeakMap<LossChart, readonly EpochReport[]>();

  /** Which training images a run uses, in words. */
  private trainWords(trainSize: number): string {
    const author = this.store?.host.authorData();
    if (!author) {
      return `the first ${number(trainSize)} of the ${number(SHIPPED_TRAIN_DIGITS)} training digits this page ships`;
    }
    const { rows, cols } = this.store!.shape();
    const which = author.heldOut
      ? `the first ${Math.round((1 - HELD_OUT_FRACTION) * 100)} % of ${author.name} (the rest is held out to score it)`
      : author.name;
    return (
      `up to ${number(trainSize)} of your ${rows} × ${cols} images, from ${which}; ` +
      `its layers follow their ${number(rows * cols)} pixels`
    );
  }

  override render() {
    const store = this.store;
    if (!store) return nothing;
    const run = store.training;
    const settings = this.form.settings();
    const words = METHOD_WORDS[settings.method];
    const busy = run.busy;
    const locked = busy || !!this.actions.opening;
    return html`<div class="train" part="train">
      <h3>Train ${words.a} here</h3>
      <p class="summary" data-summary="train-data">
        Trains in the worker on ${this.trainWords(settings.trainSize)} (preset
        <code>${settings.preset}</code>), then shows
        ${settings.method === 'ae' ? 'its reconstructions' : 'its samples'} above.
      </p>
      ${this.form.render(settings, locked)}
      <div class="controls">
        <button
          type="button"
          data-action="train"
          ?disabled=${locked || !!this.form.error}
          @click=${this.onTrain}
        >
          Train ${words.a} here
        </button>
        ${
          run.phase === 'paused'
            ? html`<button type="button" data-action="resume" @click=${() => run.resume()}>
                Resume
              </button>`
            : html`<button
                type="button"
                data-action="pause"
                ?disabled=${!run.pausable}
                @click=${() => run.pause()}
              >
                Pause
              </button>`
        }
        <button type="button" data-action="cancel" ?disabled=${!busy} @click=${() => run.cancel()}>
          Cancel
        </button>
      </div>
      <p part="train-status" class="status" role="status" aria-live="polite">
        ${statusText(run, store.modelsRun.started)}
      </p>
      ${
        busy
          ? html`<progress
                part="progress"
                max="1"
                .value=${run.fraction}
                aria-label="Training progress"
              ></progress>
              <p class="summary" data-speed>${speedText(run)}</p>`
          : nothing
      }
      ${
        run.error
          ? html`<div part="train-error" class="error" role="alert">
              <strong>Training failed.</strong>${run.error.message}
            </div>`
          : nothing
      }
      ${run.plan ? this.renderLoss(run) : nothing} ${this.actions.render(locked)}
    </div>`;
  }

  private renderLoss(run: TrainingRun) {
    return html`<figure part="figure" data-figure="loss" data-epochs=${run.epochs.length}>
      <figcaption>Loss per epoch</figcaption>
      <div class="chart" role="img" aria-label="Training and validation loss per epoch"></div>
      ${lineLegend([
        { color: 'var(--ae-demo-accent)', text: 'training loss' },
        { color: DIGIT_COLORS[1], text: 'validation loss (dashed)' },
      ])}
    </figure>`;
  }

  protected override updated(): void {
    const store = this.store;
    const run = store?.training;
    const box = this.renderRoot.querySelector<HTMLElement>('[data-figure=loss] .chart');
    const plan = run?.plan;
    if (!store || !run || !plan || !box) {
      this.lossChart.destroy();
      return;
    }
    const theme = store.host.theme();
    const count = run.count;
    const vae = run.settings?.method === 'vae';
    // One chart per run (and colour scheme); the epochs are added to it as they come.
    void this.lossChart
      .draw(box, `run ${count}: ${plan.epochs} epochs`, theme, (charts, width) =>
        charts.lossChart(box, {
          epochs: plan.epochs,
          series: [
            { label: 'training loss', color: theme.accent },
            { label: 'validation loss', color: DIGIT_COLORS[1], dash: true },
          ],
          yLabel: vae ? 'Loss per digit' : 'MSE per pixel',
          width,
          height: 220,
          theme,
        }),
      )
      .then((made) => {
        if (made && made === this.lossChart.current && run.count === count) {
          this.showEpochs(made, box, run.epochs);
        }
      });
  }

  private showEpochs(made: LossChart, box: HTMLElement, epochs: readonly EpochReport[]): void {
    if (this.drawnEpochs.get(made) === epochs) return;
    this.drawnEpochs.set(made, epochs);
    made.update([epochs.map((e) => e.loss), epochs.map((e) => e.valLoss)]);
    // How many epochs the curve holds, for tests and tools: one point per epoch.
    box.dataset.points = String(made.chart.data[0].length);
  }

  private onTrain = async () => {
    // Attributes set just before the click reach this form only once the element and this
    // part have rendered (they take turns): train with those, not with the ones before.
    await this.store?.host.settled();
    await this.updateComplete;
    const run = this.store?.training;
    if (!run || run.busy || this.actions.opening || this.form.error) return;
    void run.start(this.form.settings());
  };
}
