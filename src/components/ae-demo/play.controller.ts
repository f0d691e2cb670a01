import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { AeDemoHooks } from './host.ts';

/**
 * Beyond the notebook: a latent walk, interpolation between two digits and a
 * pad to draw a digit on, each decoded live in the worker.
 */
export class PlayController implements ReactiveController {
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
