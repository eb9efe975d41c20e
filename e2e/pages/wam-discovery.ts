// WAM loading and discovery in Chromium (e2e/wam-discovery.spec.ts): the wam-community corpus served
// under /wam-corpus/, and fixtures under /e2e/fixtures/.
import type { WamLoadPolicy } from "../../src/api/wam-load-policy";
import { EngineError } from "../../src/contracts/errors";
import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import { describeWam, loadWamModule } from "../../src/wam";
import { createWamHostGroup } from "../../src/wam/wam-host-group";

type Outcome<T> = { value: T } | { error: { code: string; path: string; message: string } };

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await run() };
  } catch (error) {
    const wire = EngineError.fromWire(error);
    return { error: { code: wire.code, path: wire.path, message: wire.message } };
  }
}

let context: BaseAudioContext | undefined;
function sharedContext(offline: boolean): BaseAudioContext {
  context ??= offline ? new OfflineAudioContext(2, 128, 48000) : new AudioContext({ sampleRate: 48000 });
  return context;
}

async function loadAndDescribe(
  url: string,
  policy: WamLoadPolicy = {},
  offline = false,
): Promise<Outcome<NodeDescriptor>> {
  return outcome(async () => {
    const Plugin = await loadWamModule(url, policy);
    const ctx = sharedContext(offline);
    const [groupId] = await createWamHostGroup(ctx);
    return describeWam(Plugin, ctx, groupId, new URL(url, location.href).href);
  });
}

Object.assign(window, { loadAndDescribe });
