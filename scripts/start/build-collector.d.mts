import type { BuildOptions } from 'esbuild';

export declare function nodeBundle(root: string): BuildOptions;
export declare function buildCollector(root: string): Promise<void>;
