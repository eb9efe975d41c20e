/**
 * Error texts name what failed once, in every host: the in-process host and the test double in
 * Node (test/hosts/in-process/error-texts.test.ts), the Worker and AudioWorklet hosts in Chromium
 * (e2e/error-texts.spec.ts). Each representative failure is provoked through the EngineClient API
 * and its text checked: it starts with its code (and path), exactly once, and nothing after that
 * prefix starts another error ("E_RENDER: E_RENDER: ...", "E_RENDER: EngineError: E_LIMIT: ...").
 * Written with describe / it / beforeEach / afterEach / expect only, so the browser shim runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EngineClient } from "../../src/api/index";
import {
  EngineError,
  ERROR_CODES,
  type ErrorCode,
  type GraphDescriptorInput,
  type RenderRequestInput,
} from "../../src/contracts";

/** What the host does with the failures only some hosts have. */
export interface ErrorTextsOptions {
  /** True for the hosts that compile Faust (compileFaust, releaseFaust). */
  compilesFaust: boolean;
  /**
   * options.offline false: "refused" by the offline hosts (naming the audioworklet host), "played" by
   * the real-time host and the test double (which refuse another rate than their own).
   */
  liveRenders: "refused" | "played";
  /**
   * The test double renders no audio, so no NaN reaches it: it fails a render asked to with this
   * extension (test_double_fault). The engine hosts fail on a NaN in an uploaded buffer.
   */
  failureExtensions?: Record<string, unknown>;
}

const SR = 48000;

function request(
  graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "error-texts",
    node_graph: graph,
    duration_seconds: 0.01,
    sample_rate: SR,
    channels: 1,
    ...overrides,
  };
}

const OSC: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [{ name: "osc", node_id: "builtin:oscillator" }],
  output: "osc",
};

/**
 * Throws unless `text` is one error's text: `<code>: ` or `<code> at <path>: ` once at its start,
 * and no other "<code>: " or "<code> at " (nor "EngineError:") after it.
 */
export function expectNamedOnce(text: string, code: ErrorCode): void {
  const prefix = new RegExp(`^${code}(?: at [^:]+(?::[^ ][^:]*)*)?: `);
  const match = prefix.exec(text);
  expect(match === null ? `no "${code}: " or "${code} at <path>: " prefix in: ${text}` : "").toBe("");
  const rest = text.slice((match as RegExpExecArray)[0].length);
  const again = Object.keys(ERROR_CODES).find((other) => new RegExp(`\\b${other}(?::| at )`).test(rest));
  expect(again === undefined ? "" : `${again} again after the prefix: ${text}`).toBe("");
  expect(rest.includes("EngineError:") ? `"EngineError:" in: ${text}` : "").toBe("");
}

/** The EngineError `work` rejects with (fails when it resolves or throws something else). */
async function rejection(work: () => Promise<unknown>): Promise<EngineError> {
  try {
    await work();
  } catch (error) {
    expect(error instanceof EngineError ? "" : `not an EngineError: ${String(error)}`).toBe("");
    return error as EngineError;
  }
  throw new Error("expected a rejection, it resolved");
}

/** Runs the failures against `create`'s clients: each test gets a fresh client, closed after it. */
export function describeErrorTexts(
  hostName: string,
  create: () => Promise<EngineClient>,
  options: ErrorTextsOptions,
): void {
  describe(`error texts name what failed once (${hostName})`, () => {
    let client: EngineClient;

    beforeEach(async () => {
      client = await create();
    });

    afterEach(async () => {
      await client.close();
    });

    const check = async (code: ErrorCode, work: () => Promise<unknown>, detail?: string) => {
      const error = await rejection(work);
      expect(error.code).toBe(code);
      expectNamedOnce(error.message, code);
      if (detail !== undefined) expect(error.message).toContain(detail);
    };

    it("schema errors, unknown nodes and handles, limits", async () => {
      await check("E_SCHEMA", () => client.render(request(OSC, { version: "v2" as "v1alpha" })));
      await check("E_UNKNOWN_NODE", () =>
        client.render(
          request({ version: "v1alpha", nodes: [{ name: "x", node_id: "builtin:nope" }], output: "x" }),
        ),
      );
      await check("E_UNKNOWN_HANDLE", () => client.readBuffer("buf:999999"));
      await check("E_SCHEMA", () => client.uploadBuffer([new Float32Array(4)], 100), "upload.sample_rate");
      await check("E_LIMIT", () =>
        client.uploadBuffer(
          Array.from({ length: 33 }, () => new Float32Array(4)),
          SR,
        ),
      );
      await check("E_SCHEMA", () => client.render(request(OSC, { sample_rate: 2000 })), "sample_rate");
    });

    it("a render that fails after it was accepted reports E_RENDER once in RenderResult.error", async () => {
      const poisoned = new Float32Array(480).fill(0.25);
      poisoned[100] = Number.NaN;
      const handle = await client.uploadBuffer([poisoned], SR);
      const result = await client.render(
        request(
          {
            version: "v1alpha",
            nodes: [{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }],
            output: "p",
          },
          { extensions: options.failureExtensions ?? {} },
        ),
      );
      expect(result.status).toBe("error");
      expectNamedOnce(result.error ?? "", "E_RENDER");
      if (options.failureExtensions === undefined) expect(result.error).toContain("non-finite samples");
    });

    it("options.offline false: refused naming the audioworklet host, or played by it", async () => {
      const live = request(OSC, { options: { offline: false, preroll: 0 } });
      if (options.liveRenders === "played") {
        // The real-time host plays it; at another rate than its context's it refuses naming the field.
        const rate = (await client.getTransportState()).sample_rate === 22050 ? 44100 : 22050;
        await check("E_SCHEMA", () => client.render({ ...live, sample_rate: rate }), "sample_rate");
      } else {
        await check("E_HOST_UNAVAILABLE", () => client.render(live), "audioworklet host");
      }
    });

    it("a cancelled render is partial with E_CANCELLED once", async () => {
      const controller = new AbortController();
      controller.abort();
      const outcome = await client
        .render(request(OSC, { duration_seconds: 1 }), { signal: controller.signal })
        .then(
          (result) => result.error ?? "",
          (error: unknown) => (error as Error).message,
        );
      expectNamedOnce(outcome, "E_CANCELLED");
    });

    it("Faust compile errors and releases", async () => {
      const faust = client as EngineClient & {
        compileFaust?: (source: string, options?: object) => Promise<{ node_id: string }>;
        releaseFaust?: (nodeId: string) => Promise<void>;
      };
      if (!options.compilesFaust || faust.compileFaust === undefined || faust.releaseFaust === undefined) {
        expect(faust.compileFaust).toBeUndefined();
        return;
      }
      await check("E_SCHEMA", () => faust.compileFaust?.("process = nope;") as Promise<unknown>, "line 1");
      await check(
        "E_SCHEMA",
        () => faust.compileFaust?.('import("https://example.org/x.lib");\nprocess = _;') as Promise<unknown>,
        'line 1: import("https://example.org/x.lib") reaches the network',
      );
      await check(
        "E_UNKNOWN_NODE",
        () => faust.releaseFaust?.("faust:0123456789abcdef") as Promise<unknown>,
        'no compiled Faust DSP "faust:0123456789abcdef"',
      );
    });

    it("a closed client", async () => {
      await client.close();
      await check("E_CLOSED", () => client.render(request(OSC)));
      await check("E_CLOSED", () => client.getTransportState());
    });
  });
}
