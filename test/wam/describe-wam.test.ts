import { describe, expect, it } from "vitest";
import { EngineError, NodeDescriptorSchema, parseContract } from "../../src/contracts";
import {
  describeWam,
  SDK_DEFAULT_IDENTIFIER,
  wamChannels,
  wamIsInstrument,
  wamLatencySamples,
  wamNodeId,
} from "../../src/wam/describe-wam";
import type { WamConstructor } from "../../src/wam/load-wam";

const URL_OF_MODULE = "https://plugins.example/gain/index.js";

/** A plugin class as the WAM API shapes it, without Web Audio: what describeWam asks and whether it destroys. */
function fakePlugin(
  overrides: {
    descriptor?: object;
    delay?: unknown;
    info?: object;
    inputs?: number;
    failInfo?: boolean;
  } = {},
) {
  const log: string[] = [];
  class FakeWam {
    static isWebAudioModuleConstructor = true;
    static async createInstance(groupId: string) {
      log.push(`create ${groupId}`);
      return new FakeWam();
    }
    descriptor = overrides.descriptor ?? {
      identifier: "com.example.gain",
      name: "Gain",
      vendor: "Example",
      description: "A gain",
      isInstrument: false,
      hasAudioInput: true,
      hasAudioOutput: true,
      hasMidiInput: false,
    };
    audioNode = {
      numberOfInputs: overrides.inputs ?? 1,
      numberOfOutputs: 1,
      channelCount: 2,
      getParameterInfo: async () => {
        if (overrides.failInfo) throw new RangeError("processor gone");
        return (
          overrides.info ?? {
            gain: {
              id: "gain",
              label: "Gain",
              type: "float",
              defaultValue: 0.5,
              minValue: 0,
              maxValue: 1,
              discreteStep: 0,
              exponent: 0,
              units: "",
              choices: [],
            },
          }
        );
      },
      getCompensationDelay: async () => overrides.delay ?? 0,
      disconnect: () => log.push("disconnect"),
      destroy: () => log.push("destroy"),
    };
  }
  return { Plugin: FakeWam as unknown as WamConstructor, log };
}

const context = { sampleRate: 48000 } as BaseAudioContext;

describe("describeWam", () => {
  it("describes a plugin from a fresh instance and destroys it", async () => {
    const { Plugin, log } = fakePlugin();
    const descriptor = await describeWam(Plugin, context, "group-1", URL_OF_MODULE);
    expect(() => parseContract(NodeDescriptorSchema, descriptor)).not.toThrow();
    expect(descriptor).toMatchObject({
      node_id: "wam:com.example.gain",
      name: "Gain",
      vendor: "Example",
      format: "wam",
      latency_samples: 0,
      parameters: [{ id: "gain", name: "Gain", default: 0.5, range: [0, 1] }],
      extensions: {
        input_channels: 2,
        output_channels: 2,
        is_instrument: false,
        description: "A gain",
        module_url: URL_OF_MODULE,
      },
    });
    expect(log).toEqual(["create group-1", "disconnect", "destroy"]);
  });

  it("destroys the instance and names the module when the plugin fails while asked", async () => {
    const { Plugin: Throwing, log } = fakePlugin({ failInfo: true });
    const error = await describeWam(Throwing, context, "g", URL_OF_MODULE).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toBe(
      `E_PLUGIN_LOAD at url: ${URL_OF_MODULE}: creating or asking an instance failed: RangeError: processor gone`,
    );
    expect(log).toEqual(["create g", "disconnect", "destroy"]);
  });

  it("names a descriptor the contract refuses with one code (was: E_PLUGIN_LOAD ...: E_SCHEMA at ...)", async () => {
    const { Plugin } = fakePlugin({ descriptor: { identifier: "x".repeat(2000), name: "Long" } });
    const error = await describeWam(Plugin, context, "g", URL_OF_MODULE).catch((caught: unknown) => caught);
    expect((error as EngineError).message).toBe(
      `E_PLUGIN_LOAD at url: ${URL_OF_MODULE}: its descriptor is not valid: url.node_id: must have at most 1024 characters`,
    );
    expect((error as EngineError).message).not.toContain("E_SCHEMA");
  });

  it("reads the compensation delay as samples, rounded, never negative", async () => {
    const { Plugin } = fakePlugin({ delay: 127.6 });
    expect((await describeWam(Plugin, context, "g", URL_OF_MODULE)).latency_samples).toBe(128);
    expect(wamLatencySamples(-3)).toBe(0);
    expect(wamLatencySamples(Number.NaN)).toBe(0);
    expect(wamLatencySamples(undefined)).toBe(0);
  });
});

describe("WAM identity rules", () => {
  it("node ids: the identifier, else descriptor.json's, else the module URL", () => {
    expect(wamNodeId({ identifier: "com.a.b" }, { identifier: "com.index" }, URL_OF_MODULE)).toBe(
      "wam:com.a.b",
    );
    expect(
      wamNodeId({ identifier: SDK_DEFAULT_IDENTIFIER }, { identifier: "com.index" }, URL_OF_MODULE),
    ).toBe("wam:com.index");
    expect(wamNodeId({ identifier: " " }, {}, URL_OF_MODULE)).toBe(`wam:${URL_OF_MODULE}`);
  });

  it("instruments: isInstrument, or MIDI in without audio in", () => {
    expect(wamIsInstrument({ isInstrument: true })).toBe(true);
    expect(wamIsInstrument({ hasMidiInput: true, hasAudioInput: false })).toBe(true);
    expect(wamIsInstrument({ hasMidiInput: true, hasAudioInput: true })).toBe(false);
    expect(wamIsInstrument({})).toBe(false);
  });

  it("channels: 0 without an input or output, else channelCount", () => {
    const node = { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2 };
    expect(wamChannels(node, {})).toEqual({ input_channels: 2, output_channels: 2 });
    expect(wamChannels(node, { hasAudioInput: false })).toEqual({ input_channels: 0, output_channels: 2 });
    expect(wamChannels({ ...node, numberOfInputs: 0 }, {})).toEqual({
      input_channels: 0,
      output_channels: 2,
    });
    expect(wamChannels({ ...node, numberOfOutputs: 0 }, {})).toEqual({
      input_channels: 2,
      output_channels: 0,
    });
  });
});
