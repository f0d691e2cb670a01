/**
 * The page the parts' browser tests load (built by vite.parts.config.ts into
 * dist/parts): it mounts one part of `<ae-demo>` inside a host that provides
 * a DemoStore over the fake bridge, the way `<ae-demo>` provides its store,
 * optionally with the PCA run and the shipped models loaded. Every part's
 * define file is bundled (import.meta.glob), so a new part needs no change here.
 */
import { ContextProvider } from '@lit/context';
import { LitElement } from 'lit';
import { bundledData } from '../../src/components/ae-demo/default-data.ts';
import type { TrainAttributes } from '../../src/components/ae-demo/attributes.ts';
import type { ViewName } from '../../src/components/ae-demo/views.ts';
import { storeContext } from '../../src/components/store/context.ts';
import { startModels } from '../../src/components/store/models.ts';
import { DemoStore, type AuthorData, type StoreHost } from '../../src/components/store/store.ts';
import { FakeBridge, type FakeScript } from './fake-bridge.ts';

import.meta.glob(
  [
    '../../src/components/*/ae-*.ts',
    '!../../src/components/*/*.component.ts',
    '!../../src/components/*/*.styles.ts',
    '!../../src/components/*/*.test.ts',
    '!../../src/components/ae-demo/*',
  ],
  { eager: true },
);

class PartHost extends LitElement {
  readonly provider = new ContextProvider(this, { context: storeContext });
  protected override createRenderRoot() {
    return this;
  }
}
customElements.define('ae-part-host', PartHost);

/** What a test mounts: which part, on what state. */
export interface MountOptions {
  /** Run the (fake) PCA first. Default true. */
  pca?: boolean;
  /** Load the (fake) shipped models first. Default true. */
  models?: boolean;
  /** The views the author shows; default all. */
  views?: ViewName[];
  script?: FakeScript;
  /** The author's training attributes; default { preset: 'quick' } (one object, as the element keeps it). */
  train?: TrainAttributes;
  /** The author's own images (data-src …); with them the PCA runs on `author.all`. */
  author?: AuthorData;
}

/** What the test reads back in the page. */
export interface Mounted {
  store: DemoStore;
  bridge: FakeBridge;
  events: { type: string; detail: unknown }[];
  element: HTMLElement;
  host: PartHost;
}

declare global {
  interface Window {
    mountPart(tag: string, options?: MountOptions): Promise<void>;
    part: Mounted;
  }
}

window.mountPart = async (tag, options = {}) => {
  const bridge = new FakeBridge(options.script);
  const events: Mounted['events'] = [];
  const style = () => getComputedStyle(host);
  const host = document.createElement('ae-part-host') as PartHost;
  const train = options.train ?? { preset: 'quick' };
  const storeHost: StoreHost = {
    shown: (view) => !options.views || options.views.includes(view),
    theme: () => ({
      fg: style().getPropertyValue('--ae-demo-fg').trim(),
      grid: style().getPropertyValue('--ae-demo-grid').trim(),
      accent: style().getPropertyValue('--ae-demo-accent').trim(),
      font: '12px system-ui, sans-serif',
    }),
    reducedMotion: () => false,
    trainAttributes: () => train,
    settled: () => Promise.resolve(),
    modelSource: () => undefined,
    autostart: () => false,
    authorData: () => options.author,
    emit: (type, detail) => events.push({ type, detail }),
  };
  const store = new DemoStore(bridge.asBridge(), storeHost);
  host.provider.setValue(store);
  document.body.append(host);
  if (options.pca ?? true) {
    const author = options.author;
    await store.runPca(() => author?.all ?? bundledData('test'), 10, !author);
  }
  if (options.models ?? true) await startModels(store);
  const element = document.createElement(tag);
  host.append(element);
  window.part = { store, bridge, events, element, host };
};
