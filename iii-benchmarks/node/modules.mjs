#!/usr/bin/env node
// The Node SDK load process of the `modules` benchmark; dev.iii.bench.ModuleLoad is its iii-core twin
// (same operations, same payload, same protocol: see dev.iii.bench.LoadProtocol).
//
//   node modules.mjs --url ws://127.0.0.1:PORT --payload '{"id":123,...}' --op state|publish|enqueue
//
// state:   one operation = state::set of the payload under a key, then state::get of that key.
// publish: one operation = publish {topic, data: payload + seq}, done when our subscriber gets it.
// enqueue: one operation = trigger with TriggerAction.Enqueue({queue: 'bench'}) to our job function,
//          done when the job has run.
// stdout: "ready" once a first operation completed; "result {json}" after each "stop".
import { registerWorker, TriggerAction } from 'iii-sdk';
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
const op = arg('--op');
if (!url || !payloadJson || !['state', 'publish', 'enqueue'].includes(op)) {
  console.error("usage: node modules.mjs --url ws://host:port --payload '<json>' --op state|publish|enqueue");
  process.exit(2);
}
const payload = JSON.parse(payloadJson);
const tag = `node-${process.pid}`;
const OP_TIMEOUT_MS = 30000;

const iii = registerWorker(url, {
  workerName: `bench-node-modules-${op}`,
  enableMetricsReporting: false,
  otel: { enabled: false },
});

// --- the operations -----------------------------------------------------------------------------
let sequence = 0;
const pending = new Map(); // seq -> {resolve, timer}; at most the in-flight window

function expect(seq) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(seq);
      reject(new Error(`operation ${seq} not completed within ${OP_TIMEOUT_MS} ms`));
    }, OP_TIMEOUT_MS);
    pending.set(seq, { resolve, reject, timer });
  });
}

function settle(seq, error, value) {
  const entry = pending.get(seq);
  if (!entry) return;
  pending.delete(seq);
  clearTimeout(entry.timer);
  if (error) entry.reject(error);
  else entry.resolve(value);
}

async function received(event) {
  if (event && typeof event.seq === 'number') settle(event.seq, null, event);
  else console.error(`unexpected event: ${JSON.stringify(event)}`);
  return null;
}

let operation;
if (op === 'state') {
  const scope = `bench-${tag}`;
  operation = async () => {
    const key = `k${++sequence % 1024}`;
    await iii.trigger({ function_id: 'state::set', payload: { scope, key, value: payload }, timeoutMs: OP_TIMEOUT_MS });
    return iii.trigger({ function_id: 'state::get', payload: { scope, key }, timeoutMs: OP_TIMEOUT_MS });
  };
} else if (op === 'publish') {
  const topic = `bench.events.${tag}`;
  const functionId = `bench::on-event::${tag}`;
  iii.registerFunction(functionId, received);
  iii.registerTrigger({ type: 'subscribe', function_id: functionId, config: { topic } });
  operation = () => {
    const seq = ++sequence;
    const delivered = expect(seq);
    iii.trigger({ function_id: 'publish', payload: { topic, data: { ...payload, seq } }, timeoutMs: OP_TIMEOUT_MS })
      .catch((e) => settle(seq, e));
    return delivered;
  };
} else {
  const functionId = `bench::job::${tag}`;
  iii.registerFunction(functionId, received);
  operation = () => {
    const seq = ++sequence;
    const processed = expect(seq);
    iii.trigger({
      function_id: functionId,
      payload: { ...payload, seq },
      action: TriggerAction.Enqueue({ queue: 'bench' }),
      timeoutMs: OP_TIMEOUT_MS,
    }).catch((e) => settle(seq, e));
    return processed;
  };
}

const isExpected = (result) => result !== null && typeof result === 'object' && result.id === payload.id && result.name != null;
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
  if (errorsTotal <= 5) console.error(`operation failed: ${message}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function report() {
  const seconds = (performance.now() - windowStart) / 1000;
  const sorted = Float64Array.from(latenciesUs).sort();
  return {
    calls: sorted.length,
    errors: errorsInWindow,
    errorsTotal,
    seconds,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    maxUs: sorted.length ? sorted[sorted.length - 1] : 0,
    firstError,
  };
}

// --- load: N lanes, each awaiting one operation at a time ---------------------------------------
let generation = 0;
let inFlight = 0;

async function lane(myGeneration) {
  while (myGeneration === generation) {
    const start = performance.now();
    inFlight++;
    try {
      const result = await operation();
      if (isExpected(result)) latenciesUs.push((performance.now() - start) * 1000);
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

// --- start: wait until an operation completes, then serve commands -----------------------------
const readyDeadline = performance.now() + 30000;
let lastError;
for (;;) {
  try {
    const result = await Promise.race([operation(), sleep(5000).then(() => 'no answer within 5 s')]);
    if (isExpected(result)) break;
    lastError = `unexpected result: ${JSON.stringify(result)}`;
  } catch (e) {
    lastError = e instanceof Error ? e.message : JSON.stringify(e);
  }
  if (performance.now() > readyDeadline) {
    console.error(`${op} did not complete within 30 s: ${lastError}`);
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
