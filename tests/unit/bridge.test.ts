import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import * as Comlink from 'comlink';
import { WorkerBridge } from '../../src/worker/bridge.ts';
import { isCode, until } from './waits.ts';

type Report = (p: unknown) => Promise<void>;

/**
 * The worker's side, made up: each call is recorded, and `pca` reports once
 * before it returns and once after, the way a report sent just before the
 * result can arrive after it (a Comlink proxy has its own MessagePort, not
 * ordered with the worker's). `late` resolves once the page side has taken
 * that last report.
 */
class FakeApi {
  calls: string[] = [];
  cancelled: number[] = [];
  late: Promise<void> | undefined;
  release: (() => void) | undefined;

  setPageCores(): void {}

  cancel(taskId: number): void {
    this.cancelled.push(taskId);
    this.release?.();
  }

  async pca(_taskId: number, onProgress: Report | undefined, key: string): Promise<string> {
    this.calls.push('pca');
    await onProgress?.({ stage: 'gram', fraction: 0.5 });
    this.late = new Promise((resolve) =>
      setTimeout(() => void onProgress?.({ stage: 'projection', fraction: 1 })?.then(resolve), 20),
    );
    return `summary of ${key}`;
  }

  /** Held until cancelled, then reports once more and returns. */
  async train(taskId: number, onProgress: Report | undefined): Promise<string> {
    this.calls.push('train');
    await onProgress?.({ epoch: 1 });
    await new Promise<void>((resolve) => (this.release = resolve));
    this.late = onProgress?.({ epoch: 2 });
    return `model ${taskId}`;
  }
}

let fake: FakeApi;
let ports: MessagePort[] = [];

/** What `new Worker(…)` makes in these tests: the fake API over a MessageChannel. */
class FakeWorker {
  constructor() {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(fake, port2);
    return Object.assign(port1, { terminate: () => port1.close() });
  }
}

/**
 * Every channel made here, the fake worker's and Comlink's for each proxied
 * onProgress, so that the tests close all their ports: an open one keeps
 * Node's event loop, and the test run, alive.
 */
class TrackedChannel extends MessageChannel {
  constructor() {
    super();
    ports.push(this.port1, this.port2);
  }
}

const globals = globalThis as { Worker?: unknown; navigator?: unknown };
const saved = { Worker: globals.Worker, navigator: globals.navigator, channel: MessageChannel };
const isAborted = isCode('ABORTED');

describe('WorkerBridge', () => {
  let bridge: WorkerBridge;

  beforeEach(() => {
    fake = new FakeApi();
    ports = [];
    globals.Worker = FakeWorker;
    globalThis.MessageChannel = TrackedChannel;
    // Node 20 has no navigator; the bridge tells the worker the page's cores.
    Object.defineProperty(globalThis, 'navigator', {
      value: { hardwareConcurrency: 2 },
      configurable: true,
    });
    bridge = WorkerBridge.acquire();
  });

  afterEach(() => {
    WorkerBridge.release(bridge);
    for (const port of ports) port.close();
    globals.Worker = saved.Worker;
    globalThis.MessageChannel = saved.channel;
    Object.defineProperty(globalThis, 'navigator', { value: saved.navigator, configurable: true });
  });

  test('a report that arrives after the result is dropped: the result is the last word', async () => {
    const reports: unknown[] = [];
    const summary = await bridge.pca(
      undefined,
      'key',
      { components: 2 },
      {
        onProgress: (p) => reports.push(p),
      },
    );
    assert.equal(summary, 'summary of key');
    await fake.late;
    assert.deepEqual(reports, [{ stage: 'gram', fraction: 0.5 }]);
  });

  test('a cancelled task rejects at once, is cancelled in the worker, and reports no more', async () => {
    const reports: unknown[] = [];
    const abort = new AbortController();
    let id = 0;
    const training = bridge.train(abort.signal, {} as never, {} as never, {
      onProgress: (p) => reports.push(p),
      onStart: (taskId) => (id = taskId),
    });
    await until(() => reports.length > 0, 'the first report');
    abort.abort();
    await assert.rejects(training, isAborted);
    await until(() => fake.late !== undefined, 'the report after the cancel');
    await fake.late;
    assert.deepEqual(fake.cancelled, [id]);
    assert.deepEqual(reports, [{ epoch: 1 }]);
  });

  test('the quick tasks, cancelled before they start, reject and never reach the worker', async () => {
    const aborted = AbortSignal.abort();
    const quick = [
      () => bridge.backend(aborted),
      () => bridge.centreDrawing(aborted, new Uint8ClampedArray(4), 1, 1, {} as never),
      () => bridge.storedModel(aborted, 'ae'),
      () => bridge.saveModel(aborted, 'model', 'ae'),
      () => bridge.exportModel(aborted, 'model', 'ae'),
    ];
    for (const call of quick) await assert.rejects(call(), isAborted);
    assert.deepEqual(fake.calls, []);
    assert.equal(ports.length, 0, 'no worker was started');
  });
});
