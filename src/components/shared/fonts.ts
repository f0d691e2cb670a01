import { idleTask } from './render-slice.ts';

/**
 * The fonts the element sets its text in, as `font-weight font-size` (with
 * `monospace` for code) over the element's own family: its headings,
 * captions, summaries, controls and legends, and the charts' 12 px axes.
 * tests/e2e/fonts.spec.ts checks that every text of the rendered element is
 * in one of them.
 */
export const TEXT_FONTS: readonly string[] = [
  '700 1.15rem', // the sections' headings
  '600 1rem', // figure captions
  '400 1rem', // the status line
  '400 0.9rem', // summaries, controls, buttons
  '400 0.85rem', // legends, digit labels, pending lines
  '400 0.8rem', // small print under the scatter and the pad
  '700 1rem', // the training panel's heading
  '400 12px', // the charts' axes (drawn on canvas)
  '400 0.9rem monospace', // code
];

const SAMPLE = 'Ag 0123456789 .,:;%()–−…×·→²σμ±';

/**
 * Resolves each of TEXT_FONTS once, one per task, while the page is idle.
 * A browser looks a font up (family, weight, style and size) the first time
 * text needs it; here, at 4× CPU throttling, each first use costs 4–9 ms of
 * the layout or canvas draw that meets it, and a figure's first render meets
 * several at once (measured: a 35 ms layout of 11 objects, and uPlot's first
 * `setFontStyle`). Done ahead, in tasks of their own, those renders find the
 * fonts ready. `root` is the element's shadow root; the probe inherits its
 * family and leaves nothing behind. Stops early when `signal` aborts.
 */
export async function warmFonts(root: ShadowRoot, signal?: AbortSignal): Promise<void> {
  const doc = root.ownerDocument;
  const probe = doc.createElement('div');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.cssText =
    'position:absolute;left:0;top:0;width:0;height:0;overflow:hidden;visibility:hidden;contain:strict;white-space:nowrap';
  root.append(probe);
  try {
    for (const font of TEXT_FONTS) {
      await idleTask();
      if (signal?.aborted || !probe.isConnected) return;
      const [weight, size, family] = font.split(' ');
      const span = doc.createElement('span');
      span.style.fontWeight = weight;
      span.style.fontSize = size;
      if (family) span.style.fontFamily = family;
      span.textContent = SAMPLE;
      probe.append(span);
      // Lays the span out now, in this task: that is when the font is looked up.
      span.getBoundingClientRect();
      if (!family && size.endsWith('px'))
        warmCanvasFont(`${size} ${getComputedStyle(span).fontFamily}`);
    }
  } finally {
    probe.remove();
  }
}

/** A canvas resolves its `font` on its own: the charts' axes draw in this one. */
function warmCanvasFont(font: string): void {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return;
  ctx.font = font;
  ctx.measureText(SAMPLE);
}
