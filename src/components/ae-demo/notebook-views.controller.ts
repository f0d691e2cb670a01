import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { AeDemoHooks } from './host.ts';

/**
 * The notebook's model figures beyond training: PCA, AE and VAE
 * reconstructions side by side, the latent scatter and AE vs PCA by latent size.
 */
export class NotebookViewsController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly hooks: AeDemoHooks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {}

  render() {
    return nothing;
  }
}
