/** A `webdreamer serve` server for tests: in-process sessions on the loopback, on a free port. */
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { createEngineServer, type EngineServer } from "../../src/serve/engine-server";
import type { ServeOptions } from "../../src/serve/serve-options";

export interface TestServer {
  server: EngineServer;
  url: string;
}

/**
 * @example
 * const { server, url } = await startTestServer({ token: "a-token-of-16-chars" });
 */
export async function startTestServer(options: ServeOptions = {}): Promise<TestServer> {
  const module = await loadEngineModuleFromDisk();
  const server = createEngineServer(
    async ({ sampleRate }) => new InProcessEngineClient({ module, ...(sampleRate ? { sampleRate } : {}) }),
    { port: 0, ...options },
  );
  return { server, url: await server.listen() };
}

/** A RenderRequest of an oscillator, `seconds` long (reverb after it, for a render that costs time). */
export function oscillatorRequest(seconds: number, requestId = "serve-test"): Record<string, unknown> {
  return {
    version: "v1alpha",
    request_id: requestId,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, waveform: "sine" } },
        { name: "room", node_id: "builtin:reverb", inputs: ["osc"] },
      ],
      output: "room",
    },
    duration_seconds: seconds,
    sample_rate: 48000,
    channels: 2,
  };
}

/**
 * Saw voices of the slow request: with the reverb and 600 s of preroll, minutes of work on any machine
 * (12 voices finished inside a 2 s time limit on a quiet machine), so a time limit always cuts it.
 */
const SLOW_VOICES = 96;

/**
 * A request that takes long to render and returns little: 600 s of preroll (rendered and dropped)
 * through SLOW_VOICES oscillators and a reverb before 1 s of output.
 */
export function slowRequest(requestId = "slow"): Record<string, unknown> {
  return {
    version: "v1alpha",
    request_id: requestId,
    node_graph: {
      version: "v1alpha",
      nodes: [
        ...Array.from({ length: SLOW_VOICES }, (_, i) => ({
          name: `osc${i}`,
          node_id: "builtin:oscillator",
          params: { frequency: 55 * 2 ** (i / 12), waveform: "saw" },
        })),
        {
          name: "mix",
          node_id: "builtin:mixer",
          inputs: Array.from({ length: SLOW_VOICES }, (_, i) => `osc${i}`),
        },
        { name: "room", node_id: "builtin:reverb", inputs: ["mix"] },
      ],
      output: "room",
    },
    duration_seconds: 1,
    start_position_seconds: 600,
    sample_rate: 48000,
    channels: 2,
    options: { offline: true, preroll: 600 },
  };
}

/** `webdreamer serve` in a process of its own (the real CLI entry, bundled by scripts/run-ts.mjs). */
export interface ServeProcess {
  url: string;
  child: import("node:child_process").ChildProcess;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * @example
 * const served = await startServeProcess(["--concurrency", "2"]);
 */
export async function startServeProcess(args: string[]): Promise<ServeProcess> {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    ["scripts/run-ts.mjs", "src/cli/main.ts", "serve", "--port", "0", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (piece: Buffer) => {
    stderr += piece.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (piece: Buffer) => {
      stdout += piece.toString();
      const line = /^(http:\/\/\S+)\n/m.exec(stdout);
      if (line) resolve(line[1] as string);
    });
    child.once("exit", (code) =>
      reject(new Error(`webdreamer serve exited (${code}) before listening: ${stderr}`)),
    );
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}
