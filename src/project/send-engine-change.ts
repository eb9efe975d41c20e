/**
 * Sends an EngineChange (diff-compiled.ts) to a playing engine through EngineClient: the edits in
 * order, or a graph reload followed by the loop region.
 */
import type { EngineClient } from "../api/engine-client";
import type { EngineChange } from "./diff-compiled";

/**
 * @example
 * await sendEngineChange(client, change);
 */
export async function sendEngineChange(client: EngineClient, change: EngineChange): Promise<void> {
  if (change.kind === "reload") {
    await client.loadGraph(change.graph);
    await client.setLoop(change.loop);
    return;
  }
  for (const edit of change.edits) {
    switch (edit.type) {
      case "set_parameter":
        await client.setParameter(edit.node, edit.parameter_id, edit.value);
        break;
      case "schedule_automation":
        await client.scheduleAutomation(edit.node, edit.parameter_id, edit.automation, { mode: "replace" });
        break;
      case "schedule_events":
        await client.scheduleEvents(edit.node, edit.events);
        break;
      case "set_loop":
        await client.setLoop(edit.loop);
        break;
    }
  }
}
