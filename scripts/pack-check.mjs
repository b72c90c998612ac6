// `npm run test:pack` (part of `npm test`, after the build): the SDK as an npm
// user gets it (issue 8 §6). Packs packages/sdk, installs the tarball into a
// fresh app outside the workspace, compiles that app with strict TypeScript and
// no skipLibCheck against each entry (`@threadline/sdk`, `/forms`, `/popups`, `/web-push`)
// under both module resolutions an app uses (NodeNext and Bundler), and runs
// publint on the installed package. The app's files use @ts-expect-error on
// misuse, so declarations that fell back to `any` fail the compile too.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdk = join(root, 'packages/sdk');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

if (!existsSync(join(sdk, 'dist/types/index.d.ts'))) {
  console.error('pack-check: packages/sdk/dist is missing; run `npm run build` first');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'threadline-pack-'));
let failed = false;
try {
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], sdk));
  const app = join(work, 'app');
  cpSync(join(root, 'scripts/pack-check/app'), app, { recursive: true });
  const manifest = { name: 'pack-check-app', private: true, type: 'module', dependencies: { '@threadline/sdk': `file:../${filename}` } };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  // --prefer-offline: the SDK's two dependencies are in the npm cache after any install of this repo.
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], app);

  const strict = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] };
  for (const [module, moduleResolution] of [
    ['NodeNext', 'NodeNext'],
    ['ESNext', 'Bundler'],
  ]) {
    const config = { compilerOptions: { ...strict, module, moduleResolution }, files: ['core.ts', 'forms.ts', 'popups.ts', 'web-push.ts'] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(config, null, 2));
    try {
      execFileSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8', stdio: 'pipe' });
      console.log(`pack-check: ${filename} compiles strictly with ${moduleResolution} resolution`);
    } catch (err) {
      failed = true;
      console.error(`pack-check: strict compile with ${moduleResolution} resolution failed:\n${err.stdout}${err.stderr}`);
    }
  }

  const pkgDir = join(app, 'node_modules/@threadline/sdk');
  const { messages, pkg } = await publint({ pkgDir, strict: true, pack: false });
  for (const m of messages) console.error(`publint ${m.type}: ${formatMessage(m, pkg)}`);
  if (messages.length) failed = true;
  else console.log('pack-check: publint found nothing');
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
