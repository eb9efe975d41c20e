/**
 * Routes a WAM node's setParameterValues through the primary (main thread).
 *
 * A plugin's GUI sets its parameters with `setParameterValues` on its node (WAM 2.0), which posts
 * straight to the plugin's processor. The host's audio thread never sees such a change, so a live
 * render could neither say on which frame it landed nor record it. Once routed, the node's
 * `setParameterValues` sends plain values as "now" wam-automation events through the primary instead
 * (`send`: the path of the host's own `setParameter`, wam-event-lanes.ts). The plugin takes them at
 * its next quantum, a live render's record_automation holds them from the frame they land on, and
 * `getParameter` reads them afterwards (one audio thread takes both ports' messages in order).
 *
 * What keeps the plugin's own path: normalized values (only the plugin knows its curve from 0..1 to
 * its units, so the host could not record them in plain units), ids the plugin did not declare, and
 * values that are not finite numbers (the plugin's own answer to them is its business).
 */
import type { WamNodeLike } from "../../wam/wam-module";

type ParameterValues = Parameters<WamNodeLike["setParameterValues"]>[0];

/** A plain value for parameter `id`. */
export interface RoutedValue {
  id: string;
  value: number;
}

/**
 * Makes `node.setParameterValues` send the plain values of `declared` parameters to `send`, and the
 * rest to the plugin as before; returns the undo.
 * @example
 * const undo = routeParameterSets(wamNode, ["gain"], (values) => post(values));
 * await wamNode.setParameterValues({ gain: { id: "gain", value: 0.5, normalized: false } }); // post([{ id: "gain", value: 0.5 }])
 * undo();
 */
export function routeParameterSets(
  node: WamNodeLike,
  declared: readonly string[],
  send: (values: RoutedValue[]) => void,
): () => void {
  const own = node.setParameterValues;
  const ids = new Set(declared);
  node.setParameterValues = async (values: ParameterValues) => {
    const routed: RoutedValue[] = [];
    const rest: ParameterValues = {};
    for (const [key, entry] of Object.entries(values ?? {})) {
      const id = typeof entry?.id === "string" ? entry.id : key;
      if (entry?.normalized !== true && ids.has(id) && Number.isFinite(entry?.value)) {
        routed.push({ id, value: entry.value });
      } else {
        Object.defineProperty(rest, key, {
          value: entry,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    if (routed.length > 0) send(routed);
    if (Object.keys(rest).length > 0) await own.call(node, rest);
  };
  return () => {
    node.setParameterValues = own;
  };
}
