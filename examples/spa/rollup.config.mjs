// Builds the SPA example into examples/spa/dist/app.js: the app and the parts of
// @threadline/sdk it imports, resolved from node_modules as any app would.
// Run from the repo root: npm run build:examples (after the SDK is built).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const here = dirname(fileURLToPath(import.meta.url));

export default {
  input: join(here, 'src/main.ts'),
  output: {
    file: join(here, 'dist/app.js'),
    format: 'es',
    sourcemap: true,
    plugins: [terser({ module: true, ecma: 2020, format: { comments: false } })],
  },
  plugins: [
    resolve({ browser: true, extensions: ['.ts', '.js'] }),
    // noEmitOnError: a type error fails the build rather than printing a warning.
    typescript({ tsconfig: join(here, 'tsconfig.json'), include: [join(here, 'src/**/*.ts')], noEmitOnError: true }),
  ],
};
