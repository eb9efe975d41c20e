/**
 * The session's engine calls that are small JSON in, small JSON out: transport, graph and live
 * control, discovery, Faust. Each maps its body's fields onto the EngineClient call, which validates
 * them with the same codes and paths as in any host (seek.position_seconds, set_parameter.value, ...).
 */
import { GetParameterSchema } from "../api/call-validation";
import type { FaustCompileOptions } from "../api/engine-client";
import type { ParameterReader } from "../api/realtime-client";
import { EngineError } from "../contracts/errors";
import { sendJson } from "./http-errors";
import { parseJsonBody } from "./request-body";
import { objectBody, type Route, type RouteContext, sessionOf } from "./route";

const none = { kind: "none" } as const;
const noContent = { status: 204, body: none } as const;

/** Answers 204 after `call`. */
async function done(context: RouteContext, call: Promise<unknown>): Promise<void> {
  await call;
  context.response.writeHead(204).end();
}

function fields(context: RouteContext, names: readonly string[]): Record<string, unknown> {
  return objectBody(parseJsonBody(context.body), names);
}

type Body = Record<string, unknown>;
type SessionEngine = ReturnType<typeof sessionOf>["engine"];

/**
 * A POST whose JSON body (an object of the fields `names`, documented by `schema`) becomes the
 * arguments of one engine call; answers 204.
 */
function bodyCall(
  path: string,
  schema: string,
  summary: string,
  names: readonly string[],
  call: (engine: SessionEngine, body: Body) => Promise<unknown>,
): Route {
  return {
    method: "POST",
    path: `/sessions/{session}${path}`,
    admitted: true,
    summary,
    requestBody: { kind: "schema", name: schema },
    response: noContent,
    handle: (context) => done(context, call(sessionOf(context).engine, fields(context, names))),
  };
}

/** `{ [option]: body[field] }`, or `{}` when the body leaves the field out. */
function optionFrom(body: Body, field: string, option: string): Record<string, unknown> {
  return body[field] === undefined ? {} : { [option]: body[field] };
}

/** A transport call without arguments. */
function transportCall(name: "play" | "pause" | "stop", summary: string): Route {
  return {
    method: "POST",
    path: `/sessions/{session}/transport/${name}`,
    admitted: true,
    summary,
    requestBody: none,
    response: noContent,
    handle: (context) => done(context, sessionOf(context).engine[name]()),
  };
}

/** `{ "a_b": 1 }` as `{ aB: 1 }`, for the few camelCase option objects of EngineClient. */
function camelOptions(value: unknown): Record<string, unknown> {
  const object = objectBody(value, [
    "name",
    "argv",
    "libraries",
    "voices",
    "group_voices",
    "release_length",
    "dynamic_voices",
  ]);
  return Object.fromEntries(
    Object.entries(object).map(([key, v]) => [key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
  );
}

export const ENGINE_ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/sessions/{session}/transport",
    admitted: true,
    summary: "The session's TransportState.",
    requestBody: none,
    response: { status: 200, body: { kind: "contract", contract: "transport-state" } },
    async handle(context) {
      sendJson(context.response, await sessionOf(context).engine.getTransportState());
    },
  },
  transportCall("play", "Starts the transport (the in-process host reports it; nothing plays in real time)."),
  transportCall("pause", "Stops the transport, keeping its position."),
  transportCall("stop", "Stops the transport and returns it to 0."),
  bodyCall(
    "/transport/seek",
    "Seek",
    "Moves the playhead: { position_seconds }.",
    ["position_seconds"],
    (engine, body) => engine.seek(body.position_seconds as number),
  ),
  bodyCall(
    "/transport/loop",
    "SetLoop",
    "Sets the loop region, or clears it with null: { loop: { start_seconds, end_seconds } | null }.",
    ["loop"],
    (engine, body) => engine.setLoop((body.loop ?? null) as never),
  ),
  bodyCall(
    "/transport/tempo",
    "SetTempo",
    "Sets the tempo: { bpm, ramp_seconds? }.",
    ["bpm", "ramp_seconds"],
    (engine, body) => engine.setTempo(body.bpm as number, optionFrom(body, "ramp_seconds", "rampSeconds")),
  ),
  {
    method: "PUT",
    path: "/sessions/{session}/graph",
    admitted: true,
    summary: "Loads a GraphDescriptor for real-time control (setParameter, events, automation).",
    requestBody: { kind: "contract", contract: "graph-descriptor" },
    response: noContent,
    handle: (context) =>
      done(context, sessionOf(context).engine.loadGraph(parseJsonBody(context.body) as never)),
  },
  {
    method: "GET",
    path: "/sessions/{session}/graph/parameters",
    admitted: true,
    summary:
      "A parameter's value now in the loaded graph (getParameter, DawDreamer's get_parameter): ?node=&parameter_id=.",
    requestBody: none,
    query: Object.entries(GetParameterSchema.shape).map(([name, schema]) => ({
      name,
      description: schema.description ?? "",
      type: "string" as const,
    })),
    response: { status: 200, body: { kind: "schema", name: "ParameterReading" } },
    async handle(context) {
      const { engine } = sessionOf(context);
      const reader = engine as Partial<ParameterReader>;
      if (reader.getParameter === undefined) {
        throw new EngineError("E_HOST_UNAVAILABLE", "this session's host reads no parameter", "");
      }
      // A missing field arrives as null: the call's validation names it (get_parameter.node).
      const node = context.query.get("node") as string;
      const parameterId = context.query.get("parameter_id") as string;
      sendJson(context.response, await reader.getParameter.call(engine, node, parameterId));
    },
  },
  bodyCall(
    "/graph/parameters",
    "SetParameter",
    "Sets a parameter of a node of the loaded graph: { node, parameter_id, value, at_seconds? }.",
    ["node", "parameter_id", "value", "at_seconds"],
    (engine, body) =>
      engine.setParameter(
        body.node as string,
        body.parameter_id as string,
        body.value as number,
        optionFrom(body, "at_seconds", "atSeconds"),
      ),
  ),
  bodyCall(
    "/graph/events",
    "ScheduleEvents",
    "Schedules MIDI events for a node of the loaded graph: { node, events }.",
    ["node", "events"],
    (engine, body) => engine.scheduleEvents(body.node as string, body.events as never),
  ),
  bodyCall(
    "/graph/midi",
    "SendMidi",
    "Plays one live MIDI message into a node: { node, message, at_seconds? } (the in-process host validates it, then answers E_HOST_UNAVAILABLE: it has no real-time clock).",
    ["node", "message", "at_seconds"],
    (engine, body) =>
      engine.sendMidi(
        body.node as string,
        body.message as never,
        optionFrom(body, "at_seconds", "atSeconds"),
      ),
  ),
  bodyCall(
    "/graph/automation",
    "ScheduleAutomation",
    "Schedules automation of a parameter: { node, parameter_id, automation, mode? }.",
    ["node", "parameter_id", "automation", "mode"],
    (engine, body) =>
      engine.scheduleAutomation(
        body.node as string,
        body.parameter_id as string,
        body.automation as never,
        optionFrom(body, "mode", "mode"),
      ),
  ),
  {
    method: "GET",
    path: "/sessions/{session}/discovery",
    admitted: true,
    summary:
      "The node types the session's engine can instantiate (PluginDiscoveryResult), cached for max_age_ms.",
    requestBody: none,
    response: { status: 200, body: { kind: "contract", contract: "plugin-discovery-result" } },
    query: [
      {
        name: "max_age_ms",
        description: "accept a cached result younger than this; 0 rescans",
        type: "number",
      },
    ],
    async handle(context) {
      const maxAge = context.query.get("max_age_ms");
      const options = maxAge === null ? {} : { maxAgeMs: Number(maxAge) };
      sendJson(context.response, await sessionOf(context).engine.discoverNodes(options));
    },
  },
  bodyCall(
    "/discovery/invalidate",
    "InvalidateDiscovery",
    "Drops the session's cached discovery, of one root ({ root }: its key) or of everything.",
    ["root"],
    (engine, body) => engine.invalidateDiscovery(body.root as never),
  ),
  {
    method: "POST",
    path: "/sessions/{session}/faust",
    admitted: true,
    summary:
      "Compiles Faust DSP source for the session's graphs: { source, options? } (name, argv, libraries, voices, group_voices, release_length, dynamic_voices). Answers its NodeDescriptor.",
    requestBody: { kind: "schema", name: "CompileFaust" },
    response: { status: 200, body: { kind: "contract", contract: "node-descriptor" } },
    async handle(context) {
      const body = fields(context, ["source", "options"]);
      const engine = sessionOf(context).engine;
      if (engine.compileFaust === undefined) {
        throw new EngineError("E_HOST_UNAVAILABLE", "this server's engines compile no Faust");
      }
      const options = camelOptions(body.options) as FaustCompileOptions;
      sendJson(context.response, await engine.compileFaust(body.source as string, options));
    },
  },
  {
    method: "DELETE",
    path: "/sessions/{session}/faust/{node_id}",
    admitted: true,
    summary: "Releases a DSP compiled in the session; graphs naming it afterwards fail with E_UNKNOWN_NODE.",
    requestBody: none,
    response: noContent,
    handle(context) {
      const engine = sessionOf(context).engine;
      if (engine.releaseFaust === undefined) {
        throw new EngineError("E_HOST_UNAVAILABLE", "this server's engines compile no Faust");
      }
      return done(context, engine.releaseFaust(context.params.node_id as string));
    },
  },
];
