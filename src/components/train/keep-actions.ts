import { Task } from '@lit/task';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { shortUrl } from '../../core/short-url.ts';
import type { ModelSource, StoredModel } from '../../worker/bridge.ts';
import type { AeErrorDetail } from '../ae-demo/events.ts';
import { readModelFiles } from '../ae-demo/model-files.ts';
import type { TrainMethod } from '../../core/settings.ts';
import { METHOD_WORDS } from '../ae-demo/train-settings.ts';
import { errorDetail, inSentence } from '../ae-demo/words.ts';
import { loadModel, modelLabel } from '../store/models.ts';
import { anySignal, type ActiveModel, type DemoStore, type ModelOrigin } from '../store/store.ts';

/** The part these actions sit in. */
type Host = ReactiveControllerHost & { renderRoot: ParentNode };

interface Download {
  name: string;
  href: string;
  bytes: number;
}

type Stored = Partial<Record<TrainMethod, StoredModel>>;

const KINDS: readonly TrainMethod[] = ['ae', 'vae'];
/** Models made on this page: the ones Save and Download act on. */
const MADE_HERE: readonly ModelOrigin[] = ['trained', 'saved', 'file'];
/** Where "Save in this browser" keeps each kind; one of each. */
const INDEXED_DB_URL: Record<TrainMethod, string> = {
  ae: 'indexeddb://ae-demo-autoencoder',
  vae: 'indexeddb://ae-demo-vae',
};
const DOWNLOAD_NAME: Record<TrainMethod, string> = {
  ae: 'ae-demo-autoencoder',
  vae: 'ae-demo-vae',
};

const megabytes = (bytes: number, digits: number) => (bytes / 1e6).toFixed(digits);

/**
 * What the training panel does with models: save the one made here last in
 * this browser (IndexedDB, from the worker) or download its two files, and
 * load one back from either. A model opened becomes the one of its kind the
 * figures show; its errors (wrong files, a foreign model) are shown and
 * fired as `ae-error`.
 */
export class KeepActions implements ReactiveController {
  /** Set while a saved or downloaded model is being loaded. */
  opening: 'saved' | 'file' | undefined;
  /** What Save and Download act on: the model made here that the figures took last. */
  private keep: ActiveModel | undefined;
  private seen: Partial<Record<TrainMethod, ActiveModel>> = {};
  private seenRun = 0;
  /** Saved by this part since the lookup of {@link found}. */
  private saved: Stored = {};
  private openError: AeErrorDetail | undefined;
  private note: string | undefined;
  private downloads: Download[] = [];
  /** The models "Save in this browser" left in IndexedDB, for the "Load … from this browser" buttons. */
  private readonly found: Task<readonly [DemoStore | undefined], Stored>;

  constructor(
    private readonly host: Host,
    private readonly store: () => DemoStore | undefined,
  ) {
    host.addController(this);
    this.found = new Task(host, {
      task: async ([store], { signal }) => {
        if (!store) return {};
        const both = anySignal(signal, store.signal);
        const [ae, vae] = await Promise.all(
          KINDS.map((kind) =>
            // No IndexedDB here (some private windows): nothing to load, so no button.
            store.bridge.storedModel(both, INDEXED_DB_URL[kind]).catch(() => null),
          ),
        );
        return { ...(ae ? { ae } : {}), ...(vae ? { vae } : {}) };
      },
      args: () => [this.store()] as const,
    });
  }

  hostUpdate(): void {
    const store = this.store();
    if (!store) return;
    for (const kind of KINDS) {
      const model = store.models[kind];
      if (!model || model === this.seen[kind]) continue;
      this.seen[kind] = model;
      if (MADE_HERE.includes(model.source)) this.keep = model;
    }
    // A model replaced in the figures is freed: nothing left to save.
    if (this.keep && store.models[this.keep.kind] !== this.keep) this.keep = undefined;
    // A new training run clears what the last action said.
    if (store.training.count !== this.seenRun) {
      this.seenRun = store.training.count;
      this.note = undefined;
    }
  }

  hostDisconnected(): void {
    for (const d of this.downloads) URL.revokeObjectURL(d.href);
    this.downloads = [];
  }

  /** The buttons, and what the last of them did; off while `locked` (training or opening). */
  render(locked: boolean) {
    const keep = this.keep;
    const stored: Stored = { ...this.found.value, ...this.saved };
    return html`<div class="controls" data-keep-actions>
        ${
          keep && !locked
            ? html`<button type="button" data-action="save" @click=${this.onSave}>
                  Save in this browser
                </button>
                <button type="button" data-action="download" @click=${this.onDownload}>
                  Download model
                </button>`
            : nothing
        }
        ${KINDS.map((kind) => {
          const model = stored[kind];
          return model
            ? html`<button
                type="button"
                data-action="load-saved"
                data-kind=${kind}
                ?disabled=${locked}
                @click=${() => this.loadSaved(model)}
              >
                Load your ${METHOD_WORDS[kind].short} from this browser
              </button>`
            : nothing;
        })}
        <label class="file-button" ?data-disabled=${locked}>
          Open a downloaded model…
          <input
            type="file"
            multiple
            accept=".json,.bin"
            data-action="open-files"
            ?disabled=${locked}
            @change=${this.onOpenFiles}
          />
        </label>
      </div>
      ${
        keep && !locked
          ? html`<p class="summary" data-keep>
              Save and Download act on ${inSentence(keep.label)}.
            </p>`
          : nothing
      }
      ${
        this.opening
          ? html`<p class="summary" data-opening>
              ${
                this.opening === 'saved'
                  ? 'Loading the model saved in this browser…'
                  : 'Loading the downloaded model…'
              }
            </p>`
          : nothing
      }
      ${
        this.openError
          ? html`<div part="open-error" class="error" role="alert">
              <strong>Could not open the model.</strong>${this.openError.message}
            </div>`
          : nothing
      }
      ${this.note ? html`<p class="summary" data-note>${this.note}</p>` : nothing}
      ${
        this.downloads.length
          ? html`<p class="summary downloads">
              ${this.downloads.map(
                (d) =>
                  html`<a href=${d.href} download=${d.name}
                    >${d.name} (${megabytes(d.bytes, 2)} MB)</a
                  > `,
              )}
            </p>`
          : nothing
      }`;
  }

  /**
   * Loads an autoencoder or a VAE into the worker and makes it the one of
   * its kind the figures show; `open` says what to load.
   */
  private async open(
    origin: 'saved' | 'file',
    open: () => Promise<{ source: ModelSource; from: string }>,
  ): Promise<void> {
    const store = this.store();
    if (!store || this.opening || store.training.busy) return;
    this.opening = origin;
    this.openError = undefined;
    this.note = undefined;
    this.host.requestUpdate();
    try {
      const { source, from } = await open();
      const model = await loadModel(store, source);
      store.show({ ...model, label: modelLabel(model.kind, origin, from), source: origin });
      this.opening = undefined;
    } catch (error) {
      if (store.signal.aborted) return;
      this.opening = undefined;
      this.openError = store.report(error);
    }
    this.host.requestUpdate();
  }

  private loadSaved(stored: StoredModel): void {
    const when = new Date(stored.savedAt).toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    void this.open('saved', async () => ({
      source: { indexedDb: stored.url },
      from: `${shortUrl(stored.url)}, saved ${when}`,
    }));
  }

  private onOpenFiles = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // Cleared, so that choosing the same files again is a change too.
    input.value = '';
    if (!files.length) return;
    void this.open('file', async () => {
      const { name, modelJson, weights } = await readModelFiles(files);
      return { source: { modelJson, weights }, from: shortUrl(name) };
    });
  };

  private onSave = async () => {
    const store = this.store();
    const keep = this.keep;
    if (!store || !keep) return;
    this.note = 'Saving in this browser…';
    this.host.requestUpdate();
    try {
      const saved = await store.bridge.saveModel(
        store.signal,
        keep.modelId,
        INDEXED_DB_URL[keep.kind],
      );
      this.note = `Saved in this browser (IndexedDB) as ${saved.url}, ${megabytes(saved.bytes, 1)} MB.`;
      this.saved = {
        ...this.saved,
        [keep.kind]: { url: saved.url, bytes: saved.bytes, savedAt: Date.now() },
      };
    } catch (error) {
      if (store.signal.aborted) return;
      this.note = `Could not save: ${errorDetail(error).message}`;
    }
    this.host.requestUpdate();
  };

  private onDownload = async () => {
    const store = this.store();
    const keep = this.keep;
    if (!store || !keep) return;
    try {
      const name = DOWNLOAD_NAME[keep.kind];
      const weightsName = `${name}.weights.bin`;
      const files = await store.bridge.exportModel(store.signal, keep.modelId, weightsName);
      for (const d of this.downloads) URL.revokeObjectURL(d.href);
      const link = (file: string, blob: Blob): Download => ({
        name: file,
        href: URL.createObjectURL(blob),
        bytes: blob.size,
      });
      this.downloads = [
        link(`${name}.json`, new Blob([files.modelJson], { type: 'application/json' })),
        link(weightsName, new Blob([files.weights], { type: 'application/octet-stream' })),
      ];
      this.note = 'Keep both files in one folder; tf.loadLayersModel reads the .json.';
      this.host.requestUpdate();
      await this.host.updateComplete;
      // The same two downloads tf.io.browserDownloads makes; the links stay for a second try.
      for (const a of this.host.renderRoot.querySelectorAll<HTMLAnchorElement>('a[download]')) {
        a.click();
      }
    } catch (error) {
      if (store.signal.aborted) return;
      this.note = `Could not export the model: ${errorDetail(error).message}`;
      this.host.requestUpdate();
    }
  };
}
