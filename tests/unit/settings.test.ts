import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { defaultSettings } from '../../src/core/settings.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const settingsPath = join(root, 'src/core/settings.ts');

describe('src/core/settings.ts', () => {
  test('imports nothing but core modules without packages, however deep', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        const where = `${relative(root, file)} imports "${fileName}"`;
        assert.ok(fileName.startsWith('.'), `${where}: a package (TF.js? lit?) has no place here`);
        const target = resolve(dirname(file), fileName);
        assert.ok(
          target.startsWith(join(root, 'src/core') + '/') && !target.includes('/models/'),
          `${where}: outside src/core, or a model module (they load TF.js)`,
        );
        visit(target);
      }
    };
    visit(settingsPath);
  });

  test('loads no package in a fresh Node', async () => {
    // Records every module the child resolves, through a resolve hook in the loader thread.
    const hooks = `
      let port; const urls = [];
      export function initialize(data) {
        port = data.port;
        port.on('message', () => port.postMessage(urls));
        port.unref();
      }
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        urls.push(result.url);
        return result;
      }`;
    const child = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), {
        data: { port: port2 }, transferList: [port2],
      });
      await import(${JSON.stringify(pathToFileURL(settingsPath).href)});
      port1.once('message', (urls) => { console.log(JSON.stringify(urls)); port1.close(); });
      port1.postMessage('list');`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', child],
      { cwd: root },
    );
    const urls: string[] = JSON.parse(stdout);
    assert.ok(
      urls.some((u) => u.endsWith('/src/core/settings.ts')),
      `the hook saw the import: ${stdout}`,
    );
    const packages = urls.filter((u) => u.includes('/node_modules/') || u.includes('tensorflow'));
    assert.deepEqual(packages, [], 'settings.ts pulled in packages');
  });

  test('a preset\'s "all training digits" is what each surface has', () => {
    assert.equal(defaultSettings('notebook', 'ae', 'element').trainSize, 12_000);
    assert.equal(defaultSettings('notebook', 'vae', 'cli').trainSize, 60_000);
    assert.equal(defaultSettings('web', 'ae', 'cli').trainSize, 12_000);
    assert.equal(defaultSettings('quick', 'vae', 'cli').trainSize, 2000);
  });

  test('an unknown preset starts from quick', () => {
    assert.deepEqual(defaultSettings('huge', 'ae'), defaultSettings('quick', 'ae'));
  });
});
