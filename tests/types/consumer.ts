/**
 * A TypeScript page that uses the published element (`ae-demo/element`, the
 * types in dist/lib): its events' `detail` must be typed without a cast.
 * Checked by `npm run test:types` after the build; each line fails to compile
 * if the declarations in src/components/ae-demo/ae-demo.ts go missing.
 */
import type { AeDemo } from 'ae-demo/element';
import 'ae-demo/element';

const demo: AeDemo = document.createElement('ae-demo');
demo.addEventListener('ae-ready', (e) => {
  const k: number = e.detail.componentsFor90;
  const variance: number = e.detail.varianceAt90;
  console.log(k, variance);
});
demo.addEventListener('ae-progress', (e) => {
  const fraction: number = e.detail.fraction;
  console.log(fraction, e.detail.stage);
});
document.addEventListener('ae-error', (e) => {
  const code: string = e.detail.code;
  const message: string = e.detail.message;
  console.log(code, message);
});
window.addEventListener('ae-train-epoch', (e) => {
  const epoch: number = e.detail.epoch;
  console.log(epoch, e.detail.loss);
});
demo.addEventListener('ae-train-progress', (e) => {
  const paused: boolean = e.detail.paused;
  console.log(paused);
});
demo.addEventListener('ae-trained', (e) => {
  const kind: 'ae' | 'vae' = e.detail.kind;
  const score: number = e.detail.testScore;
  console.log(kind, score);
  // @ts-expect-error: a detail has only its own fields.
  console.log(e.detail.componentsFor90);
});
