// The load side shared by caller.mjs and modules.mjs (see dev.iii.bench.LoadProtocol for the protocol):
// N lanes each awaiting one operation at a time, the statistics of the current window, the wait for a
// first completed operation ("ready"), and the stdin commands "load N", "start", "stop", "quit".
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

// stdout carries only the protocol: everything else the process or the SDK prints goes to stderr.
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.info = console.debug = console.error;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A command-line option's value, or the fallback. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/**
 * Runs the load protocol: waits until `operation()` first returns a result `isExpected` accepts
 * (30 s at most), prints "ready", then serves the commands on stdin until "quit" or its end.
 */
export async function serveLoad({ iii, operation, isExpected, label }) {
  let latenciesUs = [];
  let errorsInWindow = 0;
  let errorsTotal = 0;
  let firstError = null;
  let windowStart = performance.now();
  let generation = 0;
  let inFlight = 0;

  function failure(error) {
    errorsInWindow++;
    errorsTotal++;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
    firstError ??= message;
    if (errorsTotal <= 5) console.error(`${label} failed: ${message}`);
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

  async function quit() {
    generation++;
    await iii.shutdown().catch(() => {});
    process.exit(0);
  }

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
      console.error(`${label} did not complete within 30 s: ${lastError}`);
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
}
