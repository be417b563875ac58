#!/usr/bin/env node
// The Node SDK caller of the iii-java benchmarks (see dev.iii.bench.LoadProtocol for the protocol).
//
//   node caller.mjs --url ws://127.0.0.1:PORT --payload '{"id":123,...}' [--function bench::echo]
//
// stdout: "ready" once the function answered a first call; "result {json}" after each "stop".
// stdin:  "load N" (keep N calls in flight, 0 = pause), "start", "stop", "quit".
// Latencies of the calls completed within a window are kept and sorted at "stop".
import { registerWorker } from 'iii-sdk';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.info = console.debug = console.error;

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const url = arg('--url');
const payloadJson = arg('--payload');
const functionId = arg('--function', 'bench::echo');
if (!url || !payloadJson) {
  console.error("usage: node caller.mjs --url ws://host:port --payload '<json>'");
  process.exit(2);
}
const payload = JSON.parse(payloadJson);

const iii = registerWorker(url, {
  workerName: 'bench-node-caller',
  enableMetricsReporting: false,
  otel: { enabled: false },
});

const call = () => iii.trigger({ function_id: functionId, payload, timeoutMs: 30000 });
const isEcho = (result) => result !== null && typeof result === 'object' && result.id === payload.id && result.name != null;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- statistics of the current window ---------------------------------------------------------
let latenciesUs = [];
let errorsInWindow = 0;
let errorsTotal = 0;
let firstError = null;
let windowStart = performance.now();

function failure(error) {
  errorsInWindow++;
  errorsTotal++;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
  firstError ??= message;
  if (errorsTotal <= 5) console.error(`call failed: ${message}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function report() {
  const seconds = (performance.now() - windowStart) / 1000;
  const sorted = Float64Array.from(latenciesUs).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    calls: sorted.length,
    errors: errorsInWindow,
    errorsTotal,
    seconds,
    p50Us: percentile(sorted, 50),
    p90Us: percentile(sorted, 90),
    p99Us: percentile(sorted, 99),
    p999Us: percentile(sorted, 99.9),
    maxUs: sorted.length ? sorted[sorted.length - 1] : 0,
    meanUs: sorted.length ? sum / sorted.length : 0,
    firstError,
  };
}

// --- load: N lanes, each awaiting one call at a time --------------------------------------------
let generation = 0;
let inFlight = 0;

async function lane(myGeneration) {
  while (myGeneration === generation) {
    const start = performance.now();
    inFlight++;
    try {
      const result = await call();
      if (isEcho(result)) latenciesUs.push((performance.now() - start) * 1000);
      else failure(new Error(`unexpected result: ${JSON.stringify(result)}`));
    } catch (e) {
      failure(e);
      await sleep(10);
    } finally {
      inFlight--;
    }
  }
}

async function setInFlight(count) {
  const current = ++generation;
  const deadline = performance.now() + 60000;
  while (inFlight > 0 && performance.now() < deadline) await sleep(1);
  for (let i = 0; i < count; i++) lane(current);
}

// --- start: wait until the function answers, then serve commands ------------------------------
const readyDeadline = performance.now() + 30000;
let lastError;
for (;;) {
  try {
    const result = await iii.trigger({ function_id: functionId, payload, timeoutMs: 5000 });
    if (isEcho(result)) break;
    lastError = `unexpected result: ${JSON.stringify(result)}`;
  } catch (e) {
    lastError = e instanceof Error ? e.message : JSON.stringify(e);
  }
  if (performance.now() > readyDeadline) {
    console.error(`${functionId} did not answer within 30 s: ${lastError}`);
    process.exit(1);
  }
  await sleep(50);
}
writeOut('ready\n');

let commands = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  commands = commands.then(() => handle(line.trim()));
});
lines.on('close', () => {
  commands = commands.then(() => quit());
});

async function handle(command) {
  if (command.startsWith('load ')) {
    await setInFlight(Number.parseInt(command.slice(5), 10));
  } else if (command === 'start') {
    latenciesUs = [];
    errorsInWindow = 0;
    windowStart = performance.now();
  } else if (command === 'stop') {
    writeOut(`result ${JSON.stringify(report())}\n`);
  } else if (command === 'quit') {
    await quit();
  } else if (command) {
    console.error(`unknown command: ${command}`);
  }
}

async function quit() {
  generation++;
  await iii.shutdown().catch(() => {});
  process.exit(0);
}
