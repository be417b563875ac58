#!/usr/bin/env node
// The Node SDK worker of the iii-java benchmarks (see dev.iii.bench.ScenarioRunner).
//
//   node worker.mjs --url ws://127.0.0.1:PORT
//
// Registers bench::echo (returns its input), prints "ready" on stdout, and runs until stdin closes.
// Only protocol lines go to stdout; the SDK's console output goes to stderr.
import { registerWorker } from 'iii-sdk';

const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.info = console.debug = console.error;

const urlIndex = process.argv.indexOf('--url');
const url = urlIndex >= 0 ? process.argv[urlIndex + 1] : undefined;
if (!url) {
  console.error('usage: node worker.mjs --url ws://host:port');
  process.exit(2);
}

const iii = registerWorker(url, {
  workerName: 'bench-node-worker',
  enableMetricsReporting: false,
  otel: { enabled: false },
});
iii.registerFunction('bench::echo', async (data) => data);

// The caller's first call tells when the function is really there; this only says we are up.
writeOut('ready\n');

process.stdin.on('data', () => {});
process.stdin.on('end', async () => {
  await iii.shutdown().catch(() => {});
  process.exit(0);
});
