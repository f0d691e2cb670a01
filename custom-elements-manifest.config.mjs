import { posix } from 'node:path';

/**
 * The Custom Elements Manifest of the package's elements, written next to the
 * library build so that it ships with it (package.json `customElements`).
 * https://custom-elements-manifest.open-wc.org/analyzer/config/
 */
export default {
  // The one public element. Its parts (src/components/<part>/, <ae-variance>, <ae-train>, …) are
  // internal: they live in its shadow root, and authors style them through its ::part()s.
  globs: ['src/components/ae-demo/*.ts'],
  exclude: ['src/components/**/*.styles.ts', 'src/components/**/*.test.ts'],
  outdir: 'dist/lib',
  litelement: true,
  // package.json names the manifest itself; the analyzer would rewrite it on every run.
  packagejson: false,
  plugins: [publicApiOnly(), pointAtBuiltModules()],
};

/**
 * Drops private members, and the attributes the analyzer derives from them:
 * it reads Lit's `static properties` without `state: true`, so internal
 * reactive state would otherwise be listed as attributes.
 */
function publicApiOnly() {
  return {
    name: 'ae-demo-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.kind !== 'class') continue;
          const hidden = new Set(
            (declaration.members ?? []).filter((m) => m.privacy === 'private').map((m) => m.name),
          );
          declaration.members = declaration.members?.filter((m) => !hidden.has(m.name));
          declaration.attributes = declaration.attributes?.filter((a) => !hidden.has(a.fieldName));
        }
      }
    },
  };
}

/**
 * The manifest's paths name the JavaScript a consumer imports, so
 * `src/x.ts` becomes `dist/lib/x.js`, which is what tsconfig.build.json emits;
 * re-exports written relative to their module (`./x.ts`) are resolved first.
 */
function pointAtBuiltModules() {
  const built = (file) => file.replace(/^\/?src\/(.*)\.ts$/, 'dist/lib/$1.js');
  const visit = (node, from) => {
    if (Array.isArray(node)) node.forEach((child) => visit(child, from));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'path' || key === 'module') && typeof value === 'string') {
          node[key] = built(value.startsWith('.') ? posix.join(posix.dirname(from), value) : value);
        } else visit(value, from);
      }
    }
  };
  return {
    name: 'ae-demo-point-at-built-modules',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) visit(mod, mod.path);
    },
  };
}
