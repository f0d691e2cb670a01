import * as Comlink from 'comlink';
import { AeError, type AeErrorCode } from '../core/errors.ts';

interface SerializedError {
  name: string;
  message: string;
  code?: AeErrorCode;
  stack?: string;
}

type Thrown = { value: unknown };

/**
 * Comlink's built-in 'throw' handler keeps only name, message and stack; this one
 * also keeps AeError's `code`, so the page can tell a bad data file from a
 * cancellation. Import this module on both sides of the worker boundary.
 */
const base = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<Thrown, unknown>;
Comlink.transferHandlers.set('throw', {
  canHandle: base.canHandle,
  serialize(thrown: Thrown): [unknown, Transferable[]] {
    const error = thrown.value;
    if (error instanceof Error) {
      const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
      if (error instanceof AeError) out.code = error.code;
      return [{ isError: true, value: out }, []];
    }
    return [{ isError: false, value: error }, []];
  },
  deserialize(serialized: unknown): never {
    const { isError, value } = serialized as { isError: boolean; value: unknown };
    if (!isError) throw value;
    const e = value as SerializedError;
    if (e.code) throw Object.assign(new AeError(e.code, e.message), { stack: e.stack });
    throw Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
  },
} as Comlink.TransferHandler<Thrown, unknown>);
