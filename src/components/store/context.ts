import { createContext } from '@lit/context';
import type { DemoStore } from './store.ts';

/**
 * The store of the `<ae-demo>` a part sits in, provided by the element and
 * consumed by every part below it (lit's context protocol: no hooks, no
 * globals). A new store per connection: the parts, told of it, compute again.
 */
export const storeContext = createContext<DemoStore | undefined>(Symbol('ae-demo-store'));
