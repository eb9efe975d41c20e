/**
 * The native reference of the project-export bench row: a compiled project (its GraphDescriptor and
 * RenderRequest, compile-project.ts) rebuilt node by node from Chromium's own Web Audio nodes in an
 * OfflineAudioContext, so the same arrangement renders without webdreamer's engine. Browser only.
 *
 * Each node type of the graph has a native stand-in, as far as Web Audio expresses it
 * (docs/benchmarks.md, "The project export against native nodes", lists what is left out):
 *
 * - builtin:playback → an AudioBufferSourceNode started where the node's gain envelope leaves 0 and
 *   stopped where it returns to 0 for good (outside that the node is silent), reading from the same
 *   place in the audio, into a GainNode carrying the envelope (the clip's fades, as the same knots);
 * - builtin:gain, builtin:mixer → GainNodes (a mixer's inputs summed by Web Audio's own summing);
 * - builtin:panner with rule equalPower → a StereoPannerNode (the same law);
 * - builtin:synth → per note an OscillatorNode, a BiquadFilterNode (the synth's filter, per voice)
 *   and a GainNode driven by AudioParam ramps as the amplitude envelope;
 * - builtin:reverb → a ConvolverNode holding the reverb's wet impulse response (rendered by
 *   webdreamer, passed in) beside a GainNode for the dry part: Freeverb is linear and time-invariant,
 *   so that is the same reverb up to where the response is cut;
 * - builtin:delay → a DelayNode for the first echo and a second DelayNode with a feedback GainNode
 *   in a cycle for the later ones (shortened by the quantum Chromium adds to a cycle).
 *
 * Any other node type, parameter or event the stand-ins do not reproduce throws, naming it, rather
 * than rendering something else under the same name.
 *
 * Sources are made just in time, as a Web Audio application playing an arrangement has to: a node
 * that is connected but not yet started still costs the render every quantum, so 8,448 voices made
 * up front slow the render with every voice still to come (the first try of this row did not finish
 * 180 s in half an hour). The clips and voices are therefore parts, each built during the window
 * before it starts: renderNativeProject suspends the context at each window's start, builds the
 * parts due next and resumes. The mixer, buses and effects are built once, up front.
 */
import type { Automation, GraphNode } from "../src/contracts/graph-descriptor";
import type { RenderRequest } from "../src/contracts/render";

/** A reverb's wet impulse response: its output channels for a unit impulse into its mono sum. */
export type ImpulseResponse = Float32Array[];

export interface NativeProjectSources {
  /** The AudioBuffer of each buffer handle the graph names. */
  buffers: ReadonlyMap<string, AudioBuffer>;
  /** The wet impulse response of a builtin:reverb node (by node), cut where it falls silent. */
  reverbResponse: (node: GraphNode) => ImpulseResponse;
}

/** Nodes made, by kind, for the log (the parts count as they are built). */
export interface NativeGraphCounts {
  sources: number;
  voices: number;
  nodes: number;
}

/** Something that starts at `start` seconds, built by `build` shortly before. */
export interface TimedPart {
  start: number;
  build: () => void;
}

/** The graph built up front, and the parts still to build as the render goes. */
export interface NativeProjectGraph {
  counts: NativeGraphCounts;
  /** In start order. */
  parts: TimedPart[];
}

/** How often the render stops to build the next parts, in seconds (375 quanta at 48 kHz). */
export const NATIVE_BUILD_WINDOW_SECONDS = 1;

/** What a graph node became: its input, and its output (a clip's is built later, connected then). */
type Built =
  | { input: AudioNode | null; output: AudioNode }
  | { input: null; output: null; connectLater: (target: AudioNode) => void };

/** The synth parameters a native voice reproduces, with the synth's defaults (docs/processors.md). */
const SYNTH_DEFAULTS = {
  osc1_waveform: "saw",
  filter_mode: "lowpass",
  filter_cutoff: 20000,
  filter_resonance: Math.SQRT1_2,
  attack: 2,
  decay: 100,
  sustain: 1,
  release: 100,
  velocity_to_amp: 1,
  voices: 8,
  gain: 1,
} as const;
/** Synth parameters a native voice does not reproduce: they must stay at these values. */
const SYNTH_FIXED: Record<string, number> = {
  osc_mix: 0,
  noise: 0,
  filter_env_amount: 0,
  filter_key_tracking: 0,
  velocity_to_filter: 0,
  lfo_to_pitch: 0,
  lfo_to_cutoff: 0,
  lfo_to_amp: 0,
  glide: 0,
};
const WAVEFORMS: Record<string, OscillatorType> = {
  sine: "sine",
  saw: "sawtooth",
  square: "square",
  triangle: "triangle",
  "0": "sine",
  "1": "sawtooth",
  "2": "square",
  "3": "triangle",
};
const FILTER_TYPES: Record<string, BiquadFilterType | null> = {
  off: null,
  lowpass: "lowpass",
  highpass: "highpass",
  bandpass: "bandpass",
  "0": null,
  "1": "lowpass",
  "2": "highpass",
  "3": "bandpass",
};
/** The synth's and reverb's envelopes fall 60 dB over their times: e^(-t/τ) = 10^-3. */
const LN_1000 = Math.log(1000);

/**
 * Builds `request`'s graph in `context` (whose length and rate must be the request's) and connects
 * its output to the destination; the clips and voices are returned as parts to build just in time
 * (renderNativeProject). Throws naming the first node it cannot express.
 * @example
 * const context = new OfflineAudioContext({ numberOfChannels: 2, length: frames, sampleRate: 48000 });
 * const graph = buildNativeProject(context, request, { buffers, reverbResponse: () => response });
 * const rendered = await renderNativeProject(context, graph);
 */
export function buildNativeProject(
  context: OfflineAudioContext,
  request: RenderRequest,
  sources: NativeProjectSources,
): NativeProjectGraph {
  if (request.start_position_seconds !== 0) throw new Error("the native reference renders from 0 only");
  if (request.duration_seconds === null) throw new Error("the native reference needs duration_seconds");
  const graph = request.node_graph;
  const end = request.duration_seconds;
  const counts: NativeGraphCounts = { sources: 0, voices: 0, nodes: 0 };
  const parts: TimedPart[] = [];
  const made = new Map<string, Built>();
  const count = <T extends AudioNode>(node: T): T => {
    counts.nodes++;
    return node;
  };

  for (const node of graph.nodes) {
    if (node.inputs.length > 1 && node.node_id !== "builtin:mixer") {
      throw new Error(`${node.name}: the native reference sums several inputs only into a mixer`);
    }
    made.set(node.name, buildNode(node));
  }
  for (const node of graph.nodes) {
    const target = made.get(node.name);
    node.inputs.forEach((input, index) => {
      const from = made.get(input);
      if (from === undefined || target?.input == null) {
        throw new Error(`${node.name}: input ${input} is missing`);
      }
      const gain = node.node_id === "builtin:mixer" ? number(node, `input_gain_${index}`, 1) : 1;
      const into = gain === 1 ? target.input : count(new GainNode(context, { gain }));
      if (into !== target.input) into.connect(target.input);
      if (from.output === null) from.connectLater(into);
      else from.output.connect(into);
    });
  }
  const output = made.get(graph.output)?.output;
  if (output == null) throw new Error(`the graph's output ${graph.output} is not a node that lasts`);
  output.connect(context.destination);
  parts.sort((a, b) => a.start - b.start);
  return { counts, parts };

  function buildNode(node: GraphNode): Built {
    switch (node.node_id) {
      case "builtin:gain":
      case "builtin:mixer": {
        const gain = count(new GainNode(context, { gain: number(node, "gain", 1) }));
        automate(node, "gain", gain.gain);
        onlyAutomation(node, ["gain"]);
        return { input: gain, output: gain };
      }
      case "builtin:panner": {
        if (String(node.params.rule) !== "equalPower" && String(node.params.rule) !== "7") {
          throw new Error(`${node.name}: only the equalPower rule is StereoPannerNode's`);
        }
        const panner = count(new StereoPannerNode(context, { pan: number(node, "pan", 0) }));
        automate(node, "pan", panner.pan);
        onlyAutomation(node, ["pan"]);
        return { input: panner, output: panner };
      }
      case "builtin:playback":
        return playback(node);
      case "builtin:synth":
        return { input: null, output: synth(node) };
      case "builtin:reverb":
        return reverb(node);
      case "builtin:delay":
        return delay(node);
      default:
        throw new Error(`${node.name}: the native reference has no stand-in for ${node.node_id}`);
    }
  }

  function playback(node: GraphNode): Built {
    onlyAutomation(node, ["gain"]);
    const handle = node.buffers.data;
    const buffer = handle === undefined ? undefined : sources.buffers.get(handle);
    if (buffer === undefined) throw new Error(`${node.name}: no AudioBuffer for its data`);
    const targets: AudioNode[] = [];
    const span = audibleSpan(node.automation.gain, number(node, "gain", 1), end);
    if (span !== null) {
      parts.push({
        start: span.start,
        build: () => {
          const gain = count(new GainNode(context, { gain: number(node, "gain", 1) }));
          automate(node, "gain", gain.gain);
          // The node reads frame (n + start_offset) mod length at transport frame n (loop on).
          const looped = String(node.params.loop) === "on" || String(node.params.loop) === "1";
          const read = number(node, "start_offset", 0) + span.start;
          const offset = looped ? read % buffer.duration : read;
          // Looping costs nothing natively, but only a span that runs past the audio's end needs it.
          const loop = looped && span.end - span.start > buffer.duration - offset;
          const source = count(new AudioBufferSourceNode(context, { buffer, loop }));
          source.connect(gain);
          for (const target of targets) gain.connect(target);
          source.start(span.start, offset);
          source.stop(span.end);
          counts.sources++;
        },
      });
    }
    return { input: null, output: null, connectLater: (target) => targets.push(target) };
  }

  function synth(node: GraphNode): AudioNode {
    onlyAutomation(node, []);
    for (const [id, value] of Object.entries(SYNTH_FIXED)) {
      if (number(node, id, value) !== value) {
        throw new Error(`${node.name}: the native voice does not reproduce ${id} (${node.params[id]})`);
      }
    }
    const p = (id: keyof typeof SYNTH_DEFAULTS) => node.params[id] ?? SYNTH_DEFAULTS[id];
    const type = WAVEFORMS[String(p("osc1_waveform"))];
    const filterType = FILTER_TYPES[String(p("filter_mode"))];
    if (type === undefined || filterType === undefined)
      throw new Error(`${node.name}: unknown waveform or filter`);
    const attack = Number(p("attack")) / 1000;
    const decay = Number(p("decay")) / 1000;
    const sustain = Number(p("sustain"));
    const release = Number(p("release")) / 1000;
    const velocityToAmp = Number(p("velocity_to_amp"));
    const cutoff = Math.min(Number(p("filter_cutoff")), 0.49 * context.sampleRate);
    // Web Audio's lowpass and highpass take Q in dB; its bandpass takes it as it is.
    const resonance = Number(p("filter_resonance"));
    const q = filterType === "bandpass" ? resonance : 20 * Math.log10(resonance);
    const sum = count(
      new GainNode(context, { gain: Number(p("gain")), channelCount: 1, channelCountMode: "explicit" }),
    );
    const notes = node.midi.map((event) => {
      if (event.type !== "note" || event.timeline !== "seconds") {
        throw new Error(`${node.name}: the native voices play notes on seconds only, not ${event.type}`);
      }
      return event;
    });
    // A voice sounds until its release has fallen 80 dB (4/3 of the release time).
    const tail = (4 / 3) * release;
    if (maxOverlap(notes.map((n) => [n.time, n.time + n.duration + tail])) > Number(p("voices"))) {
      throw new Error(`${node.name}: more notes at once than voices: the synth would steal, natively not`);
    }
    for (const note of notes) {
      if (note.duration <= attack) throw new Error(`${node.name}: a note shorter than the attack`);
      parts.push({
        start: note.time,
        build: () => voice(note.time, note.time + note.duration, note.note, note.velocity),
      });
    }
    const voice = (start: number, off: number, pitch: number, velocity: number) => {
      const peak = 1 - velocityToAmp * (1 - velocity / 127);
      const osc = count(new OscillatorNode(context, { type, frequency: 440 * 2 ** ((pitch - 69) / 12) }));
      const envelope = count(new GainNode(context, { gain: 0 }));
      const env = envelope.gain;
      env.setValueAtTime(0, start);
      if (attack > 0) env.linearRampToValueAtTime(peak, start + attack);
      else env.setValueAtTime(peak, start);
      if (sustain < 1) env.setTargetAtTime(peak * sustain, start + attack, decay / LN_1000);
      if (release > 0) env.setTargetAtTime(0, off, release / LN_1000);
      else env.setValueAtTime(0, off);
      const filtered =
        filterType === null
          ? osc
          : osc.connect(count(new BiquadFilterNode(context, { type: filterType, frequency: cutoff, Q: q })));
      filtered.connect(envelope).connect(sum);
      osc.start(start);
      osc.stop(off + tail);
      counts.voices++;
    };
    return sum;
  }

  function reverb(node: GraphNode): { input: AudioNode; output: AudioNode } {
    onlyAutomation(node, []);
    if (number(node, "freeze", 0) !== 0)
      throw new Error(`${node.name}: a frozen reverb is not a convolution`);
    const response = sources.reverbResponse(node);
    const length = response[0]?.length ?? 0;
    const ir = new AudioBuffer({ numberOfChannels: response.length, length, sampleRate: context.sampleRate });
    // The response is for an impulse into the reverb's sum of left and right; a speakers downmix to
    // mono halves that sum, so the response is doubled.
    response.forEach((channel, c) => {
      ir.getChannelData(c).set(Float32Array.from(channel, (v) => 2 * v));
    });
    const input = count(new GainNode(context));
    const mono = count(
      new GainNode(context, {
        channelCount: 1,
        channelCountMode: "explicit",
        channelInterpretation: "speakers",
      }),
    );
    const convolver = count(new ConvolverNode(context, { buffer: ir, disableNormalization: true }));
    // juce::Reverb scales the dry level by 2.
    const dry = count(new GainNode(context, { gain: 2 * number(node, "dry_level", 0.4) }));
    const output = count(new GainNode(context));
    input.connect(mono).connect(convolver).connect(output);
    input.connect(dry).connect(output);
    return { input, output };
  }

  function delay(node: GraphNode): { input: AudioNode; output: AudioNode } {
    onlyAutomation(node, []);
    const seconds = number(node, "time", 10) / 1000;
    if (seconds * context.sampleRate < 256) {
      throw new Error(`${node.name}: the native delay's cycle needs a time of at least 256 frames`);
    }
    const input = count(new GainNode(context));
    // y[n] = wet × s[n - D] + dry × x[n], where s[n - D] = x[n - D] + feedback × s[n - 2D]: the first
    // echo through one DelayNode, the later ones fed back through another. Chromium renders a cycle
    // one quantum (128 frames) late, so the DelayNode in the cycle is that much shorter.
    const first = count(new DelayNode(context, { delayTime: seconds, maxDelayTime: seconds }));
    const echoes = count(new GainNode(context));
    const loopSeconds = seconds - 128 / context.sampleRate;
    const loop = count(new DelayNode(context, { delayTime: loopSeconds, maxDelayTime: seconds }));
    const feedback = count(new GainNode(context, { gain: number(node, "feedback", 0) }));
    const wet = count(new GainNode(context, { gain: number(node, "wet", 1) }));
    const dry = count(new GainNode(context, { gain: number(node, "dry", 0) }));
    const output = count(new GainNode(context));
    input.connect(first).connect(echoes).connect(wet).connect(output);
    echoes.connect(loop).connect(feedback).connect(echoes);
    input.connect(dry).connect(output);
    return { input, output };
  }
}

/**
 * Renders a graph of buildNativeProject: the parts due in the first two windows are built now, and
 * the render stops at the start of each window to build those starting in the window after it.
 * @example
 * const rendered = await renderNativeProject(context, buildNativeProject(context, request, sources));
 */
export function renderNativeProject(
  context: OfflineAudioContext,
  { parts }: NativeProjectGraph,
  windowSeconds = NATIVE_BUILD_WINDOW_SECONDS,
): Promise<AudioBuffer> {
  let next = 0;
  const buildBefore = (time: number) => {
    while (next < parts.length && (parts[next] as TimedPart).start < time)
      (parts[next++] as TimedPart).build();
  };
  buildBefore(2 * windowSeconds);
  const duration = context.length / context.sampleRate;
  for (let k = 1; (k + 1) * windowSeconds < duration; k++) {
    context.suspend(k * windowSeconds).then(() => {
      buildBefore((k + 2) * windowSeconds);
      return context.resume();
    });
  }
  return context.startRendering();
}

/** A numeric parameter of a node, or its default. */
function number(node: GraphNode, id: string, fallback: number): number {
  const value = node.params[id];
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new Error(`${node.name}: parameter ${id} is "${value}", not a number`);
  return value;
}

function onlyAutomation(node: GraphNode, allowed: string[]): void {
  for (const id of Object.keys(node.automation)) {
    if (!allowed.includes(id)) throw new Error(`${node.name}: the native reference does not automate ${id}`);
  }
}

/** A breakpoint lane as AudioParam calls: a point's curve shapes the segment to the next point. */
function automate(node: GraphNode, id: string, param: AudioParam): void {
  const lane = node.automation[id];
  if (lane === undefined) return;
  const points = breakpoints(node, id, lane);
  const first = points[0];
  if (first === undefined) return;
  param.value = first.value;
  param.setValueAtTime(first.value, first.time);
  for (let i = 1; i < points.length; i++) {
    const { curve } = points[i - 1] as (typeof points)[number];
    const { time, value } = points[i] as (typeof points)[number];
    if (curve === "linear") param.linearRampToValueAtTime(value, time);
    else if (curve === "exponential") param.exponentialRampToValueAtTime(value, time);
    else param.setValueAtTime(value, time);
  }
}

function breakpoints(node: GraphNode, id: string, lane: Automation) {
  if (lane.kind !== "breakpoints" || lane.timeline !== "seconds") {
    throw new Error(`${node.name}: ${id} automation of kind ${lane.kind} has no native stand-in here`);
  }
  return lane.points;
}

/**
 * Where a gain envelope is not 0: from the last point at 0 before it first rises to where it returns
 * to 0 for good (the render's end if it never does). Null when it is 0 throughout.
 */
function audibleSpan(
  lane: Automation | undefined,
  constant: number,
  end: number,
): { start: number; end: number } | null {
  if (lane === undefined) return constant === 0 ? null : { start: 0, end };
  if (lane.kind !== "breakpoints") return { start: 0, end };
  const points = lane.points;
  const firstLoud = points.findIndex((point) => point.value !== 0);
  if (firstLoud < 0) return null;
  const start = firstLoud === 0 ? 0 : (points[firstLoud - 1] as (typeof points)[number]).time;
  const last = points[points.length - 1] as (typeof points)[number];
  return { start, end: last.value === 0 ? last.time : end };
}

/** The most intervals that overlap at any time. */
function maxOverlap(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([from, to]) => [
    [from, 1],
    [to, -1],
  ]);
  // An interval ending where another starts does not overlap it.
  edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let most = 0;
  for (const [, step] of edges) {
    now += step as number;
    most = Math.max(most, now);
  }
  return most;
}
