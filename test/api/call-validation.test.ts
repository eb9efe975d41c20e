/** The helpers hosts use at their boundaries: command building and decoding, text input, arguments. */
import { describe, expect, it } from "vitest";
import {
  decodeCommand,
  makeCommand,
  parseDiscoverOptions,
  parseHandleArgument,
  parseUploadArguments,
} from "../../src/api/index";
import {
  AutomationSchema,
  BUILTIN_NODE_IDS,
  EngineError,
  EXAMPLE_ENGINE_COMMAND,
  NodeDescriptorSchema,
  parseContract,
  parseContractJson,
  RenderRequestSchema,
} from "../../src/contracts";
import { TEST_DOUBLE_CATALOG } from "../../src/testing/index";
import { SEED_RENDER_REQUEST } from "../contracts/fixtures";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.message;
    throw error;
  }
  throw new Error("expected an EngineError");
}

describe("commands", () => {
  it("builds a command with version and defaults", () => {
    expect(makeCommand("set_tempo", { bpm: 128 })).toEqual({
      version: "v1alpha",
      type: "set_tempo",
      bpm: 128,
      ramp_seconds: 0,
      extensions: {},
    });
  });

  it("decodes what the client sent, and rejects a tampered command with the command type as root", () => {
    expect(decodeCommand(EXAMPLE_ENGINE_COMMAND)).toMatchObject({ type: "set_parameter", value: 1200 });
    expect(messageOf(() => decodeCommand({ ...EXAMPLE_ENGINE_COMMAND, at_seconds: "soon" }))).toBe(
      "E_SCHEMA at set_parameter.at_seconds: must be a number",
    );
  });

  it.each([
    [
      { version: "v1alpha", type: "rewind" },
      "E_SCHEMA at type: must be one of play, pause, stop, seek, set_loop, set_tempo, set_parameter, schedule_events, send_midi, schedule_automation, load_graph",
    ],
    [
      { version: "v1alpha" },
      "E_SCHEMA at type: is required (one of play, pause, stop, seek, set_loop, set_tempo, set_parameter, schedule_events, send_midi, schedule_automation, load_graph)",
    ],
    [{ version: "v1alpha", type: "play", at: 3 }, "E_SCHEMA at play.at: is not allowed"],
    [undefined, "E_SCHEMA: is required"],
    ["play", "E_SCHEMA: must be an object"],
  ])("rejects %o", (message, expected) => {
    expect(messageOf(() => decodeCommand(message))).toBe(expected);
  });
});

describe("text input", () => {
  it("parses JSON text", () => {
    expect(parseContractJson(RenderRequestSchema, JSON.stringify(SEED_RENDER_REQUEST)).request_id).toBe(
      "req-1",
    );
  });

  it("reports invalid JSON as E_SCHEMA instead of throwing a SyntaxError", () => {
    expect(
      messageOf(() => parseContractJson(RenderRequestSchema, '{"version": "v1alpha",', "request")),
    ).toMatch(/^E_SCHEMA at request: is not valid JSON: /);
  });

  // Found by the fuzz suite (test/fuzz/contracts.test.ts): text "" gave an E_SCHEMA with no issues.
  it("lists invalid JSON, and a value that cannot be read, in issues as every E_SCHEMA does", () => {
    const errorOf = (run: () => unknown): EngineError => {
      try {
        run();
      } catch (error) {
        if (error instanceof EngineError) return error;
      }
      throw new Error("expected an EngineError");
    };
    const invalidJson = errorOf(() => parseContractJson(RenderRequestSchema, "", "request"));
    expect(invalidJson.issues).toEqual([{ path: "request", detail: invalidJson.detail }]);
    const hostile = {
      get version(): string {
        throw new Error("getter failed");
      },
    };
    const unreadable = errorOf(() => parseContract(RenderRequestSchema, hostile, "request"));
    expect(unreadable.message).toBe("E_SCHEMA at request: could not be validated: getter failed");
    expect(unreadable.issues).toEqual([{ path: "request", detail: unreadable.detail }]);
  });
});

describe("arguments", () => {
  it("validates handles, uploads and discovery options", () => {
    expect(parseHandleArgument("buf:abc.1")).toBe("buf:abc.1");
    // Any non-empty string up to 256 characters is a handle, as in the v1alpha seed.
    expect(parseHandleArgument("my handle / 7")).toBe("my handle / 7");
    expect(messageOf(() => parseHandleArgument(""))).toBe("E_SCHEMA at handle: must not be empty");
    expect(messageOf(() => parseHandleArgument("h".repeat(257)))).toBe(
      "E_SCHEMA at handle: must have at most 256 characters",
    );
    expect(parseUploadArguments([new Float32Array(2)], 44100).sample_rate).toBe(44100);
    expect(messageOf(() => parseUploadArguments("audio", 44100))).toBe(
      "E_SCHEMA at upload.channels: must be an array",
    );
    expect(parseDiscoverOptions(undefined)).toEqual({});
    expect(messageOf(() => parseDiscoverOptions({ maxAge: 5 }))).toBe(
      "E_SCHEMA at options.maxAge: is not allowed",
    );
  });

  it("names a missing discriminator", () => {
    expect(messageOf(() => parseContract(AutomationSchema, { values: [1] }, "automation.gain"))).toBe(
      "E_SCHEMA at automation.gain.kind: is required (one of audio_rate, ppqn, breakpoints, web_audio)",
    );
  });
});

describe("test double catalog", () => {
  it("describes every expected builtin with a valid NodeDescriptor", () => {
    const ids = TEST_DOUBLE_CATALOG.map(
      (descriptor) => parseContract(NodeDescriptorSchema, descriptor).node_id,
    );
    // In the engine's table order; a processor beyond DawDreamer's set needs no entry in the contract.
    expect(ids).toEqual(expect.arrayContaining([...BUILTIN_NODE_IDS]));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
