/**
 * The TF.js namespace this package uses: tfjs-core (tensors, ops, `tf.train`,
 * `tf.io`) and tfjs-layers (`tf.layers`, `tf.model`, `tf.input`,
 * `tf.loadLayersModel`), re-exported as one module the way the umbrella
 * `@tensorflow/tfjs` does, without its WebGL backend, converter and tfjs-data
 * (189 MB of node_modules that nothing here uses). Everything else takes `tf`
 * from backend.ts; only backend.ts and matmul-fix.ts import this file.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
