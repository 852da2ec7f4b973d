/** `npm run bench -- <name> [options]`: runs one benchmark from bench/, or lists them. */
import { BENCHES } from './benches';

const [benchName, ...rest] = process.argv.slice(2);
if (!benchName || !Object.hasOwn(BENCHES, benchName)) {
  console.log('usage: npm run bench -- <name> [options]\n');
  for (const [key, what] of Object.entries(BENCHES)) console.log(`  ${key.padEnd(12)} ${what}`);
  process.exit(benchName ? 2 : 0);
}
process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
void import(`./${benchName}`);
