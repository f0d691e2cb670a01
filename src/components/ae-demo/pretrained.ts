import type { ModelSource } from '../../worker/bridge.ts';

/**
 * The models shipped with the element, trained with the notebook's presets;
 * 'dae' is the notebook autoencoder trained as a denoiser (gaussian:0.3).
 */
export type PretrainedModel = 'ae' | 'vae' | 'dae';

/**
 * Where the shipped weights are: pretrained/'s float32 models stored in the
 * smallest encoding within 1 % of their test score (build/models/, written by
 * scripts/build-models.ts; uint8 per tensor, a quarter of the bytes, then
 * gzip, since hosts seldom compress .bin files; the worker gunzips it). Both files are named, not just model.json:
 * bundlers give each asset a hashed name, so the `./weights.bin` path inside
 * model.json no longer finds its file. Written as `new URL(…, import.meta.url)`
 * so that bundlers ship the files and the URLs follow the script.
 */
export function pretrainedModel(kind: PretrainedModel): ModelSource & { url: string } {
  switch (kind) {
    case 'ae':
      return {
        url: new URL('../../../build/models/ae-notebook/model.json', import.meta.url).href,
        weightsUrl: new URL('../../../build/models/ae-notebook/weights.bin.gz', import.meta.url)
          .href,
      };
    case 'vae':
      return {
        url: new URL('../../../build/models/vae-notebook/model.json', import.meta.url).href,
        weightsUrl: new URL('../../../build/models/vae-notebook/weights.bin.gz', import.meta.url)
          .href,
      };
    case 'dae':
      return {
        url: new URL('../../../build/models/dae-notebook/model.json', import.meta.url).href,
        weightsUrl: new URL('../../../build/models/dae-notebook/weights.bin.gz', import.meta.url)
          .href,
      };
  }
}
