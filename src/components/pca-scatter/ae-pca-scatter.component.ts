import { html, nothing } from 'lit';
import '../scatter/ae-scatter.ts';
import { digitLegend, percent } from '../shared/legend.ts';
import { number } from '../ae-demo/words.ts';
import { partStyles } from '../shared/part.styles.ts';
import { AeView } from '../store/view.ts';

/** Every digit on the first two principal components, coloured by label; hover or arrow keys pick one. */
export class AePcaScatter extends AeView {
  static override styles = [partStyles];

  override render() {
    const store = this.store;
    const pca = store?.pca;
    if (!store || !pca) return nothing;
    const r = pca.result;
    const key = pca.dataset.key;
    const labelled = pca.dataset.labels !== undefined;
    return html`<figure part="figure" data-figure="scatter">
      <figcaption>First two principal components</figcaption>
      <ae-scatter
        name="pca"
        live="scatter"
        interactive
        description="Scatter of the digits on PC1 and PC2${labelled ? ', coloured by label' : ''}."
        signature=${`${key}:${r.samples}`}
        .xy=${r.scores}
        .labels=${pca.dataset.labels}
        ?unlabelled=${!labelled}
        .shape=${store.shape()}
        .axes=${['PC1', 'PC2']}
        .theme=${store.host.theme()}
        .digit=${(index: number) => store.bridge.image(store.signal, key, index)}
      ></ae-scatter>
      ${labelled ? digitLegend() : nothing}
      <p class="summary" data-summary="scatter">
        All ${number(r.samples)} ${labelled ? 'digits' : 'images'} on PC1 and PC2, which together
        explain ${percent(r.cumulativeVariance[1], 1)} of the
        variance${labelled ? '' : ' (no labels, so one colour)'}. Hover a point to see its
        ${labelled ? 'digit' : 'image'}.
      </p>
    </figure>`;
  }
}
