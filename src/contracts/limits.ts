/**
 * The engine's limits, in one table: every bound a request, a graph, a file or a queue must stay
 * within, with the reason it exists. Each is enforced where the input is first seen, with E_LIMIT
 * naming the limit, its value and what the input would need; docs/reliability.md renders this table
 * (a test keeps the two in step).
 *
 * Values are chosen so that an input inside every limit can be rendered by every host on a machine
 * with a few GiB of memory, and so that nothing a caller sends can make a host recurse, spread or
 * allocate without bound.
 */
import { EngineError } from "./errors";

export interface Limit {
  /** The value (in `unit`). */
  value: number;
  unit: string;
  /** What is limited, as the docs and error messages name it. */
  what: string;
  /** Why this value. */
  why: string;
}

export const LIMITS = {
  renderSeconds: {
    value: 3600,
    unit: "s",
    what: "duration of one render (duration_seconds, or the seconds of duration_beats)",
    why: "one hour of audio per request; longer work is rendered in parts (the CLI streams to disk)",
  },
  renderSamples: {
    value: 2 ** 28,
    unit: "samples",
    what: "frames × channels a render returns, output and captures together",
    why: "1 GiB of float32 held by the host until the caller reads and releases it",
  },
  startSeconds: {
    value: 86_400,
    unit: "s",
    what: "start_position_seconds of a render",
    why: "a day; a render seeks there without rendering what comes before",
  },
  prerollSeconds: {
    value: 600,
    unit: "s",
    what: "options.preroll of a render (rendered and discarded before the start)",
    why: "ten minutes of tails; the preroll yields and can be cancelled like the render itself",
  },
  graphNodes: {
    value: 4096,
    unit: "nodes",
    what: "nodes in one graph",
    why: "far beyond a DAW session's devices; keeps validation and compilation linear and small",
  },
  graphDepth: {
    value: 1024,
    unit: "nodes",
    what: "longest chain of inputs in one graph (a builtin:delay starts a new chain)",
    why:
      "graph walks are loops, so depth costs no call stack; no patch chains a thousand effects in series, " +
      "and a bound below graphNodes catches a generated graph that strings every node into one line",
  },
  graphEvents: {
    value: 262_144,
    unit: "events",
    what: "MIDI events in one graph, all nodes together (inline, from MIDI files, scheduled)",
    why: "a dense hour of MIDI; each event costs engine memory on its node's timeline",
  },
  automationPoints: {
    value: 65_536,
    unit: "points",
    what: "breakpoints, inline values or web_audio events (with curve values) of one automation",
    why: "longer curves travel as a buffer handle (audio-rate data)",
  },
  tempoPoints: {
    value: 4096,
    unit: "points",
    what: "points of a tempo map",
    why: "a tempo change every beat for an hour at 68 bpm",
  },
  channels: {
    value: 32,
    unit: "channels",
    what: "channels of a render's result or of an uploaded buffer",
    why: "Web Audio's maximum channel count, the contract's maximum (RenderRequest.channels)",
  },
  nodeChannels: {
    value: 256,
    unit: "channels",
    what: "channels one node reads or writes inside the engine",
    why: "the engine's fixed channel tables (wasm/src/engine.h kMaxChannels)",
  },
  graphMemoryBytes: {
    value: 1024 * 1024 * 1024,
    unit: "bytes",
    what: "engine memory a graph needs (the engine's estimate before it allocates)",
    why: "engine.wasm is a 32-bit module sharing its memory with buffers: 1 GiB leaves room for both",
  },
  engineMemoryBytes: {
    value: 2 * 1024 * 1024 * 1024,
    unit: "bytes",
    what: "wasm memory of one engine instance: its graph, the buffers it holds and the engine itself",
    why: "engine.wasm's maximum memory (wasm/build.sh); above 2 GiB its addresses turn negative in JavaScript",
  },
  heldBufferBytes: {
    value: 2 * 1024 * 1024 * 1024,
    unit: "bytes",
    what: "audio one client holds by handle (uploads, results, captures) before it refuses more",
    why: "release handles when done; a client that never does fails clearly instead of the process",
  },
  sessionFileBytes: {
    value: 64 * 1024 * 1024,
    unit: "bytes",
    what: "size of a session file (its JSON), checked before and while it is read",
    why: "a session at every graph limit (events, automation points) is a few tens of MiB of JSON",
  },
  audioFileBytes: {
    value: 1024 * 1024 * 1024,
    unit: "bytes",
    what: "size of one WAV file a session names, checked before and while it is read",
    why: "decoded to float32 it is at most 2 GiB (16-bit audio), what one client may hold",
  },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/**
 * A limit's value as the docs and messages write it: digits grouped, bytes also in GiB or MiB.
 * @example
 * formatLimitValue("graphNodes"); // "4,096 nodes"
 * formatLimitValue("heldBufferBytes"); // "2,147,483,648 bytes (2 GiB)"
 */
export function formatLimitValue(name: LimitName): string {
  const { value, unit } = LIMITS[name];
  return `${formatAmount(value, unit)}${unit === "bytes" ? ` (${binarySize(value)})` : ""}`;
}

/**
 * The E_LIMIT error for an input that needs `amount` (in the limit's unit) where `name` allows less:
 * the message says what the input needs, the limit's name and value, and what it limits.
 * @example
 * throw limitError("graphNodes", 5000, "node_graph.nodes");
 * // E_LIMIT at node_graph.nodes: needs 5,000 nodes, over the limit graphNodes = 4,096 nodes: nodes in one graph
 */
export function limitError(name: LimitName, amount: number, path: string, context = ""): EngineError {
  const { unit, what } = LIMITS[name];
  const needs = `needs ${formatAmount(amount, unit)}${context === "" ? "" : ` (${context})`}`;
  return new EngineError(
    "E_LIMIT",
    `${needs}, over the limit ${name} = ${formatLimitValue(name)}: ${what}`,
    path,
  );
}

/**
 * Throws limitError when `amount` exceeds the limit `name`.
 * @example
 * checkLimit("channels", channels.length, "upload.channels");
 */
export function checkLimit(name: LimitName, amount: number, path: string, context = ""): void {
  if (amount > LIMITS[name].value) throw limitError(name, amount, path, context);
}

/**
 * A number as limit messages write it: digits grouped, at most three decimals.
 * @example
 * formatCount(262144); // "262,144"
 */
export function formatCount(amount: number): string {
  return amount.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

function formatAmount(amount: number, unit: string): string {
  return `${formatCount(amount)} ${unit}`;
}

function binarySize(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / 2 ** 20} MiB`;
}
