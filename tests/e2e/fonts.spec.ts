import { expect, test } from '@playwright/test';
import { TEXT_FONTS } from '../../src/components/shared/fonts.ts';
import { collectErrors } from './helpers.ts';

// The element resolves its fonts ahead, while the page is idle (src/components/shared/fonts.ts):
// a font first met by a figure's render costs that render 4–9 ms at 4× CPU throttling. That
// only helps if the list names every font the element's text is set in.
test('every text of the element is in a font the element resolves ahead', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('canvas[data-digits=samples]')).toHaveAttribute('data-drawn', 'true', {
    timeout: 60_000,
  });
  await expect(demo.getByRole('button', { name: 'Train an autoencoder here' })).toBeVisible();
  // The warm-up leaves nothing behind in the shadow root.
  await expect
    .poll(() => demo.evaluate((el) => el.shadowRoot!.querySelectorAll(':scope > div').length))
    .toBe(0);

  const { used, warmed } = await demo.evaluate((el, fonts) => {
    const key = (s: CSSStyleDeclaration) =>
      `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const used = new Map<string, string>();
    const TEXT_CONTROLS = ['BUTTON', 'SELECT', 'OPTION', 'TEXTAREA'];
    const walk = (root: ShadowRoot) => {
      for (const node of root.querySelectorAll('*')) {
        if (node.shadowRoot) walk(node.shadowRoot);
        const input = node instanceof HTMLInputElement ? node.type : '';
        const hasText =
          [...node.childNodes].some(
            (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim(),
          ) ||
          TEXT_CONTROLS.includes(node.tagName) ||
          ['file', 'number', 'text'].includes(input);
        if (!hasText) continue;
        const k = key(getComputedStyle(node));
        if (!used.has(k))
          used.set(
            k,
            `<${node.tagName.toLowerCase()} ${input} in ${(node.getRootNode() as ShadowRoot).host.tagName.toLowerCase()}> "${node.textContent!.trim().slice(0, 40)}"`,
          );
      }
    };
    walk(el.shadowRoot!);
    // The list's fonts as the warm-up sets them: in a span in the element's shadow root.
    const probe = document.createElement('div');
    el.shadowRoot!.append(probe);
    const warmed = fonts.map((font) => {
      const [weight, size, family] = font.split(' ');
      const span = document.createElement('span');
      span.style.fontWeight = weight;
      span.style.fontSize = size;
      if (family) span.style.fontFamily = family;
      probe.append(span);
      return key(getComputedStyle(span));
    });
    probe.remove();
    return { used: [...used], warmed };
  }, TEXT_FONTS);

  expect(used.length).toBeGreaterThan(3);
  const missing = used.filter(([k]) => !warmed.includes(k)).map(([k, where]) => `${k} (${where})`);
  expect(missing, 'fonts to add to TEXT_FONTS in src/components/shared/fonts.ts').toEqual([]);
  expect(errors).toEqual([]);
});
