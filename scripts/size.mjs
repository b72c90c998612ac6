// `npm run size` (part of `npm test`): measures each SDK import shape (min,
// gzip, brotli) and fails naming any entry over its budget. The budgets live
// in bench/size/budgets.json; the code is bench/size/check-budgets.ts.
// One-off override: `npm run size -- --budget core=1000`. Run after `npm run build`.
import { register } from 'tsx/esm/api';

register();
const { checkBudgets } = await import('../bench/size/check-budgets.ts');
process.exitCode = await checkBudgets(process.argv.slice(2));
