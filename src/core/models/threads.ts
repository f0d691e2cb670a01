/**
 * Whether TF.js's threaded wasm build should start, and if not, why, in words
 * a page can show. No TF.js here: the worker's entry imports this to learn the
 * page's core count without loading the 2 MB TF.js chunk.
 */

/** Fewest logical cores for threads: TF.js's pool takes half of them, so fewer means one thread. */
export const MIN_CORES_FOR_THREADS = 4;

/** What the decision is made from. */
export interface ThreadsFacts {
  /** `crossOriginIsolated`: SharedArrayBuffer exists only then (tensorflow/tfjs#4025). */
  isolated: boolean;
  /** Logical cores, as the page reports them; undefined when unknown. */
  cores: number | undefined;
}

/** The reasons threads stay off; each reads after "threads off: ". */
export const THREADS_OFF = {
  isolation: 'this page is not cross-origin isolated (no COOP/COEP headers)',
  cores: (cores: number | undefined) =>
    cores === undefined
      ? 'this browser does not say how many cores it has'
      : `this device reports ${cores} logical ${cores === 1 ? 'core' : 'cores'}, fewer than ${MIN_CORES_FOR_THREADS}`,
  csp: "this page's Content-Security-Policy forbids blob: workers",
  blob: 'a blob: worker could not start here',
  noWorker: 'workers cannot start workers in this browser',
  unsupported: "this browser's WebAssembly has no threads",
} as const;

let pageCores: number | undefined;

/**
 * Records the page's `navigator.hardwareConcurrency`; the bridge sends it when
 * it starts the worker. A page and its workers report the same count, except
 * under DevTools' or CDP's hardware-concurrency emulation, which reaches the
 * page only: with this, the emulated count decides threads in the worker too.
 * Anything but a positive whole number is ignored.
 */
export function setPageCores(cores: unknown): void {
  if (typeof cores === 'number' && Number.isInteger(cores) && cores > 0) pageCores = cores;
}

/** This thread's facts: isolation, and the page's core count if it sent one, else this thread's. */
export function hostFacts(): ThreadsFacts {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  return {
    isolated: g.crossOriginIsolated === true,
    cores: pageCores ?? g.navigator?.hardwareConcurrency,
  };
}

/**
 * Why the threaded build is not worth starting, or undefined if it is: it needs
 * SharedArrayBuffer, so a cross-origin isolated page, and TF.js sizes its pool
 * at half the logical cores, so on fewer than four it would run one thread plus
 * the cost of the threaded build (slower than single-thread SIMD here).
 */
export function threadsOffReason(facts: ThreadsFacts = hostFacts()): string | undefined {
  if (!facts.isolated) return THREADS_OFF.isolation;
  if (!(facts.cores !== undefined && facts.cores >= MIN_CORES_FOR_THREADS)) {
    return THREADS_OFF.cores(facts.cores);
  }
  return undefined;
}

/** Whether threads pay on this page: see {@link threadsOffReason}. */
export function threadsPay(facts: ThreadsFacts = hostFacts()): boolean {
  return threadsOffReason(facts) === undefined;
}

/** How long the blob: worker probe waits before calling it a failure. */
export const PROBE_TIMEOUT_MS = 5_000;

/**
 * Starts a throwaway `blob:` worker, the way TF.js's threaded build starts its
 * threads, and resolves to undefined once it answers, or to why it could not.
 * A CSP without `blob:` in `worker-src` (tensorflow/tfjs#4971, #5137) does not
 * throw in the constructor (Chromium): it fires `securitypolicyviolation` on
 * this global and `error` on the worker, both handled here. The policy's
 * report-uri, if any, still gets that one report.
 */
export function probeBlobWorker(timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  if (typeof Worker !== 'function' || typeof Blob !== 'function') {
    return Promise.resolve(THREADS_OFF.noWorker);
  }
  return new Promise((resolve) => {
    const url = URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' }));
    let worker: Worker | undefined;
    let violated = false;
    let settled = false;
    const onViolation = (event: Event) => {
      const blocked = (event as SecurityPolicyViolationEvent).blockedURI ?? '';
      if (blocked === 'blob' || blocked.startsWith('blob:')) {
        violated = true;
        done(THREADS_OFF.csp);
      }
    };
    const timer = setTimeout(
      () => done(`${THREADS_OFF.blob} (no answer in ${timeoutMs / 1000} s)`),
      timeoutMs,
    );
    function done(reason: string | undefined): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      removeEventListener('securitypolicyviolation', onViolation);
      worker?.terminate();
      URL.revokeObjectURL(url);
      resolve(reason);
    }
    addEventListener('securitypolicyviolation', onViolation);
    try {
      worker = new Worker(url);
    } catch (error) {
      // Other browsers throw a SecurityError instead.
      const security = error instanceof DOMException && error.name === 'SecurityError';
      done(security ? THREADS_OFF.csp : THREADS_OFF.blob);
      return;
    }
    worker.addEventListener('message', () => done(undefined));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // The violation event may come after the error event: give it a turn.
      setTimeout(() => done(violated ? THREADS_OFF.csp : THREADS_OFF.blob), 0);
    });
  });
}

/**
 * Whether to start the threaded build, and why not: the cheap checks first,
 * then, only when they pass, the blob: worker probe.
 */
export async function decideThreads(
  facts: ThreadsFacts = hostFacts(),
  probe: () => Promise<string | undefined> = probeBlobWorker,
): Promise<{ threads: boolean; reason?: string }> {
  const reason = threadsOffReason(facts) ?? (await probe());
  return reason === undefined ? { threads: true } : { threads: false, reason };
}
