#!/usr/bin/env node
// The Node SDK caller of the iii-java benchmarks (see dev.iii.bench.LoadProtocol for the protocol).
//
//   node caller.mjs --url ws://127.0.0.1:PORT --payload '{"id":123,...}' [--function bench::echo]
//
// stdout: "ready" once the function answered a first call; "result {json}" after each "stop".
// stdin:  "load N" (keep N calls in flight, 0 = pause), "start", "stop", "quit".
// Latencies of the calls completed within a window are kept and sorted at "stop".
import { registerWorker } from 'iii-sdk';
import { arg, serveLoad } from './load.mjs';

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

await serveLoad({
  iii,
  operation: () => iii.trigger({ function_id: functionId, payload, timeoutMs: 30000 }),
  isExpected: (result) => result !== null && typeof result === 'object' && result.id === payload.id && result.name != null,
  label: functionId,
});
