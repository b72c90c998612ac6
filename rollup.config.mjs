// Builds the browser SDK (packages/sdk): the npm ESM, the script-tag IIFE the
// collector serves at /threadline.js, the paste-in snippet and type declarations.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { minify } from 'terser';
import ts from 'typescript';

const root = dirname(fileURLToPath(import.meta.url));
const sdk = join(root, 'packages/sdk');
const dist = join(sdk, 'dist');
const tsconfig = join(sdk, 'tsconfig.build.json');
/** Unbundled declarations, an intermediate step: removed once dist/types is written. */
const types = join(dist, '.types');

/**
 * ESM entry points: the core and one per opt-in feature plugin (HOUSE-STYLE: the
 * core never imports a feature). Each becomes dist/<name>.js and a package
 * export (`@threadline/sdk/<name>`); what they share goes into dist/chunks/.
 */
const esmEntries = {
  index: join(sdk, 'src/index.ts'),
  forms: join(sdk, 'src/plugins/forms/index.ts'),
  popups: join(sdk, 'src/plugins/popups/index.ts'),
  'web-push': join(sdk, 'src/plugins/web-push/index.ts'),
};

// Paths are absolute so `npm run build -w @threadline/sdk` (cwd packages/sdk) and a root run agree.
rmSync(dist, { recursive: true, force: true });

const compile = () =>
  typescript({
    tsconfig,
    filterRoot: root,
    include: ['packages/sdk/src/**/*.ts', 'packages/protocol/src/**/*.ts'],
    exclude: ['**/*.test.ts'],
    outDir: dist,
    declaration: false,
    sourceMap: true,
  });
// pure_getters: ~8 B gzip off the core (passes 3: 0 B). Not unsafe_arrows/unsafe_methods (~14 B more): the
// snippet's stub is stringified from this build and must stay ES5-shaped (snippet.ts).
const minified = (module) => terser({ module, ecma: 2020, compress: { passes: 2, pure_getters: true }, format: { comments: false } });

/** Declarations of the SDK and protocol sources into dist/.types via the TypeScript API, for the bundling step below. */
const declarations = () => ({
  name: 'declarations',
  writeBundle() {
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(tsconfig, ts.sys.readFile).config, ts.sys, sdk);
    const options = {
      ...config.options,
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
      rootDir: join(root, 'packages'),
      outDir: types,
    };
    // The protocol is a root so it is emitted too: reached only through
    // node_modules, TypeScript would treat it as a library and skip it.
    const program = ts.createProgram([...Object.values(esmEntries), join(root, 'packages/protocol/src/index.ts')], options);
    const result = program.emit();
    const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
    if (errors.length) this.error(ts.formatDiagnosticsWithColorAndContext(errors, ts.createCompilerHost(options)));
  },
});

/**
 * The published declarations are bundled per entry (dist/types/<entry>.d.ts)
 * with the protocol's wire types inlined: the package does not depend on
 * @threadline/protocol, so a .d.ts importing it would fail a strict compile
 * and turn every popup type into `any` under skipLibCheck (issue 8 §6).
 */
const protocolTypes = () => ({
  name: 'protocol-types',
  resolveId: (id) => (id === '@threadline/protocol' ? join(types, 'protocol/src/index.d.ts') : null),
});
const removeTypesDir = () => ({ name: 'remove-types-dir', writeBundle: () => rmSync(types, { recursive: true, force: true }) });

/** dist/snippet.min.js: the stub from the built ESM, with placeholders the serving side replaces. */
const snippetFile = () => ({
  name: 'snippet-file',
  async writeBundle() {
    const { snippet } = await import(`${pathToFileURL(join(dist, 'index.js')).href}?${Date.now()}`);
    const body = snippet({ host: '__THREADLINE_HOST__', writeKey: '__THREADLINE_WRITE_KEY__' });
    const { code } = await minify(body, { ecma: 2020, compress: { passes: 2 }, format: { comments: false } });
    writeFileSync(join(dist, 'snippet.min.js'), `${code}\n`);
  },
});

export default [
  {
    input: esmEntries,
    external: ['idb-keyval', 'js-cookie'],
    output: {
      dir: dist,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
      plugins: [minified(true)],
    },
    plugins: [resolve({ extensions: ['.ts', '.js'] }), compile(), declarations(), snippetFile()],
  },
  {
    input: join(sdk, 'src/iife.ts'),
    output: { file: join(dist, 'threadline.js'), format: 'iife', sourcemap: true, plugins: [minified(false)] },
    plugins: [resolve({ browser: true, extensions: ['.ts', '.js'] }), compile()],
  },
  {
    input: Object.fromEntries(
      Object.keys(esmEntries).map((name) => [
        name,
        join(types, relative(join(root, 'packages'), esmEntries[name]).replace(/\.ts$/, '.d.ts')),
      ]),
    ),
    // valibot: the protocol's schemas import it, but no SDK type reaches them, so nothing of it is emitted.
    external: ['idb-keyval', 'js-cookie', 'valibot'],
    output: {
      dir: join(dist, 'types'),
      entryFileNames: '[name].d.ts',
      chunkFileNames: (c) => `chunks/${c.name.replace(/\.d$/, '')}-[hash].d.ts`,
      format: 'es',
    },
    plugins: [protocolTypes(), dts({ respectExternal: true }), removeTypesDir()],
  },
];
