// Compiles the service stylesheet (src/web/assets/application.scss, built on
// GOV.UK Frontend's Sass with our own font stack and colours) to
// <outDir>/application.css. Usable as a module (`buildCss()`) or directly:
//   node scripts/build-css.mjs [outDir]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as sass from 'sass';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'src', 'web', 'assets', 'application.scss');

/**
 * @param {{ outDir?: string }} [options] outDir is relative to the project root unless absolute
 * @returns {Promise<{ file: string, bytes: number }>}
 */
export async function buildCss({ outDir = 'dist/public' } = {}) {
  const target = resolve(ROOT, outDir);
  const result = await sass.compileAsync(ENTRY, {
    style: 'compressed',
    loadPaths: [join(ROOT, 'node_modules', 'govuk-frontend', 'dist'), join(ROOT, 'node_modules')],
    // govuk-frontend's own Sass may trip deprecations in newer Dart Sass
    // releases: those are not ours to fix, so keep the build output readable.
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'mixed-decls'].filter(isKnownDeprecation),
    sourceMap: false,
  });
  if (/font-family:\s*["']?GDS Transport/i.test(result.css)) {
    throw new Error('application.css would use the GDS Transport font: check $govuk-font-family');
  }
  await mkdir(target, { recursive: true });
  const file = join(target, 'application.css');
  await writeFile(file, result.css);
  return { file, bytes: Buffer.byteLength(result.css) };
}

/** Newer Dart Sass releases reject unknown or obsolete ids in silenceDeprecations. */
function isKnownDeprecation(id) {
  const known = sass.deprecations?.[id];
  return Boolean(known) && known.status === 'active';
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ?? 'dist/public';
  buildCss({ outDir })
    .then(({ file, bytes }) => console.log(`Built ${file} (${Math.round(bytes / 1024)} KB)`))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
