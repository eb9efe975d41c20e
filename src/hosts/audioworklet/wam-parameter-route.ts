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
 * A normalized value (`normalized: true`, as many GUIs' knobs send 0..1) is routed in plain units:
 * WAM 2.0 declares each parameter's curve (minValue, maxValue, exponent), and the host applies it as
 * the WAM SDK's plugins do (wam-normalization.ts), so the plugin ends on the value it would have set
 * itself, and the record holds it in the units every other record of that parameter has.
 *
 * What keeps the plugin's own path: ids the plugin did not declare, and values that are not finite
 * numbers (the plugin's own answer to them is its business).
 */
import type { WamNodeLike } from "../../wam/wam-module";
import { denormalizeWamValue } from "../../wam/wam-normalization";
import type { WamParameterInfoLike } from "../../wam/wam-timeline";

type ParameterValues = Parameters<WamNodeLike["setParameterValues"]>[0];

/** A plain value for parameter `id`. */
export interface RoutedValue {
  id: string;
  value: number;
}

/**
 * Makes `node.setParameterValues` send the values of `declared` parameters to `send` in plain units,
 * and the rest to the plugin as before; returns the undo.
 * @example
 * const undo = routeParameterSets(wamNode, [{ id: "gain", minValue: -8, maxValue: 8 }], (values) => post(values));
 * await wamNode.setParameterValues({ gain: { id: "gain", value: 0.5, normalized: false } }); // post([{ id: "gain", value: 0.5 }])
 * await wamNode.setParameterValues({ gain: { id: "gain", value: 0.75, normalized: true } }); // post([{ id: "gain", value: 4 }])
 * undo();
 */
export function routeParameterSets(
  node: WamNodeLike,
  declared: readonly WamParameterInfoLike[],
  send: (values: RoutedValue[]) => void,
): () => void {
  const own = node.setParameterValues;
  const infos = new Map(declared.map((info) => [info.id, info]));
  node.setParameterValues = async (values: ParameterValues) => {
    const routed: RoutedValue[] = [];
    const rest: ParameterValues = {};
    for (const [key, entry] of Object.entries(values ?? {})) {
      const id = typeof entry?.id === "string" ? entry.id : key;
      const info = infos.get(id);
      const value =
        info && entry?.normalized === true ? denormalizeWamValue(info, entry.value) : entry?.value;
      if (info !== undefined && Number.isFinite(value)) {
        routed.push({ id, value: value as number });
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
