// HOUSE-STYLE enforces dependency direction by lint; with no linter in the repo yet, this test does it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('test-support'))
  .map((f) => f.split('\\').join('/'));
const source = (f: string) => readFileSync(join(SRC, f), 'utf8');
/** A file's folder as the rules name it: `core`, `(root)`, or `plugins/<name>` (each plugin is its own folder). */
const folderOf = (f: string) =>
  f.startsWith('plugins/') ? f.split('/').slice(0, 2).join('/') : f.includes('/') ? f.split('/')[0]! : '(root)';
const resolveSpec = (from: string, spec: string) =>
  relative(SRC, join(SRC, dirname(from), spec))
    .split('\\')
    .join('/');

/** Which folders each folder may import (HOUSE-STYLE, layout table). */
const ALLOWED: Record<string, string[]> = {
  util: ['util'],
  storage: ['storage', 'util'],
  transport: ['transport', 'util'],
  core: ['core', 'util', 'storage', 'transport'],
  queue: ['queue', 'util', 'storage', 'transport'],
  // Browser UI pieces the plugins share (capture form, contact check, element helper): never the client or its machinery.
  ui: ['ui', 'util'],
};
/** A plugin may import util, ui and its own folder; from the root only the `Plugin`/`PluginApi` types (never the client). */
const allowed = (folder: string) => (folder.startsWith('plugins/') ? [folder, 'util', 'ui'] : ALLOWED[folder]!);
const PLUGIN_TYPES = 'types.ts';

const imports = (f: string) =>
  [...source(f).matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({
    typeOnly: !!m[2],
    spec: m[3]!,
    line: m[0],
  }));

describe('module boundaries', () => {
  it.each(files.filter((f) => folderOf(f) !== '(root)' && folderOf(f) !== 'plugins'))('%s imports only what its folder may', (f) => {
    const bad = imports(f)
      .filter((i) => i.spec.startsWith('.'))
      .map((i) => ({ ...i, target: resolveSpec(f, i.spec).replace(/\.js$/, '.ts') }))
      .filter((i) => !(folderOf(f).startsWith('plugins/') && i.typeOnly && i.target === PLUGIN_TYPES))
      .map((i) => folderOf(i.target))
      .filter((folder) => !allowed(folderOf(f)).includes(folder));
    expect(bad).toEqual([]);
  });

  it('keeps plugins and their UI out of the npm core: nothing index.ts loads at runtime is under plugins/ or ui/', () => {
    const seen = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const i of imports(f)) if (i.spec.startsWith('.') && !i.typeOnly) visit(resolveSpec(f, i.spec).replace(/\.js$/, '.ts'));
    };
    visit('index.ts');
    expect(seen.has('client.ts')).toBe(true);
    expect([...seen].filter((f) => f.startsWith('plugins/') || f.startsWith('ui/'))).toEqual([]);
  });

  it('takes only types, numeric limits and the shared CTA URL rule from the protocol package, never its schemas', () => {
    const values = files.flatMap((f) =>
      imports(f)
        .filter((i) => i.spec === '@threadline/protocol' && !i.typeOnly)
        .flatMap((i) =>
          i.line
            .replace(/.*\{|\}.*/gs, '')
            .split(',')
            .map((n) => n.trim())
            .filter((n) => n && !n.startsWith('type ')),
        ),
    );
    expect(values.length).toBeGreaterThan(0);
    // isSafeCtaUrl: the one popup-link rule the collector validates with too (issue 8 §2), a few bytes with no valibot.
    for (const name of values) expect(name).toMatch(/^([A-Z_]+|isSafeCtaUrl)$/);
  });

  it('checks every plugin under plugins/<name>, and a plugin reaching into another or the client fails', () => {
    expect(files.some((f) => f.startsWith('plugins/popups/'))).toBe(true);
    expect(files.some((f) => f.startsWith('plugins/forms/'))).toBe(true);
    expect(allowed('plugins/popups')).not.toContain('plugins/forms');
    expect(allowed('plugins/popups')).not.toContain('(root)');
    expect(folderOf('plugins/forms/x.ts')).toBe('plugins/forms');
  });

  it('lets plugins share ui/, and keeps ui/ to util and itself', () => {
    expect(files.some((f) => f.startsWith('ui/'))).toBe(true);
    expect(allowed('plugins/forms')).toContain('ui');
    expect(allowed('ui')).toEqual(['ui', 'util']);
    for (const folder of ['core', 'queue', 'storage', 'transport', 'util']) expect(allowed(folder), folder).not.toContain('ui');
  });

  it('has no default exports, no eval and no new Function', () => {
    for (const f of files) expect(source(f), f).not.toMatch(/export default|\beval\(|new Function/);
  });

  it('names files in kebab-case', () => {
    for (const f of files) expect(f).toMatch(/^([a-z0-9-]+\/)*[a-z0-9-]+\.ts$/);
  });

  it('has side effects only in iife.ts', () => {
    const topLevelCalls = files.filter(
      (f) => f !== 'iife.ts' && /^(?!\s*(export|import|const|let|type|interface|function|\/\/|\/\*|\*|\}|\)|>|$))\S/m.test(source(f)),
    );
    expect(topLevelCalls).toEqual([]);
  });
});
