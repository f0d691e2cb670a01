/**
 * The parts that draw with the models, in one chunk that `<ae-demo>` loads
 * after the first PCA results (see sections.ts): the notebook's model
 * figures, the VAE's samples, the training panel and the figures beyond the
 * notebook.
 */
import '../compare/ae-compare.ts';
import '../latent/ae-latent.ts';
import '../reconstructions/ae-reconstructions.ts';
import '../samples/ae-samples.ts';
import '../train/ae-train.ts';
import '../walk/ae-walk.ts';
import '../interpolate/ae-interpolate.ts';
import '../draw/ae-draw.ts';
import '../plane-curve/ae-plane-curve.ts';
