/**
 * EngineCommand: the control messages an EngineClient sends to its host (transport, tempo, parameters,
 * MIDI, live MIDI, graph loads). They are validated when built on the client and again when decoded by the
 * worker or worklet side, with the same schema; the command's `type` is the root of error paths
 * (`E_SCHEMA at seek.position_seconds: must be >= 0`).
 *
 * Times (`at_seconds`, event times) are on the transport timeline, so a command scheduled ahead is applied
 * at its exact frame inside a block, not at the next block boundary.
 */
import * as z from "zod";
import { ExtensionsSchema, NodeNameSchema, VersionSchema } from "./common";
import { AutomationSchema, GraphDescriptorSchema, MidiEventSchema } from "./graph-descriptor";
import { LIMITS } from "./limits";
import { LiveMidiMessageSchema } from "./live-midi";
import { LoopRegionSchema } from "./transport-state";

function command<Type extends string, Shape extends z.ZodRawShape>(
  type: Type,
  description: string,
  shape: Shape,
) {
  return z.strictObject({
    version: VersionSchema,
    type: z.literal(type).describe(description),
    ...shape,
    extensions: ExtensionsSchema,
  });
}

export const EngineCommandSchema = z
  .discriminatedUnion("type", [
    command("play", "Start (or resume) the transport from its position.", {}),
    command("pause", "Stop the transport and keep its position.", {}),
    command("stop", "Stop the transport and return to position 0.", {}),
    command("seek", "Move the playhead.", {
      position_seconds: z.number().min(0).describe("New playhead position, in seconds (>= 0)."),
    }),
    command("set_loop", "Set or clear the loop region.", {
      loop: LoopRegionSchema.nullable().describe("The loop region, or null to stop looping."),
    }),
    command(
      "set_tempo",
      "Change the tempo (graphs with a tempo map keep their map; this sets a constant bpm).",
      {
        bpm: z.number().gt(0).max(1000).describe("New tempo in beats per minute (> 0, <= 1000)."),
        ramp_seconds: z
          .number()
          .min(0)
          .default(0)
          .describe("Ramp linearly to the new tempo over this many seconds."),
      },
    ),
    command("set_parameter", "Set one parameter of a node of the loaded graph.", {
      node: NodeNameSchema.describe("Name of the node in the loaded graph."),
      parameter_id: z.string().min(1).describe("Parameter id, as in NodeDescriptor.parameters[].id."),
      value: z.union([z.number(), z.string()]).describe("A number, or a choice label."),
      at_seconds: z
        .number()
        .min(0)
        .nullable()
        .default(null)
        .describe("Transport time to apply it at, in seconds; null means now."),
    }),
    command("schedule_events", "Schedule MIDI events for a node of the loaded graph.", {
      node: NodeNameSchema.describe("Name of the node in the loaded graph."),
      events: z
        .array(MidiEventSchema)
        .min(1)
        .meta({ maxItems: LIMITS.graphEvents.value })
        .describe(
          "Events; their times are on the transport timeline (limit graphEvents, with the graph's own).",
        ),
    }),
    command(
      "send_midi",
      "Play one live MIDI message into a node of the loaded graph, now or at a transport time (see live-midi.ts).",
      {
        node: NodeNameSchema.describe("Name of the node in the loaded graph: one that takes MIDI."),
        message: LiveMidiMessageSchema,
        at_seconds: z
          .number()
          .min(0)
          .nullable()
          .default(null)
          .describe(
            "Transport time to play it at, in seconds; null means now (the first frame of the quantum that takes it).",
          ),
      },
    ),
    command(
      "schedule_automation",
      "Schedule automation of one parameter of a node of the loaded graph, live (see automation-lane.ts).",
      {
        node: NodeNameSchema.describe("Name of the node in the loaded graph."),
        parameter_id: z.string().min(1).describe("Parameter id, as in NodeDescriptor.parameters[].id."),
        automation: AutomationSchema.describe(
          "The automation, of any kind; its times are on the transport timeline (limit automationPoints, the lane's own calls included when appending).",
        ),
        mode: z
          .enum(["append", "replace"])
          .nullable()
          .default(null)
          .describe(
            "append: add web_audio calls after the lane's own, as more AudioParam calls; replace: the lane becomes this automation. null: append for web_audio, replace otherwise.",
          ),
      },
    ),
    command("load_graph", "Replace the real-time graph. A rejected graph leaves the current one playing.", {
      graph: GraphDescriptorSchema,
    }),
  ])
  .describe("A control message from an EngineClient to its host.");

export type EngineCommand = z.output<typeof EngineCommandSchema>;
export type EngineCommandInput = z.input<typeof EngineCommandSchema>;
export type EngineCommandType = EngineCommand["type"];
