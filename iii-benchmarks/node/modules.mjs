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
import { arg, serveLoad } from './load.mjs';
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

await serveLoad({
  iii,
  operation,
  isExpected: (result) => result !== null && typeof result === 'object' && result.id === payload.id && result.name != null,
  label: op,
});
