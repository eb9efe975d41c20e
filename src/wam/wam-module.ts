/**
 * Loading a WAM module for a graph (through the one loader, load-wam.ts) and the host group its
 * instances join (main thread).
 */

import { loadWamModule, type WamLoadPolicy } from "./load-wam";
import type { WamParameterInfoLike } from "./wam-timeline";

/** A WAM event as scheduleEvents takes it (time in the context's seconds). */
export interface WamEventLike {
  type: string;
  time?: number;
  data: unknown;
}

/** What the host uses of a WAM's audio node (a WamNode, or a plugin's CompositeAudioNode). */
export interface WamNodeLike extends AudioNode {
  getParameterInfo(...ids: string[]): Promise<Record<string, WamParameterInfoLike>>;
  getParameterValues(normalized?: boolean, ...ids: string[]): Promise<Record<string, { value: number }>>;
  setParameterValues(
    values: Record<string, { id: string; value: number; normalized: boolean }>,
  ): Promise<void>;
  getState(): Promise<unknown>;
  setState(state: unknown): Promise<void>;
  getCompensationDelay(): Promise<number>;
  scheduleEvents(...events: WamEventLike[]): void;
  destroy(): void;
}

/** A WAM instance (WebAudioModule). */
export interface WamInstance {
  readonly audioNode: WamNodeLike;
  readonly moduleId: string;
  readonly instanceId: string;
  createGui(): Promise<Element | undefined>;
  destroyGui(gui: Element): void;
}

/** A WAM module's default export. */
export interface WamModuleClass {
  isWebAudioModuleConstructor: boolean;
  createInstance(groupId: string, context: BaseAudioContext, initialState?: unknown): Promise<WamInstance>;
}

/**
 * The WebAudioModule class a module exports by default; rejects with a reason when the module does not
 * load or is not a WAM.
 * @example
 * const Fixture = await importWamModule("/build/wam/fixture/index.js");
 */
export async function importWamModule(
  url: string,
  policy: WamLoadPolicy = {},
  path = "url",
): Promise<WamModuleClass> {
  // The one loader (load-wam.ts): origin policy, import maps, errors naming the URL and why.
  return (await loadWamModule(url, policy, path)) as unknown as WamModuleClass;
}

/** A WAM host group: plugins get its id; the key opens it on the audio thread (host only). */
export interface WamHostGroup {
  groupId: string;
  groupKey: string;
}

const groups = new WeakMap<BaseAudioContext, Promise<WamHostGroup>>();

/**
 * The host group of `context` (initializeWamHost once per context, with a random key; a failure is
 * forgotten so a retry works).
 */
export function wamHostGroup(context: BaseAudioContext): Promise<WamHostGroup> {
  let group = groups.get(context);
  if (!group) {
    group = (async () => {
      // Imported here: the SDK's classes extend AudioWorkletNode when evaluated (not in Node.js).
      const { initializeWamHost } = await import("@webaudiomodules/sdk");
      const [groupId, groupKey] = await initializeWamHost(
        context,
        `webdreamer-${crypto.randomUUID()}`,
        crypto.randomUUID(),
      );
      return { groupId, groupKey };
    })();
    group.catch(() => groups.delete(context));
    groups.set(context, group);
  }
  return group;
}
