/**
 * A minimal WAM 2.0 host, written only against the WAM API, as any third-party host would load a
 * plugin: initializeWamHost(context) -> [groupId]; the module's default export; createInstance(groupId,
 * context, state?); instance.audioNode.connect(...); scheduleEvents(...). Nothing here knows webdreamer:
 * e2e/wam-export.spec.ts points it at graphs webdreamer exported and compares what it renders with
 * webdreamer's own render.
 */
import type { WamEvent, WamNode, WebAudioModule } from "@webaudiomodules/api";
import { initializeWamHost } from "@webaudiomodules/sdk";

/** What a test asks the host to render. */
export interface WamHostRender {
  /** The plugin's module (index.js). */
  moduleUrl: string;
  sampleRate: number;
  frames: number;
  channels: number;
  /** Scheduled before rendering, with their `time` in context seconds. */
  events: WamEvent[];
  /** createInstance's initial state, if any. */
  initialState?: unknown;
  /** Instances of the plugin, each given the events, all into the destination. Default 1. */
  instances?: number;
  /** Return no samples (a timing run: hundreds of thousands of numbers take long to hand over). */
  timingOnly?: boolean;
  /**
   * Audio played into each instance's input from frame 0 (an effect), one array per channel at
   * `sampleRate`, through an AudioBufferSourceNode.
   */
  input?: number[][];
}

export interface WamHostResult {
  channels: number[][];
  descriptor: { identifier: string; isInstrument: boolean; hasMidiInput: boolean; hasAudioInput: boolean };
  /** The instance node's inputs and channelCount, as Web Audio sees them. */
  node: { numberOfInputs: number; numberOfOutputs: number; channelCount: number };
  parameterIds: string[];
  state: unknown;
  compensationDelay: number;
  /** Time spent in startRendering, for a figure of the plugin's cost. */
  renderMs: number;
}

/** A live check: events relative to a start time, and when to measure the output's level. */
export interface WamHostLive {
  moduleUrl: string;
  /** Events with `time` in seconds after the start (the start is set once the plugin is running). */
  events: WamEvent[];
  /** Seconds after the start at which to read the output's RMS (over 2048 frames before it). */
  measureAt: number[];
}

/** What the plugin's GUI shows, and a parameter's value after its control was moved. */
export interface WamHostGui {
  controls: { parameterId: string; kind: string }[];
  movedTo: number;
}

export interface WamHostApi {
  render(request: WamHostRender): Promise<WamHostResult>;
  live(request: WamHostLive): Promise<number[]>;
  gui(moduleUrl: string, parameterId: string, value: number): Promise<WamHostGui>;
}

type WamConstructor = {
  isWebAudioModuleConstructor: boolean;
  createInstance(groupId: string, context: BaseAudioContext, state?: unknown): Promise<WebAudioModule>;
};

async function render(request: WamHostRender): Promise<WamHostResult> {
  const context = new OfflineAudioContext(request.channels, request.frames, request.sampleRate);
  const [groupId] = await initializeWamHost(context);
  const module = (await import(/* @vite-ignore */ request.moduleUrl)) as { default: WamConstructor };
  const Plugin = module.default;
  if (!Plugin.isWebAudioModuleConstructor) throw new Error(`${request.moduleUrl} exports no WebAudioModule`);
  const instances: WebAudioModule[] = [];
  for (let i = 0; i < (request.instances ?? 1); i++) {
    instances.push(await Plugin.createInstance(groupId, context, request.initialState));
  }
  const input = request.input === undefined ? null : new AudioBufferSourceNode(context);
  if (input !== null && request.input !== undefined) {
    const length = request.input[0]?.length ?? 0;
    const buffer = new AudioBuffer({
      numberOfChannels: request.input.length,
      length,
      sampleRate: request.sampleRate,
    });
    request.input.forEach((channel, c) => {
      buffer.copyToChannel(Float32Array.from(channel), c);
    });
    input.buffer = buffer;
    input.start(0);
  }
  for (const instance of instances) {
    const node = instance.audioNode as WamNode & AudioNode;
    input?.connect(node);
    node.connect(context.destination);
    node.scheduleEvents(...request.events);
  }
  const instance = instances[0] as WebAudioModule;
  const node = instance.audioNode as WamNode & AudioNode;
  const parameterIds = Object.keys(await node.getParameterInfo());
  const compensationDelay = await node.getCompensationDelay();
  // A round trip on each node's port after its events: each processor has queued every one of them
  // before the offline render starts (the events travel on that port).
  const states = await Promise.all(instances.map((i) => (i.audioNode as WamNode).getState()));
  const state = states[0];
  const started = performance.now();
  const rendered = await context.startRendering();
  const renderMs = performance.now() - started;
  const channels: number[][] = [];
  if (!request.timingOnly) {
    for (let c = 0; c < rendered.numberOfChannels; c++) channels.push(Array.from(rendered.getChannelData(c)));
  }
  const { identifier, isInstrument, hasMidiInput, hasAudioInput } = instance.descriptor;
  return {
    channels,
    descriptor: { identifier, isInstrument, hasMidiInput, hasAudioInput },
    node: {
      numberOfInputs: node.numberOfInputs,
      numberOfOutputs: node.numberOfOutputs,
      channelCount: node.channelCount,
    },
    parameterIds,
    state,
    compensationDelay,
    renderMs,
  };
}

/** The plugin in a running AudioContext, its output read with an AnalyserNode while it plays. */
async function live(request: WamHostLive): Promise<number[]> {
  const context = new AudioContext({ sampleRate: 48000 });
  try {
    await context.resume();
    const [groupId] = await initializeWamHost(context);
    const module = (await import(/* @vite-ignore */ request.moduleUrl)) as { default: WamConstructor };
    const instance = await module.default.createInstance(groupId, context);
    const node = instance.audioNode as WamNode & AudioNode;
    const analyser = new AnalyserNode(context, { fftSize: 2048 });
    node.connect(analyser);
    analyser.connect(context.destination);
    const start = context.currentTime + 0.2;
    node.scheduleEvents(...request.events.map((event) => ({ ...event, time: start + (event.time ?? 0) })));
    const levels: number[] = [];
    const samples = new Float32Array(analyser.fftSize);
    for (const at of request.measureAt) {
      while (context.currentTime < start + at) await new Promise((resolve) => setTimeout(resolve, 5));
      analyser.getFloatTimeDomainData(samples);
      levels.push(Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length));
    }
    return levels;
  } finally {
    await context.close();
  }
}

/** Mounts the plugin's GUI (createGui) and moves one control as a user would. */
async function gui(moduleUrl: string, parameterId: string, value: number): Promise<WamHostGui> {
  const context = new OfflineAudioContext(1, 128, 48000);
  const [groupId] = await initializeWamHost(context);
  const module = (await import(/* @vite-ignore */ moduleUrl)) as { default: WamConstructor };
  const instance = await module.default.createInstance(groupId, context);
  const element = await instance.createGui();
  document.body.append(element);
  const inputs = [...element.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-parameter-id]")];
  const controls = inputs.map((input) => ({
    parameterId: input.dataset.parameterId ?? "",
    kind: input.type,
  }));
  const control = inputs.find((input) => input.dataset.parameterId === parameterId);
  if (control === undefined) throw new Error(`no control for ${parameterId}`);
  control.value = String(value);
  control.dispatchEvent(new Event("input"));
  const node = instance.audioNode as WamNode;
  // The GUI's setParameterValues was posted before this request: its answer comes after.
  const values = await node.getParameterValues(false, parameterId);
  element.remove();
  return { controls, movedTo: values[parameterId]?.value ?? Number.NaN };
}

(window as unknown as { wamHost: WamHostApi }).wamHost = { render, live, gui };
