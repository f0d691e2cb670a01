import { AeError } from '../../core/errors.ts';
import { shortUrl } from '../../core/short-url.ts';
import type { ModelFiles } from '../../worker/bridge.ts';

/** The parts of a TF.js model.json read here (TF.js itself stays in the worker). */
interface ManifestJson {
  userDefinedMetadata?: { aeDemo?: unknown };
  weightsManifest?: {
    paths?: unknown;
    weights?: { shape?: number[]; dtype?: string; quantization?: unknown }[];
  }[];
}

/** A downloaded model read from the files a person chose: what the worker's loadModel takes. */
export interface ChosenModel extends ModelFiles {
  /** The .json file's name. */
  name: string;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

const baseName = (path: string) => path.split(/[/\\]/).pop() ?? path;
// Messages name files short: a name can be any length, and a manifest's paths any string.
const names = (files: File[]) => files.map((f) => shortUrl(f.name)).join(', ');

function badFiles(message: string): AeError {
  return new AeError('BAD_ARGUMENT', message);
}

/**
 * Reads a model downloaded with "Download model" back from the files chosen
 * in a file input: one model.json and the weights file(s) its manifest names,
 * in the manifest's order. A single weights file may have another name (a
 * browser renames a second download "… (1).bin"). Wrong choices (one file,
 * a mismatched pair, another project's model) fail with a BAD_ARGUMENT
 * AeError that says which files to choose.
 */
export async function readModelFiles(chosen: ArrayLike<File>): Promise<ChosenModel> {
  const files = Array.from(chosen);
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  const bins = files.filter((f) => /\.bin$/i.test(f.name));
  const others = files.filter((f) => !jsons.includes(f) && !bins.includes(f));
  const both = 'Choose both files of a downloaded model together: its .json and its .weights.bin.';
  if (others.length) {
    throw badFiles(`${names(others)}: not a model's .json or .bin file. ${both}`);
  }
  if (jsons.length !== 1) {
    throw badFiles(
      jsons.length
        ? `Choose one model at a time: got ${jsons.length} .json files (${names(jsons)}).`
        : `${names(bins)} holds only weights. ${both}`,
    );
  }
  const [jsonFile] = jsons;
  const jsonName = shortUrl(jsonFile.name);
  const modelJson = await jsonFile.text();
  let json: ManifestJson;
  try {
    json = JSON.parse(modelJson) as ManifestJson;
  } catch {
    throw badFiles(`${jsonName} is not JSON, so not a TF.js model.json. ${both}`);
  }
  const groups = Array.isArray(json?.weightsManifest) ? json.weightsManifest : undefined;
  const paths = groups?.flatMap((g) => (Array.isArray(g.paths) ? g.paths : [])).map(String);
  if (!groups || !paths?.length) {
    throw badFiles(`${jsonName} is not a TF.js model.json (it has no weightsManifest). ${both}`);
  }
  // The worker checks this too; here it costs nothing and names the file.
  if (!json.userDefinedMetadata?.aeDemo) {
    throw badFiles(
      `${jsonName} is a TF.js model but not one saved by ae-demo (it has no ` +
        'userDefinedMetadata.aeDemo). Choose the files that "Download model" saved.',
    );
  }
  const wanted = paths.map(baseName);
  const wantedNames = wanted.map((w) => shortUrl(w));
  if (bins.length === 0) {
    throw badFiles(
      `${jsonName} needs its weights too: choose ${wantedNames.join(' and ')} with it.`,
    );
  }
  let ordered = wanted.map((w) => bins.find((b) => b.name === w));
  if (ordered.some((b) => !b)) {
    if (wanted.length !== 1 || bins.length !== 1) {
      throw badFiles(
        `${jsonName} needs ${wantedNames.join(', ')}; got ${names(bins)}. ` +
          'Choose the weights file downloaded with it.',
      );
    }
    ordered = bins;
  }
  const parts = await Promise.all(ordered.map((f) => f!.arrayBuffer()));
  const weights = concat(parts);
  const expected = expectedBytes(groups);
  if (expected !== undefined && expected !== weights.byteLength) {
    throw badFiles(
      `${names(ordered as File[])} holds ${weights.byteLength} bytes of weights but ` +
        `${jsonName} describes ${expected}: they are not from the same model. ` +
        'Choose the weights file downloaded with it.',
    );
  }
  return { name: jsonFile.name, modelJson, weights };
}

/** The weights' size the manifest describes; undefined if it cannot tell (quantised, odd types). */
function expectedBytes(groups: NonNullable<ManifestJson['weightsManifest']>): number | undefined {
  let total = 0;
  for (const spec of groups.flatMap((g) => g.weights ?? [])) {
    const size = BYTES_PER_ELEMENT[spec.dtype ?? ''];
    if (!size || spec.quantization || !Array.isArray(spec.shape)) return undefined;
    total += size * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
