/**
 * Registers TF.js's cpu backend (importing the package does). A module of its
 * own so that bundles give it a chunk named after it, which only
 * `initBackend({ backend: 'cpu' })` loads.
 */
import '@tensorflow/tfjs-backend-cpu';
