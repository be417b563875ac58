#!/usr/bin/env node
// Drives the official Node iii-sdk for the Java interop tests (see dev.iii.it.node.NodeSdk).
//
//   III_URL=ws://127.0.0.1:PORT node driver.mjs --sdk 0.22.1|0.9.0|0.3.0
//
// stdin:  one JSON command per line: {"seq":1,"op":"call","function_id":"x","data":{}}
// stdout: one JSON object per line, nothing else:
//         replies {"seq":1,"ok":true,"result":...} / {"seq":1,"ok":false,"error":{...}}
//         events  {"event":"started"|"invoked"|"connectionState"|"log"|"uncaught", ...}
// stderr: everything else (SDK and OTel console output, diagnostics).
//
// Commands (every reply echoes "seq"; SDK rejections are passed through as "error" unchanged,
// JS Errors as {name, message, code?}; failures of the driver itself as {code, message, ...};
// a result the SDK resolved as undefined is sent as "result":null plus "undefinedResult":true):
//   connect        {workerName?, workerDescription?, invocationTimeoutMs?, otel?=false,
//                   reconnectionConfig?, enableMetricsReporting?, timeoutMs?=10000} -> {workerId}
//   register       {id, behavior, message?, target?, timeoutMs?, description?, metadata?,
//                   request_format?, response_format?}            -> {id}
//                  behavior: echo | add ({sum:a+b}) | fail (throws Error(message ?? "node boom"))
//                            | hang (never settles) | relay (calls target, returns its result)
//                            | relayVoid (fires target, returns {relayed:true})
//                            | echoMeta ({data, metadata}: the handler's 2nd argument, 0.22.1)
//                            | constant (returns `value`);
//                  every handler first emits {"event":"invoked","function_id","data","metadata"?}
//                  (metadata only when the SDK handed the handler one)
//   unregister     {id}
//   awaitFunctions {ids, timeoutMs?=10000}                        -> all listed function ids
//   call           {function_id, data, timeoutMs?, metadata?}     -> the function's result
//   callVoid       {function_id, data, metadata?}                 -> null
//   listFunctions, listWorkers     -> what the SDK returns (0.22.1 has no such methods: the rows
//                                     of engine::functions::list / engine::workers::list)
//   status         -> {connectionState, workerId, reattachToken} (the token only from 0.22.1)
//   shutdown       replies, then exits 0. The driver exits 3 when stdin closes.
// iii-sdk 0.22.1 only:
//   enqueue        {function_id, data, queue, timeoutMs?}  trigger with TriggerAction.Enqueue
//   flushOtel      {timeoutMs?=5000}  flushes the SDK's OTel exporters -> {flushed}
// Triggers, channels and HTTP (iii-sdk 0.9.0 and 0.22.1):
//   registerTrigger     {type, function_id, config, metadata?}     -> {id}
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
//    {length, sha256, messages}), writeOutput (writes `size` bytes to input.output -> {sha256}),
//    httpMeta ({status_code:200, body:{metadata, path}}: the trigger's metadata as the handler
//    got it), httpRaw ({status_code:200, headers:{content-type: contentType}, body: message}),
//    httpReadBody (http() helper: reads request_body to its end, answers 200 JSON
//    {raw, body, content_type}), middlewareContinue ({action:"continue"}),
//    middlewareRespond ({action:"respond", response}).
// Events: started {sdk}, invoked, connectionState {state, workerId}, uncaught {error},
//   log {level, message}: each SDK console line starting with "[iii]" or "[OTel]" (the 0.22.1
//   SDK reports refused triggers and its telemetry socket only there).
//
// The SDK versions differ in how they are created and called (0.22.1 also moved channels,
// helpers and http() into sub-paths); all of that is in the adapters below, the command handling
// is shared. OTel is off unless connect says otel:true (when on, the SDK opens a second WebSocket
// to the engine for telemetry: <url>/otel from 0.22.1 on).

// --- stdout discipline: only this script's protocol lines may reach stdout ----------------------
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
const { format } = await import('node:util');
const writeErr = console.error.bind(console);
/** Console output goes to stderr; the SDK's own "[iii]"/"[OTel]" lines also become log events. */
function captureConsole(level) {
  return (...args) => {
    writeErr(...args);
    const message = format(...args);
    if (message.startsWith('[iii]') || message.startsWith('[OTel]')) emit({ event: 'log', level, message });
  };
}
console.error = captureConsole('error');
console.warn = captureConsole('warn');
console.log = console.info = captureConsole('info');
console.debug = console.trace = captureConsole('debug');

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
if (!['0.22.1', '0.9.0', '0.3.0'].includes(SDK_VERSION) || !III_URL) {
  console.error('usage: III_URL=ws://host:port node driver.mjs --sdk 0.22.1|0.9.0|0.3.0');
  process.exit(2);
}

/**
 * Uniform view of one SDK instance. Everything version-specific lives here.
 * Internal fields read on purpose (no version types them): `workerId` (set from the
 * engine's `workerregistered`), `connectionState`, `triggers`, and in 0.22.1 `reattachToken`.
 */
function makeAdapter(mod, version, url, options) {
  if (version === '0.22.1') {
    const iii = mod.registerWorker(url, options);
    const builtin = (function_id) => iii.trigger({ function_id, payload: {} });
    return {
      iii,
      call: (function_id, data, timeoutMs, metadata) =>
        iii.trigger({ function_id, payload: data, timeoutMs, metadata }),
      callVoid: (function_id, data, metadata) =>
        iii.trigger({ function_id, payload: data, action: mod.TriggerAction.Void(), metadata }),
      enqueue: (function_id, data, queue, timeoutMs) =>
        iii.trigger({ function_id, payload: data, action: mod.TriggerAction.Enqueue({ queue }), timeoutMs }),
      // 0.22.1 takes the id and the options apart from the handler.
      register: ({ id, ...options }, handler) => iii.registerFunction(id, handler, options),
      // 0.22.1 dropped listFunctions/listWorkers: the built-ins return {functions} / {workers}.
      listFunctions: async () => (await builtin('engine::functions::list')).functions,
      listWorkers: async () => (await builtin('engine::workers::list')).workers,
      createChannel: (bufferSize) => helpers0221.createChannel(iii, bufferSize),
      shutdown: () => iii.shutdown(),
    };
  }
  if (version === '0.9.0') {
    const iii = mod.registerWorker(url, options);
    return {
      iii,
      call: (function_id, data, timeoutMs) => iii.trigger({ function_id, payload: data, timeoutMs }),
      callVoid: (function_id, data) => iii.trigger({ function_id, payload: data, action: mod.TriggerAction.Void() }),
      register: (message, handler) => iii.registerFunction(message, handler),
      listFunctions: () => iii.listFunctions(),
      listWorkers: () => iii.listWorkers(),
      createChannel: (bufferSize) => iii.createChannel(bufferSize),
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

const sdkModule = await import({ '0.22.1': 'iii-sdk-0221', '0.9.0': 'iii-sdk', '0.3.0': 'iii-sdk-030' }[SDK_VERSION]);
// 0.22.1 moved channels, helpers and http() out of the main entry point.
const is0221 = SDK_VERSION === '0.22.1';
const helpers0221 = is0221 ? await import('iii-sdk-0221/helpers') : undefined;
const channelModule = is0221 ? await import('iii-sdk-0221/channel') : sdkModule;
const httpHelper = is0221 ? (await import('@iii-dev/helpers/http')).http : sdkModule.http;
const observability0221 = is0221 ? await import('@iii-dev/helpers/observability') : undefined;

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
  if (SDK_VERSION === '0.3.0') throw new CommandError('unsupported', 'needs iii-sdk 0.9.0 or 0.22.1');
  return s;
}

function require0221() {
  const s = requireSdk();
  if (!is0221) throw new CommandError('unsupported', 'needs iii-sdk 0.22.1');
  return s;
}

function channelEnd(ref) {
  const Ctor = ref.direction === 'read' ? channelModule.ChannelReader : channelModule.ChannelWriter;
  return new Ctor(III_URL, ref);
}

/** Input as JSON for events: live channel ends (resolved from refs by the SDK) become markers. */
function printable(value) {
  if (channelModule.ChannelReader && value instanceof channelModule.ChannelReader) return { channel: 'reader' };
  if (channelModule.ChannelWriter && value instanceof channelModule.ChannelWriter) return { channel: 'writer' };
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
    echoMeta: async (input, metadata) => ({ data: input ?? null, metadata: metadata ?? null }),
    constant: async () => cmd.value ?? null,
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
    httpStream: httpHelper
      ? httpHelper(async (_req, res) => {
          res.status(201);
          res.headers({ 'content-type': 'text/plain' });
          for (let i = 1; i <= (cmd.chunks ?? 3); i++) res.stream.write(`chunk-${i}\n`);
          res.stream.end();
        })
      : undefined,
    httpMeta: async (input, metadata) => ({
      status_code: 200,
      body: { metadata: metadata ?? null, path: input?.path ?? null },
    }),
    httpRaw: async () => ({
      status_code: 200,
      headers: { 'content-type': cmd.contentType ?? 'text/plain' },
      body: message ?? '',
    }),
    // Reads the raw body from request_body (a channel) next to the parsed `body`.
    httpReadBody: httpHelper
      ? httpHelper(async (req, res) => {
          const raw = await req.request_body.readAll();
          res.status(200);
          res.headers({ 'content-type': 'application/json' });
          res.stream.end(
            JSON.stringify({
              raw: raw.toString('utf8'),
              body: req.body ?? null,
              content_type: req.headers?.['content-type'] ?? null,
            }),
          );
        })
      : undefined,
    middlewareContinue: async () => ({ action: 'continue' }),
    middlewareRespond: async () => ({ action: 'respond', response: cmd.response ?? { status_code: 403 } }),
    readInput: async (input) => readFromChannel(input.input),
    writeOutput: async (input) => writeToChannel(input.output, { size: input.size, messages: input.messages }),
  }[behavior];
  if (!run) throw new CommandError('bad_command', `unknown behavior: ${behavior}`);
  if ((behavior === 'relay' || behavior === 'relayVoid') && !target) {
    throw new CommandError('bad_command', `${behavior} needs a target`);
  }
  return (input, metadata) => {
    // `metadata` is undefined (and so left out of the event) unless the SDK passed one.
    emit({ event: 'invoked', function_id: id, data: printable(input) ?? null, metadata });
    return run(input, metadata);
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
    if (cmd.workerDescription !== undefined) options.workerDescription = cmd.workerDescription;
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

  call: (cmd) => requireSdk().call(cmd.function_id, cmd.data, cmd.timeoutMs, cmd.metadata),

  async callVoid(cmd) {
    await requireSdk().callVoid(cmd.function_id, cmd.data, cmd.metadata);
    return null;
  },

  enqueue: (cmd) => require0221().enqueue(cmd.function_id, cmd.data, cmd.queue, cmd.timeoutMs),

  async flushOtel(cmd) {
    require0221();
    const flushed = await Promise.race([
      observability0221.flushOtel().then(() => true),
      sleep(cmd.timeoutMs ?? 5000).then(() => false),
    ]);
    return { flushed };
  },

  async registerTrigger(cmd) {
    const s = requireNewSdk();
    const input = { type: cmd.type, function_id: cmd.function_id, config: cmd.config ?? {} };
    if (cmd.metadata !== undefined) {
      if (!is0221) throw new CommandError('unsupported', 'trigger metadata needs iii-sdk 0.22.1');
      input.metadata = cmd.metadata;
    }
    const trigger = s.iii.registerTrigger(input);
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
    const channel = await s.createChannel(cmd.bufferSize);
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
    return {
      connectionState: sdk?.iii.connectionState ?? null,
      workerId: sdk?.iii.workerId ?? null,
      reattachToken: sdk?.iii.reattachToken ?? null,
    };
  },

  async shutdown(cmd) {
    if (sdk) {
      await Promise.race([sdk.shutdown(), sleep(cmd.timeoutMs ?? 3000)]);
    }
    return null;
  },
};

// --- stream module (i11-stream) ----------------------------------------------------------------------
//   createStream        {name}   -> {name}   a custom stream (createStream from iii-sdk/helpers) kept
//                                            in this process: the engine routes stream::* of `name` here
ops.createStream = async (cmd) => {
  const s = requireSdk();
  require0221();
  if (!cmd.name) throw new CommandError('bad_command', 'createStream needs a name');
  const items = new Map(); // `${group_id}\u0000${item_id}` -> data
  const key = (input) => `${input.group_id}\u0000${input.item_id}`;
  helpers0221.createStream(s.iii, cmd.name, {
    get: async (input) => items.get(key(input)) ?? null,
    set: async (input) => {
      const old = items.get(key(input)) ?? null;
      items.set(key(input), input.data);
      return { old_value: old, new_value: input.data };
    },
    delete: async (input) => {
      const old = items.get(key(input)) ?? null;
      items.delete(key(input));
      return { old_value: old };
    },
    list: async (input) =>
      [...items].filter(([k]) => k.startsWith(`${input.group_id}\u0000`)).map(([, v]) => v),
    listGroups: async () => [...new Set([...items.keys()].map((k) => k.split('\u0000')[0]))],
    update: async () => null,
  });
  return { name: cmd.name };
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
