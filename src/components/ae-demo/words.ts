import { AeError } from '../../core/errors.ts';
import { shortUrlsIn } from '../../core/short-url.ts';
import { formatNumber } from '../shared/format.ts';
import type { AeErrorDetail } from './events.ts';

/**
 * The `{ code, message }` of anything thrown: an AeError's own, else INTERNAL
 * with its message. URLs in it are shortened (a browser's or TF.js's own
 * messages can hold a whole data: URL).
 */
export function errorDetail(error: unknown): AeErrorDetail {
  return error instanceof AeError
    ? { code: error.code, message: shortUrlsIn(error.message) }
    : {
        code: 'INTERNAL',
        message: shortUrlsIn(error instanceof Error ? error.message : String(error)),
      };
}

/** A whole number as the summaries write it: 10,000. */
export const number = (v: number): string => formatNumber(Math.round(v), 0);

/** "1 epoch", "12,000 digits". */
export const plural = (n: number, word: string): string =>
  `${number(n)} ${word}${n === 1 ? '' : 's'}`;

/** A label as it reads inside a sentence: "The shipped VAE" → "the shipped VAE". */
export const inSentence = (label: string): string => label.charAt(0).toLowerCase() + label.slice(1);
