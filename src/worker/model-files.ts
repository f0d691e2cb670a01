/**
 * Downloading a model's files, without TF.js: the worker API starts this
 * while the models chunk (TF.js) is still loading, so the weights and the
 * library come in parallel rather than one after the other.
 */
import { fetchBytes, maybeGunzip } from '../core/data/load.ts';
import { AeError } from '../core/errors.ts';
import type { tf } from '../core/models/backend.ts';
import { shortUrl } from '../core/short-url.ts';

/** A model's model.json, parsed, and the bytes of all its weights, in manifest order. */
export interface FetchedModel {
  json: tf.io.ModelJSON;
  weights: ArrayBuffer;
}

/** model.json text as a TF.js ModelJSON, or BAD_ARGUMENT naming `where`. */
export function parseModelJson(text: string, where: string): tf.io.ModelJSON {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (cause) {
    throw new AeError('BAD_ARGUMENT', `${where} is not JSON: ${(cause as Error).message}.`, {
      cause,
    });
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) {
    throw new AeError('BAD_ARGUMENT', `${where} is not a TF.js model.json (no modelTopology).`);
  }
  return json;
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out.buffer;
}

/** model.json and its weights from a URL (the weights at `weightsUrl`, or where the manifest says). */
export async function fetchModelFiles(
  source: { url: string; weightsUrl?: string },
  signal?: AbortSignal,
): Promise<FetchedModel> {
  const text = new TextDecoder().decode(
    await fetchBytes(source.url, { signal, expected: 'a TF.js model.json' }),
  );
  const json = parseModelJson(text, shortUrl(source.url));
  const urls = source.weightsUrl
    ? [source.weightsUrl]
    : (json.weightsManifest ?? []).flatMap((g) => g.paths).map((p) => new URL(p, source.url).href);
  // A weights file may be gzip (the shipped ones are: hosts seldom compress .bin), told apart by content.
  const parts = await Promise.all(
    urls.map(async (u) =>
      maybeGunzip(
        await fetchBytes(u, { signal, expected: "the model's weights file" }),
        shortUrl(u),
      ),
    ),
  );
  return { json, weights: concat(parts) };
}
