import * as Comlink from 'comlink';
import { api } from './api.ts';

/**
 * One `expose` per worker global, even if this module is evaluated twice (WebKit
 * evaluates a module worker's entry again when another chunk imports it; the
 * build keeps the entry imported by nothing, and this keeps a second copy from
 * answering every message a second time).
 */
const EXPOSED = Symbol.for('ae-demo.worker.exposed');
const scope = globalThis as typeof globalThis & { [EXPOSED]?: true };
if (!scope[EXPOSED]) {
  scope[EXPOSED] = true;
  Comlink.expose(api);
}
