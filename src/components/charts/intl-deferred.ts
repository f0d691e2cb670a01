// Imported by charts.ts just before uplot: see deferIntl.
import { deferIntl } from './locale.ts';

/** Puts the real Intl constructors back; charts.ts imports ./intl-restored.ts right after uplot. */
export const restoreIntl = deferIntl();
