/**
 * Validation of EngineClient method arguments, shared by every host so each rejects the same bad call
 * with the same code and path. Commands are built and validated here on the client; the host side
 * decodes them with `decodeCommand`, against the same schema.
 */
import * as z from "zod";
import { BufferHandleSchema, CONTRACT_VERSION, NodeNameSchema, SampleRateSchema } from "../contracts/common";
import { type EngineCommand, EngineCommandSchema, type EngineCommandType } from "../contracts/engine-command";
import { EngineError } from "../contracts/errors";
import type { AutomationInput } from "../contracts/graph-descriptor";
import { checkLimit } from "../contracts/limits";
import type { LiveMidiMessageInput } from "../contracts/live-midi";
import { parseContract } from "../contracts/validate";
import { type DiscoveryRoot, DiscoveryRootSchema, discoveryRootKey } from "./discovery-roots";
import type {
  DiscoverOptions,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
} from "./engine-client";

/** The fields of one command type, as a caller writes them (without `version` and `type`). */
export type CommandFields<T extends EngineCommandType> = Omit<
  Extract<z.input<typeof EngineCommandSchema>, { type: T }>,
  "version" | "type"
>;

/**
 * Builds and validates a command; error paths start with the command type.
 * @example
 * makeCommand("seek", { position_seconds: -1 }); // E_SCHEMA at seek.position_seconds: must be >= 0
 */
export function makeCommand<T extends EngineCommandType>(
  type: T,
  fields: CommandFields<T>,
): Extract<EngineCommand, { type: T }> {
  const command = parseContract(EngineCommandSchema, { version: CONTRACT_VERSION, type, ...fields }, type);
  return command as Extract<EngineCommand, { type: T }>;
}

/**
 * EngineClient.setParameter's arguments as a validated set_parameter command (paths under
 * set_parameter.*); no time means now (at_seconds null).
 * @example
 * const command = setParameterCommand("filter", "frequency", 1200, { atSeconds: 4 });
 */
export function setParameterCommand(
  node: string,
  parameterId: string,
  value: number | string,
  options: SetParameterOptions = {},
): Extract<EngineCommand, { type: "set_parameter" }> {
  return makeCommand("set_parameter", {
    node,
    parameter_id: parameterId,
    value,
    at_seconds: options.atSeconds ?? null,
  });
}

/** getParameter's arguments: a node name and a parameter id. */
export const GetParameterSchema = z.strictObject({
  node: NodeNameSchema.describe("The node's name in the loaded graph."),
  parameter_id: z.string().min(1).describe("The parameter's id."),
});

/** What getParameter answers (ParameterReading), as the HTTP server documents it. */
export const ParameterReadingSchema = z.strictObject({
  value: z.number().describe("The parameter's value now, in its natural units (a choice: its index)."),
  frame: z
    .int()
    .min(0)
    .describe("The transport frame the engine plays next: value is the parameter's value at frame - 1."),
});

/**
 * getParameter's arguments, validated (paths under get_parameter.*): every host's one check before
 * it looks the node and parameter up in the graph it plays.
 * @example
 * getParameterCommand("filter", "frequency"); // { node: "filter", parameter_id: "frequency" }
 */
export function getParameterCommand(node: string, parameterId: string): z.infer<typeof GetParameterSchema> {
  return parseContract(GetParameterSchema, { node, parameter_id: parameterId }, "get_parameter");
}

/**
 * EngineClient.sendMidi's arguments as a validated send_midi command (paths under send_midi.*); no
 * time means now (at_seconds null).
 * @example
 * const command = sendMidiCommand("keys", { type: "note_on", note: 60, velocity: 100 });
 */
export function sendMidiCommand(
  node: string,
  message: LiveMidiMessageInput,
  options: SendMidiOptions = {},
): Extract<EngineCommand, { type: "send_midi" }> {
  return makeCommand("send_midi", { node, message, at_seconds: options?.atSeconds ?? null });
}

/**
 * RealtimeEngineClient.setMonitoring's argument, checked: a boolean, or E_SCHEMA at set_monitoring.on
 * (the host checks it again where it crosses into the engine Worker).
 * @example
 * monitoringFlag(true); // true
 * monitoringFlag("yes"); // E_SCHEMA at set_monitoring.on: must be a boolean, got "yes"
 */
export function monitoringFlag(on: unknown): boolean {
  if (typeof on !== "boolean") {
    throw new EngineError(
      "E_SCHEMA",
      `must be a boolean, got ${JSON.stringify(on) ?? String(on)}`,
      "set_monitoring.on",
    );
  }
  return on;
}

const ScheduleAutomationOptionsSchema = z.strictObject({ mode: z.enum(["append", "replace"]).optional() });

/**
 * EngineClient.scheduleAutomation's arguments as a validated schedule_automation command (paths
 * under schedule_automation.*; options under schedule_automation.options); no mode is null (append
 * for web_audio, replace for the other kinds: automation-lane.ts).
 * @example
 * const command = scheduleAutomationCommand("amp", "gain", {
 *   kind: "web_audio", events: [{ type: "linearRampToValueAtTime", value: 0, time: 3 }],
 * });
 */
export function scheduleAutomationCommand(
  node: string,
  parameterId: string,
  automation: AutomationInput,
  options: ScheduleAutomationOptions = {},
): Extract<EngineCommand, { type: "schedule_automation" }> {
  const parsed = parseContract(ScheduleAutomationOptionsSchema, options ?? {}, "schedule_automation.options");
  return makeCommand("schedule_automation", {
    node,
    parameter_id: parameterId,
    automation,
    mode: parsed.mode ?? null,
  });
}

/**
 * Host side: decodes a command that crossed a thread boundary. Error paths start with the command type
 * when it is recognisable.
 * @example
 * port.onmessage = (event) => apply(decodeCommand(event.data));
 */
export function decodeCommand(message: unknown): EngineCommand {
  const type =
    typeof message === "object" && message !== null ? (message as { type?: unknown }).type : undefined;
  const known = EngineCommandSchema.options.some((option) => option.shape.type.value === type);
  return parseContract(EngineCommandSchema, message, known ? String(type) : "");
}

/**
 * Validates a buffer handle argument (E_SCHEMA at handle: ...).
 * @example
 * const handle = parseHandleArgument(input);
 */
export function parseHandleArgument(handle: unknown): string {
  return parseContract(BufferHandleSchema, handle, "handle");
}

const UploadSchema = z
  .strictObject({
    channels: z.array(z.instanceof(Float32Array, { error: "must be a Float32Array" })).min(1),
    sample_rate: SampleRateSchema,
  })
  .superRefine((upload, ctx) => {
    const frames = upload.channels[0]?.length ?? 0;
    upload.channels.forEach((channel, index) => {
      if (channel.length !== frames) {
        ctx.addIssue({
          code: "custom",
          path: ["channels", index],
          message: `must have ${frames} frames, as channels[0] (has ${channel.length})`,
        });
      }
    });
  });

/**
 * Validates uploadBuffer arguments (paths under `upload`); more channels than the limit `channels`
 * is E_LIMIT at upload.channels.
 * @example
 * const { channels, sample_rate } = parseUploadArguments([left, right], 48000);
 */
export function parseUploadArguments(channels: unknown, sampleRate: unknown): z.output<typeof UploadSchema> {
  const upload = parseContract(UploadSchema, { channels, sample_rate: sampleRate }, "upload");
  checkLimit("channels", upload.channels.length, "upload.channels");
  return upload;
}

const DiscoverOptionsSchema = z.strictObject({ maxAgeMs: z.number().min(0).optional() });

/**
 * Validates discoverNodes options (paths under `options`).
 * @example
 * const { maxAgeMs } = parseDiscoverOptions({ maxAgeMs: 0 });
 */
export function parseDiscoverOptions(options: unknown): DiscoverOptions {
  return parseContract(DiscoverOptionsSchema, options ?? {}, "options");
}

/**
 * Validates a discovery root (paths under `path`: root.kind, root.url, ...).
 * @example
 * const root = parseDiscoveryRoot({ kind: "wam-index", url: "/wam-corpus/plugins.json" });
 */
export function parseDiscoveryRoot(root: unknown, path = "root"): DiscoveryRoot {
  return parseContract(DiscoveryRootSchema, root, path);
}

/**
 * Validates a list of discovery roots (a client option), E_SCHEMA at `<path>[i]...`.
 * @example
 * const roots = parseDiscoveryRoots([{ kind: "wam-index", url: "/plugins.json" }], "options.discoveryRoots");
 */
export function parseDiscoveryRoots(roots: unknown, path: string): DiscoveryRoot[] {
  return parseContract(z.array(DiscoveryRootSchema), roots ?? [], path);
}

/**
 * The key of a root given as the root or its key (removeDiscoveryRoot, invalidateDiscovery).
 * @example
 * discoveryRootReference("wam-index:/wam-corpus/plugins.json"); // the same string
 */
export function discoveryRootReference(root: unknown, path = "root"): string {
  if (typeof root === "string" && root !== "") return root;
  return discoveryRootKey(parseDiscoveryRoot(root, path));
}
