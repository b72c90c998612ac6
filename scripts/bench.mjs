// `npm run bench`: measures Threadline against its peers and its limits in
// one bounded run and writes BENCHMARKS.md. The benchmarks are TypeScript in
// bench/ (entry bench/run.ts); knobs are environment variables, listed in
// bench/config.ts and at the end of BENCHMARKS.md.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
