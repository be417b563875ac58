#!/usr/bin/env node
// Drives the official Node iii-sdk for the Java interop tests (see dev.iii.it.node.NodeSdk).
//
//   III_URL=ws://127.0.0.1:PORT node driver.mjs --sdk 0.9.0|0.3.0
//
// stdin:  one JSON command per line: {"seq":1,"op":"call","function_id":"x","data":{}}
// stdout: one JSON object per line, nothing else:
//         replies {"seq":1,"ok":true,"result":...} / {"seq":1,"ok":false,"error":{...}}
//         events  {"event":"started"|"invoked"|"connectionState"|"uncaught", ...}
// stderr: everything else (SDK and OTel console output, diagnostics).
//
// Commands (every reply echoes "seq"; SDK rejections are passed through as "error" unchanged,
// JS Errors as {name, message, code?}; failures of the driver itself as {code, message, ...};
// a result the SDK resolved as undefined is sent as "result":null plus "undefinedResult":true):
//   connect        {workerName?, invocationTimeoutMs?, otel?=false, reconnectionConfig?,
//                   enableMetricsReporting?, timeoutMs?=10000}     -> {workerId}
//   register       {id, behavior, message?, target?, timeoutMs?, description?, metadata?,
//                   request_format?, response_format?}            -> {id}
//                  behavior: echo | add ({sum:a+b}) | fail (throws Error(message ?? "node boom"))
//                            | hang (never settles) | relay (calls target, returns its result)
//                            | relayVoid (fires target, returns {relayed:true});
//                  every handler first emits {"event":"invoked","function_id","data"}
//   unregister     {id}
//   awaitFunctions {ids, timeoutMs?=10000}                        -> all listed function ids
//   call           {function_id, data, timeoutMs?}                -> the function's result
//   callVoid       {function_id, data}                            -> null
//   listFunctions, listWorkers                                    -> what the SDK returns
//   status                                                        -> {connectionState, workerId}
//   shutdown       replies, then exits 0. The driver exits 3 when stdin closes.
// Triggers, channels and HTTP (iii-sdk 0.9.0 only):
//   registerTrigger     {type, function_id, config}                -> {id}
//   unregisterTrigger   {id}
//   registerTriggerType {id, description?, refuse?}   events triggerRegistered / triggerUnregistered
//                        {trigger_type, trigger:{id, function_id, config}}; refuse: throw on register
//   createChannel       {bufferSize?}                              -> {reader, writer} (refs)
//   writeChannel        {ref, messages?, size?, seed?}  writes text messages, then `size`
//                        deterministic bytes in 64 KiB chunks, closes -> {length, sha256}
//   readChannel         {ref}                                      -> {length, sha256, messages}
//  more behaviors for register: httpHello ({status_code:200, body:{message}, headers}),
//    httpEcho (returns the request fields it got), httpStream (http() helper: status 201,
//    content-type text/plain, `chunks` text chunks), readInput (reads channel input.input ->
//    {length, sha256, messages}), writeOutput (writes `size` bytes to input.output -> {sha256}).
// Events: started {sdk}, invoked, connectionState {state, workerId}, uncaught {error}.
//
// The two SDK generations differ in how they are created and called; all of that is in the
// adapters below, the command handling is shared. OTel is off unless connect says otel:true (when
// on, the SDK opens a second WebSocket to the engine for telemetry).

// --- stdout discipline: only this script's protocol lines may reach stdout ----------------------
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.info = console.debug = console.trace = console.error;

function emit(obj, callback) {
  let line;
  try {
    line = JSON.stringify(obj);
  } catch (e) {
    line = JSON.stringify({ seq: obj.seq ?? null, ok: false, error: { code: 'unserializable', message: String(e) } });
  }
  writeOut(line + '\n', callback);
}

/** A failure of the driver itself (bad command, timeout while polling...), not of the SDK. */
class CommandError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

function serializeError(e) {
  if (e instanceof CommandError) return { code: e.code, message: e.message, ...e.details };
  if (e instanceof Error) {
    const out = { name: e.name, message: e.message };
    if (e.code !== undefined) out.code = e.code;
    return out;
  }
  if (e !== null && typeof e === 'object') {
    try {
      return JSON.parse(JSON.stringify(e));
    } catch {
      return { message: String(e) };
    }
  }
  return { message: String(e), value: e ?? null };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { createHash } = await import('node:crypto');

/** Deterministic bytes, so both sides can check a large transfer by its SHA-256 alone. */
function patternChunk(offset, length, seed) {
  const buf = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) buf[i] = ((offset + i) * 31 + seed) & 0xff;
  return buf;
}

/** Writes messages, then `size` pattern bytes in 64 KiB chunks, then closes the writer. */
async function writeToChannel(writer, { messages = [], size = 0, seed = 7 }) {
  const hash = createHash('sha256');
  for (const m of messages) writer.sendMessage(typeof m === 'string' ? m : JSON.stringify(m));
  const CHUNK = 64 * 1024;
  for (let offset = 0; offset < size; offset += CHUNK) {
    const chunk = patternChunk(offset, Math.min(CHUNK, size - offset), seed);
    hash.update(chunk);
    await new Promise((resolve, reject) => writer.stream.write(chunk, (e) => (e ? reject(e) : resolve())));
  }
  await new Promise((resolve) => writer.stream.end(resolve));
  return { length: size, sha256: hash.digest('hex') };
}

/** Reads a channel to its end: text messages in order, binary data hashed. */
async function readFromChannel(reader) {
  const messages = [];
  reader.onMessage((m) => messages.push(m));
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of reader.stream) {
    hash.update(chunk);
    length += chunk.length;
  }
  return { length, sha256: hash.digest('hex'), messages };
}

// --- arguments and SDK selection ---------------------------------------------------------------
const sdkArg = process.argv.indexOf('--sdk');
const SDK_VERSION = sdkArg >= 0 ? process.argv[sdkArg + 1] : undefined;
const III_URL = process.env.III_URL;
if (!['0.9.0', '0.3.0'].includes(SDK_VERSION) || !III_URL) {
  console.error('usage: III_URL=ws://host:port node driver.mjs --sdk 0.9.0|0.3.0');
  process.exit(2);
}

/**
 * Uniform view of one SDK instance. Everything version-specific lives here.
 * Internal fields read on purpose (neither version types them): `workerId` (set from the
 * engine's `workerregistered`) and `connectionState`.
 */
function makeAdapter(mod, version, url, options) {
  if (version === '0.9.0') {
    const iii = mod.registerWorker(url, options);
    return {
      iii,
      call: (function_id, data, timeoutMs) => iii.trigger({ function_id, payload: data, timeoutMs }),
      callVoid: (function_id, data) => iii.trigger({ function_id, payload: data, action: mod.TriggerAction.Void() }),
      register: (message, handler) => iii.registerFunction(message, handler),
      listFunctions: () => iii.listFunctions(),
      listWorkers: () => iii.listWorkers(),
      shutdown: () => iii.shutdown(),
    };
  }
  const iii = mod.init(url, options);
  return {
    iii,
    call: (function_id, data, timeoutMs) => iii.call(function_id, data, timeoutMs),
    callVoid: async (function_id, data) => iii.callVoid(function_id, data),
    register: (message, handler) => iii.registerFunction(message, handler),
    listFunctions: () => iii.listFunctions(),
    listWorkers: () => iii.listWorkers(),
    shutdown: () => iii.shutdown(),
  };
}

const sdkModule = await import(SDK_VERSION === '0.9.0' ? 'iii-sdk' : 'iii-sdk-030');

// --- state -----------------------------------------------------------------------------------------
/** @type {ReturnType<typeof makeAdapter> | undefined} */
let sdk;
const functionRefs = new Map();
let lastState;

function requireSdk() {
  if (!sdk) throw new CommandError('not_connected', 'send "connect" first');
  return sdk;
}

function watchConnectionState() {
  setInterval(() => {
    const state = sdk?.iii.connectionState;
    if (state !== lastState) {
      lastState = state;
      emit({ event: 'connectionState', state, workerId: sdk?.iii.workerId ?? null });
    }
  }, 20).unref();
}

const triggers = new Map();
const channels = new Map();

function requireNewSdk() {
  const s = requireSdk();
  if (SDK_VERSION !== '0.9.0') throw new CommandError('unsupported', 'needs iii-sdk 0.9.0');
  return s;
}

function channelEnd(ref) {
  const Ctor = ref.direction === 'read' ? sdkModule.ChannelReader : sdkModule.ChannelWriter;
  return new Ctor(III_URL, ref);
}

/** Input as JSON for events: live channel ends (resolved from refs by the SDK) become markers. */
function printable(value) {
  if (sdkModule.ChannelReader && value instanceof sdkModule.ChannelReader) return { channel: 'reader' };
  if (sdkModule.ChannelWriter && value instanceof sdkModule.ChannelWriter) return { channel: 'writer' };
  if (Array.isArray(value)) return value.map(printable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  }
  return value;
}

function makeHandler(cmd) {
  const { id, behavior, message, target, timeoutMs } = cmd;
  const run = {
    echo: async (input) => input,
    add: async (input) => ({ sum: input.a + input.b }),
    fail: async () => {
      throw new Error(message ?? 'node boom');
    },
    hang: () => new Promise(() => {}),
    relay: async (input) => sdk.call(target, input, timeoutMs),
    relayVoid: async (input) => {
      await sdk.callVoid(target, input);
      return { relayed: true };
    },
    httpHello: async () => ({
      status_code: 200,
      body: { message: message ?? 'Hello from node' },
      headers: { 'x-node': 'yes' },
    }),
    httpEcho: async (input) => ({
      status_code: 200,
      body: {
        method: input.method,
        path: input.path,
        path_params: input.path_params,
        query_params: input.query_params,
        body: input.body,
        content_type: input.headers?.['content-type'] ?? null,
      },
    }),
    httpStream: sdkModule.http
      ? sdkModule.http(async (_req, res) => {
          res.status(201);
          res.headers({ 'content-type': 'text/plain' });
          for (let i = 1; i <= (cmd.chunks ?? 3); i++) res.stream.write(`chunk-${i}\n`);
          res.stream.end();
        })
      : undefined,
    readInput: async (input) => readFromChannel(input.input),
    writeOutput: async (input) => writeToChannel(input.output, { size: input.size, messages: input.messages }),
  }[behavior];
  if (!run) throw new CommandError('bad_command', `unknown behavior: ${behavior}`);
  if ((behavior === 'relay' || behavior === 'relayVoid') && !target) {
    throw new CommandError('bad_command', `${behavior} needs a target`);
  }
  return (input) => {
    emit({ event: 'invoked', function_id: id, data: printable(input) ?? null });
    return run(input);
  };
}

function functionIds(functions) {
  return (Array.isArray(functions) ? functions : []).map((f) => f.function_id);
}

const ops = {
  async connect(cmd) {
    if (sdk) throw new CommandError('already_connected', 'connect was already sent');
    const options = { otel: { enabled: cmd.otel === true } };
    if (cmd.workerName !== undefined) options.workerName = cmd.workerName;
    if (cmd.invocationTimeoutMs !== undefined) options.invocationTimeoutMs = cmd.invocationTimeoutMs;
    if (cmd.reconnectionConfig !== undefined) options.reconnectionConfig = cmd.reconnectionConfig;
    options.enableMetricsReporting = cmd.enableMetricsReporting ?? cmd.otel === true;
    sdk = makeAdapter(sdkModule, SDK_VERSION, III_URL, options);
    watchConnectionState();

    // Neither SDK offers a "connected" promise. Wait for the socket to open, then make one
    // round trip through the engine: the engine sends `workerregistered` first on a new
    // connection, so after that round trip the worker id is known as well.
    const deadline = Date.now() + (cmd.timeoutMs ?? 10000);
    let lastError;
    while (Date.now() < deadline) {
      if (sdk.iii.connectionState === 'connected') {
        try {
          await sdk.call('engine::functions::list', {}, Math.max(1, Math.min(2000, deadline - Date.now())));
          return { workerId: sdk.iii.workerId ?? null };
        } catch (e) {
          // An error answered by the engine still proves the round trip.
          if (!(e instanceof Error)) return { workerId: sdk.iii.workerId ?? null };
          lastError = e;
        }
      }
      await sleep(50);
    }
    throw new CommandError('connect_timeout', `not connected to ${III_URL} within ${cmd.timeoutMs ?? 10000}ms`, {
      state: sdk.iii.connectionState ?? null,
      lastError: lastError ? serializeError(lastError) : null,
    });
  },

  async register(cmd) {
    const s = requireSdk();
    if (!cmd.id) throw new CommandError('bad_command', 'register needs an id');
    const handler = makeHandler(cmd);
    const message = { id: cmd.id };
    for (const key of ['description', 'request_format', 'response_format', 'metadata']) {
      if (cmd[key] !== undefined) message[key] = cmd[key];
    }
    functionRefs.set(cmd.id, s.register(message, handler));
    return { id: cmd.id };
  },

  async unregister(cmd) {
    requireSdk();
    const ref = functionRefs.get(cmd.id);
    if (!ref) throw new CommandError('not_registered', `no function ${cmd.id} was registered by this driver`);
    ref.unregister();
    functionRefs.delete(cmd.id);
    return { id: cmd.id };
  },

  async awaitFunctions(cmd) {
    const s = requireSdk();
    const wanted = cmd.ids ?? [];
    const timeoutMs = cmd.timeoutMs ?? 10000;
    const deadline = Date.now() + timeoutMs;
    let present = [];
    let lastError = null;
    for (;;) {
      try {
        present = functionIds(await s.listFunctions());
        lastError = null;
        if (wanted.every((id) => present.includes(id))) return present;
      } catch (e) {
        lastError = serializeError(e);
      }
      if (Date.now() >= deadline) break;
      await sleep(50);
    }
    throw new CommandError('timeout', `functions not listed within ${timeoutMs}ms`, {
      missing: wanted.filter((id) => !present.includes(id)),
      present,
      lastError,
    });
  },

  call: (cmd) => requireSdk().call(cmd.function_id, cmd.data, cmd.timeoutMs),

  async callVoid(cmd) {
    await requireSdk().callVoid(cmd.function_id, cmd.data);
    return null;
  },

  async registerTrigger(cmd) {
    const s = requireNewSdk();
    const trigger = s.iii.registerTrigger({ type: cmd.type, function_id: cmd.function_id, config: cmd.config ?? {} });
    const id = [...s.iii.triggers.keys()].pop();
    triggers.set(id, trigger);
    return { id };
  },

  async unregisterTrigger(cmd) {
    requireNewSdk();
    const trigger = triggers.get(cmd.id);
    if (!trigger) throw new CommandError('not_registered', `no trigger ${cmd.id}`);
    trigger.unregister();
    triggers.delete(cmd.id);
    return { id: cmd.id };
  },

  async registerTriggerType(cmd) {
    const s = requireNewSdk();
    s.iii.registerTriggerType(
      { id: cmd.id, description: cmd.description ?? cmd.id },
      {
        registerTrigger: async (trigger) => {
          emit({ event: 'triggerRegistered', trigger_type: cmd.id, trigger });
          if (cmd.refuse) throw new Error(`refused by ${cmd.id}`);
        },
        unregisterTrigger: async (trigger) => {
          emit({ event: 'triggerUnregistered', trigger_type: cmd.id, trigger });
        },
      },
    );
    return { id: cmd.id };
  },

  async createChannel(cmd) {
    const s = requireNewSdk();
    const channel = await s.iii.createChannel(cmd.bufferSize);
    channels.set(channel.readerRef.channel_id, channel);
    return { reader: channel.readerRef, writer: channel.writerRef };
  },

  async writeChannel(cmd) {
    requireNewSdk();
    return writeToChannel(channelEnd({ ...cmd.ref, direction: 'write' }), cmd);
  },

  async readChannel(cmd) {
    requireNewSdk();
    return readFromChannel(channelEnd({ ...cmd.ref, direction: 'read' }));
  },

  listFunctions: () => requireSdk().listFunctions(),
  listWorkers: () => requireSdk().listWorkers(),

  async status() {
    return { connectionState: sdk?.iii.connectionState ?? null, workerId: sdk?.iii.workerId ?? null };
  },

  async shutdown(cmd) {
    if (sdk) {
      await Promise.race([sdk.shutdown(), sleep(cmd.timeoutMs ?? 3000)]);
    }
    return null;
  },
};

async function handleLine(line) {
  if (!line.trim()) return;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    emit({ seq: null, ok: false, error: { code: 'bad_json', message: String(e) } });
    return;
  }
  const seq = cmd?.seq ?? null;
  const op = Object.hasOwn(ops, cmd?.op) ? ops[cmd.op] : undefined;
  if (!op) {
    emit({ seq, ok: false, error: { code: 'bad_command', message: `unknown op: ${cmd?.op}` } });
    return;
  }
  let reply;
  try {
    const result = await op(cmd);
    reply = { seq, ok: true, result: result ?? null };
    if (result === undefined) reply.undefinedResult = true;
  } catch (e) {
    reply = { seq, ok: false, error: serializeError(e) };
  }
  if (cmd.op === 'shutdown') {
    emit(reply, () => process.exit(0));
  } else {
    emit(reply);
  }
}

// --- main loop ---------------------------------------------------------------------------------------
process.on('uncaughtException', (e) => {
  console.error('[driver] uncaught exception', e);
  emit({ event: 'uncaught', error: serializeError(e) });
});
process.on('unhandledRejection', (e) => {
  console.error('[driver] unhandled rejection', e);
  emit({ event: 'uncaught', error: serializeError(e) });
});

const { createInterface } = await import('node:readline');
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  handleLine(line);
});
rl.on('close', () => {
  console.error('[driver] stdin closed, exiting');
  process.exit(3);
});

emit({ event: 'started', sdk: SDK_VERSION });
