/**
 * Saving and loading models as TF.js model artifacts (model.json topology
 * plus one weights buffer), so files in Node, IndexedDB or a download in the
 * browser can be layered on top with the matching tf.io handlers.
 */
import { AeError } from '../errors.ts';
import { type AeConfig, type Autoencoder, createAutoencoder } from './autoencoder.ts';
import { tf } from './backend.ts';
import type { TrainableModel } from './model.ts';
import { type Vae, type VaeConfig, createVae } from './vae.ts';

/** Key under `userDefinedMetadata` that holds the architecture. */
const METADATA_KEY = 'aeDemo';

/**
 * The model's TF.js artifacts: its topology, weight specs and weights, with
 * the architecture under `userDefinedMetadata.aeDemo`. Optimiser state is not saved.
 */
export async function saveArtifacts(model: TrainableModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new AeError('BAD_ARGUMENT', 'The model produced no artifacts to save.');
  return {
    ...captured,
    userDefinedMetadata: { ...captured.userDefinedMetadata, [METADATA_KEY]: model.describe() },
  };
}

/**
 * Rebuilds a model from artifacts made by {@link saveArtifacts} (or loaded
 * back from files, IndexedDB or an upload by a tf.io handler).
 */
export async function loadArtifacts(artifacts: tf.io.ModelArtifacts): Promise<Autoencoder | Vae> {
  const meta = artifacts.userDefinedMetadata?.[METADATA_KEY] as
    { kind?: unknown; config?: unknown } | undefined;
  if (!meta || (meta.kind !== 'ae' && meta.kind !== 'vae') || typeof meta.config !== 'object') {
    throw new AeError(
      'BAD_ARGUMENT',
      'These model artifacts carry no ae-demo architecture (userDefinedMetadata.aeDemo); ' +
        'load artifacts saved by saveArtifacts.',
    );
  }
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const fresh =
    meta.kind === 'ae'
      ? createAutoencoder(meta.config as Partial<AeConfig>)
      : createVae(meta.config as Partial<VaeConfig>);
  try {
    const weights = loaded.getWeights();
    const expected = fresh.model.weights.map((w) => w.shape.join('×')).join(',');
    const got = weights.map((w) => w.shape.join('×')).join(',');
    if (expected !== got) {
      throw new AeError(
        'BAD_ARGUMENT',
        `The saved weights (${got}) do not fit the saved architecture (${expected}); the artifacts are damaged.`,
      );
    }
    fresh.model.setWeights(weights);
  } catch (e) {
    fresh.dispose();
    throw e;
  } finally {
    loaded.dispose();
  }
  return fresh;
}

/** A model as the two files of the TF.js layers format: model.json and one weights buffer. */
export interface LayersModelFiles {
  /** model.json, whose manifest names the weights `./<weightsName>`. */
  modelJson: tf.io.ModelJSON;
  weights: ArrayBuffer;
}

/** The model as model.json plus one weights buffer named `weightsName` in its manifest. */
export async function toModelFiles(
  model: TrainableModel,
  weightsName = 'weights.bin',
): Promise<LayersModelFiles> {
  const artifacts = await saveArtifacts(model);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  const weights = artifacts.weightData
    ? new tf.io.CompositeArrayBuffer(artifacts.weightData).slice()
    : new ArrayBuffer(0);
  return { modelJson, weights };
}

/** Rebuilds a model from model.json and the bytes of all its weight files, in manifest order. */
export async function fromModelFiles(
  modelJson: tf.io.ModelJSON,
  weights: ArrayBuffer,
): Promise<Autoencoder | Vae> {
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    weights,
  ]);
  return loadArtifacts(artifacts);
}
