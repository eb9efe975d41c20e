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
}

export interface WamHostResult {
  channels: number[][];
  descriptor: { identifier: string; isInstrument: boolean; hasMidiInput: boolean };
  parameterIds: string[];
  state: unknown;
  /** Time spent in startRendering, for a figure of the plugin's cost. */
  renderMs: number;
}

export interface WamHostApi {
  render(request: WamHostRender): Promise<WamHostResult>;
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
  const instance = await Plugin.createInstance(groupId, context, request.initialState);
  const node = instance.audioNode as WamNode & AudioNode;
  node.connect(context.destination);
  const parameterIds = Object.keys(await node.getParameterInfo());
  node.scheduleEvents(...request.events);
  // A round trip on the node's port after the events: the processor has queued every one of them
  // before the offline render starts (the events travel on that port).
  const state = await node.getState();
  const started = performance.now();
  const rendered = await context.startRendering();
  const renderMs = performance.now() - started;
  const channels: number[][] = [];
  for (let c = 0; c < rendered.numberOfChannels; c++) channels.push(Array.from(rendered.getChannelData(c)));
  const { identifier, isInstrument, hasMidiInput } = instance.descriptor;
  return { channels, descriptor: { identifier, isInstrument, hasMidiInput }, parameterIds, state, renderMs };
}

(window as unknown as { wamHost: WamHostApi }).wamHost = { render };
