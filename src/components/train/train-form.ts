import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { NumericSetting, TrainSettings } from '../../core/settings.ts';
import {
  SETTING_LABELS,
  SETTING_LIMITS,
  checkMethod,
  checkSetting,
} from '../ae-demo/train-settings.ts';
import { errorDetail } from '../ae-demo/words.ts';
import { runSettings } from '../store/training.ts';
import type { ViewState } from '../store/view-state.ts';

/** The author's training attributes as the store hands them: a new object whenever they change. */
type Attributes = Partial<TrainSettings> & { preset: string };

/**
 * The training panel's settings form: what the reader chose (it overrides
 * the author's attributes; kept in the store's view state, `train`, where a
 * link sets it too) and the field they got wrong. When the author changes
 * the attributes, their new values win: the reader's choices are forgotten
 * the first time the part sees a new attributes object after another.
 */
export class TrainForm implements ReactiveController {
  /** The field whose value is not valid, and what is valid. */
  error: { setting: string; message: string } | undefined;
  private attributes: Attributes | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly author: () => Attributes | undefined,
    private readonly view: () => ViewState | undefined,
  ) {
    host.addController(this);
  }

  private get chosen(): Partial<TrainSettings> {
    return this.view()?.value.train ?? {};
  }

  hostUpdate(): void {
    const attributes = this.author();
    if (attributes === this.attributes) return;
    // The first attributes this form sees are not a change: the choices (a link's) stay.
    const changed = this.attributes !== undefined && attributes !== undefined;
    this.attributes = attributes;
    this.error = undefined;
    if (changed) this.view()?.update({ train: {} });
  }

  /** The settings the next run uses: the preset's, then the author's, then the reader's. */
  settings(): TrainSettings {
    return runSettings(this.attributes ?? { preset: 'quick' }, this.chosen);
  }

  /** The fieldset of settings, off while `locked`, and the message of a wrong value. */
  render(settings: TrainSettings, locked: boolean) {
    return html`<fieldset class="settings" part="train-settings" ?disabled=${locked}>
        <legend>Settings</legend>
        <label>
          Method
          <select data-setting="method" .value=${settings.method} @change=${this.onSetting}>
            <option value="ae">Autoencoder</option>
            <option value="vae">VAE (variational)</option>
          </select>
        </label>
        ${this.numberField('latent', settings.latent)}
        ${this.numberField('epochs', settings.epochs)}
        ${this.numberField('trainSize', settings.trainSize)}
        ${this.numberField('seed', settings.seed)}
      </fieldset>
      ${
        this.error
          ? html`<p class="field-error" role="alert" data-form-error>${this.error.message}</p>`
          : nothing
      }`;
  }

  private numberField(name: NumericSetting, value: number) {
    const [min, max] = SETTING_LIMITS[name];
    return html`<label>
      ${SETTING_LABELS[name]}
      <input
        type="number"
        inputmode="numeric"
        min=${min}
        max=${max}
        step="1"
        data-setting=${name}
        aria-invalid=${this.error?.setting === name ? 'true' : 'false'}
        .value=${String(value)}
        @change=${this.onSetting}
      />
    </label>`;
  }

  /** A setting changed: kept if valid, else said what is valid. */
  private onSetting = (event: Event) => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    const name = input.dataset.setting as NumericSetting | 'method';
    try {
      const value =
        name === 'method'
          ? checkMethod(input.value)
          : checkSetting(name, input.value, SETTING_LABELS[name]);
      if (this.error?.setting === name) this.error = undefined;
      this.view()?.update({ train: { ...this.chosen, [name]: value } });
    } catch (error) {
      this.error = { setting: name, message: errorDetail(error).message };
    }
    this.host.requestUpdate();
  };
}
