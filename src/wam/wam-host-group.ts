/**
 * The WAM host group of an audio context: initializeWamHost (the WAM environment and one group in the
 * context's AudioWorkletGlobalScope) runs once per BaseAudioContext and is shared by every plugin the
 * engine creates there (discovery, graph nodes).
 *
 * - The key is unguessable (crypto.randomUUID): with the SDK's default (performance.now()) any
 *   plugin could guess it and reach the group's other plugins (webAudioModules.getGroup(id, key)).
 * - A failed initialisation is not cached, so a later call retries (a context that was suspended or
 *   not yet allowed to start).
 */

/** [groupId, groupKey]: plugins get the id; the key stays with the host. */
export type WamHostGroup = readonly [groupId: string, groupKey: string];

const groups = new WeakMap<BaseAudioContext, Promise<WamHostGroup>>();

/**
 * The context's host group, initialised on first use and cached.
 * @example
 * const [groupId] = await createWamHostGroup(context);
 * const plugin = await Plugin.createInstance(groupId, context);
 */
export function createWamHostGroup(context: BaseAudioContext): Promise<WamHostGroup> {
  let group = groups.get(context);
  if (group === undefined) {
    group = initialize(context);
    groups.set(context, group);
    group.catch(() => {
      if (groups.get(context) === group) groups.delete(context);
    });
  }
  return group;
}

async function initialize(context: BaseAudioContext): Promise<WamHostGroup> {
  // Imported here: the SDK's classes extend AudioWorkletNode at module evaluation, which throws where
  // there is none (Node.js), and this module is imported by code that also runs there.
  const { initializeWamHost } = await import("@webaudiomodules/sdk");
  const groupId = `webdreamer-${crypto.randomUUID()}`;
  const [id, key] = await initializeWamHost(context, groupId, crypto.randomUUID());
  return [id, key];
}
