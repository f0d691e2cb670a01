import type { PrecacheEntry } from '../src/sw/precache.ts';

/** Types of build-sw.mjs, for the tests that import it. */
export declare const SW_FILE: 'ae-demo-sw.js';
export declare function listFiles(dir: string): Promise<string[]>;
export declare function precacheManifest(
  dir: string,
): Promise<{ version: string; files: PrecacheEntry[]; bytes: number }>;
export declare function buildServiceWorker(
  dir: string,
): Promise<{ file: string; version: string; files: PrecacheEntry[]; bytes: number }>;
