/** What went wrong, as a stable code that callers (the element, the CLI) can switch on. */
export type AeErrorCode =
  | 'BAD_ARGUMENT'
  | 'DATA_TRUNCATED'
  | 'DATA_BAD_MAGIC'
  | 'DATA_BAD_SHAPE'
  | 'DATA_COUNT_MISMATCH'
  | 'DATA_BAD_LABEL'
  | 'DATA_BAD_VALUE'
  | 'DATA_FETCH_FAILED'
  | 'DATA_DECOMPRESS_FAILED'
  | 'WASM_UNAVAILABLE'
  | 'WORKER_FAILED'
  | 'ABORTED'
  | 'TRAINING_DIVERGED'
  | 'NOT_LOADED'
  | 'CODE_LOAD_FAILED'
  | 'INTERNAL';

/**
 * The toolkit's one error class. Its message says what failed and what to do,
 * naming URLs and files through `shortUrl` (src/core/short-url.ts) so that an
 * inlined data: URL never fills the screen; `code` is for programs. It crosses
 * the worker boundary as a real Error (see src/worker/transfer-error.ts) with
 * its code and name intact.
 */
export class AeError extends Error {
  override readonly name = 'AeError';
  readonly code: AeErrorCode;

  constructor(code: AeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The error for one of the element's lazy chunks that did not load (a deploy
 * that removed it, a blocked request, a module that threw): `what` could not
 * load, and a reload is the way out.
 */
export function codeLoadFailed(what: string, cause: unknown): AeError {
  const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new AeError(
    'CODE_LOAD_FAILED',
    `${what} could not load (${why}). Reload the page to try again.`,
    { cause },
  );
}

/** The error an aborted task rejects with, matching `AbortSignal.throwIfAborted()` usage. */
export function abortError(what = 'The operation'): AeError {
  return new AeError('ABORTED', `${what} was cancelled.`);
}

/** Throws an ABORTED AeError if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(what);
}

/**
 * Waits for `promise` until `signal` fires, then rejects with an ABORTED
 * AeError at once: for work that cannot be stopped (a shared download, TF.js
 * starting, an IndexedDB read) but that a cancelled caller need not wait for.
 */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal, what?: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(what));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // Settling after the abort changes nothing, and a late failure is not left unhandled.
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
