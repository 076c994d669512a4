// Lets a child process run the service's TypeScript as it is (no build), for tests that need a
// real second process to kill: `node --import ./test/integration/processes/register.mjs src/main.ts`.
// Each file is transpiled on its own (the project compiles with isolatedModules).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import ts from 'typescript';

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  esModuleInterop: true,
  inlineSourceMap: true,
};

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/')) && context.parentURL?.startsWith('file:')) {
    const url = new URL(specifier, context.parentURL);
    const tsPath = fileURLToPath(url).replace(/\.js$/, '.ts');
    if (!existsSync(fileURLToPath(url)) && existsSync(tsPath)) return { url: pathToFileURL(tsPath).href, shortCircuit: true, format: 'module' };
  }
  return next(specifier, context);
}

// Transpiled output is kept by content hash, so a second child process starts faster.
const cacheDir = join(tmpdir(), 'scf-test-ts-loader');
mkdirSync(cacheDir, { recursive: true });

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const path = fileURLToPath(url);
    const source = readFileSync(path, 'utf8');
    const cached = join(cacheDir, createHash('sha256').update(path).update(source).digest('hex') + '.js');
    if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: path });
    writeFileSync(cached, outputText);
    return { format: 'module', source: outputText, shortCircuit: true };
  }
  return next(url, context);
}
