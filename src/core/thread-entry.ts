/**
 * How a Node worker thread starts a sibling module `name` of `moduleUrl`: the
 * compiled `name.js` in the installed package; from source, a bootstrap that
 * registers tsx (as bin/ae-demo.js does) and imports `name.ts`, since a
 * worker's `--import tsx` does not reach its entry module in Node 20. No Node
 * imports here: the PCA's browser build reaches this module too.
 */
export function threadEntry(
  moduleUrl: string,
  name: string,
): { script: URL | string; eval: boolean } {
  if (!moduleUrl.endsWith('.ts'))
    return { script: new URL(`./${name}.js`, moduleUrl), eval: false };
  const url = new URL(`./${name}.ts`, moduleUrl).href;
  let tsx = 'tsx/esm/api';
  try {
    tsx = import.meta.resolve(tsx);
  } catch {
    // Resolved from the working directory instead.
  }
  const script =
    `import(${JSON.stringify(tsx)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;
  return { script, eval: true };
}
