/**
 * The npm package from outside the repository (issue 11): `npm pack`, installed into scratch
 * projects in temporary folders, used the ways its README shows:
 * - a plain Node ESM script imports "webdreamer", renders a sine and writes a WAV;
 * - the README's Node quick start (MIDI -> Faust synth -> filter -> reverb -> WAV) runs as written;
 * - `npx webdreamer render` renders a session saved with saveSession;
 * - `npx webdreamer export-wam` writes WAM plugin folders (an instrument, an effect) whose
 *   descriptor.json has every WamDescriptor field with its type;
 * - a Vite app imports "webdreamer/player", `vite build`s, and plays in Chromium at a server's root
 *   and under a sub-path;
 * - a plain HTML page loads the prebuilt bundle with one script tag and plays without COOP/COEP;
 * - a missing engine.wasm is E_HOST_UNAVAILABLE naming the file, in Node and in a page.
 * Also measured (annotations, and the console): the tarball's size, the time from `npm install` to
 * a first WAV, and the bytes a page fetches before its first sound, with and without Faust.
 */

import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import * as tonejsMidi from "@tonejs/midi";
import type { WamDescriptor } from "@webaudiomodules/api";
import { type StaticServer, serveStatic } from "../scripts/serve-static.mjs";
import { decodeWav } from "../src/audio-io/wav";
import { estimateFrequency, peak, rms } from "../test/support/signal";
import { recordPageFailures } from "./support/page-failures";
import { playerMeterPeak, playerTransport, startPlaying } from "./support/player-page";
import {
  createProject,
  installedVersion,
  packRepository,
  readmeBlock,
  runCommand,
  scratchFolder,
  writeProjectFiles,
} from "./support/scratch-project";

test.describe.configure({ mode: "serial" });

const SINE_SCRIPT = `import { createEngine, writeWavFile } from "webdreamer";
const engine = await createEngine({ sampleRate: 48000 });
const result = await engine.render({
  version: "v1alpha",
  request_id: "sine",
  node_graph: {
    version: "v1alpha",
    nodes: [{ name: "osc", node_id: "builtin:oscillator", params: { frequency: 440, amplitude: 0.5 } }],
    output: "osc",
  },
  duration_seconds: 1.5,
  sample_rate: 48000,
  channels: 1,
});
const channels = await engine.readBuffer(result.buffer_handle);
await writeWavFile("sine.wav", { sampleRate: 48000, channels });
await engine.close();
`;

const SAVE_SESSION_SCRIPT = `import { createEngine, saveSession } from "webdreamer";
const engine = await createEngine({ sampleRate: 48000 });
const tone = Float32Array.from({ length: 24000 }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 300 * i) / 48000));
const handle = await engine.uploadBuffer([tone], 48000);
const request = {
  version: "v1alpha",
  request_id: "take",
  node_graph: {
    version: "v1alpha",
    nodes: [{ name: "clip", node_id: "builtin:playback", buffers: { data: handle } }],
    output: "clip",
  },
  duration_seconds: 0.5,
  sample_rate: 48000,
  channels: 1,
};
await saveSession("sessions/take.json", { request, buffers: new Map([[handle, { sampleRate: 48000, channels: [tone] }]]) });
await engine.close();
`;

/** A TypeScript user's file: the published types, resolved as Node resolves them (nodenext). */
const TYPES_CHECK = `import { createEngine, type EngineClient, type RenderRequestInput } from "webdreamer";
import { createRealtimeEngine } from "webdreamer/browser";
import type { WebdreamerPlayer } from "webdreamer/player";
import type { WebdreamerStudio } from "webdreamer/studio";
import { TestDoubleEngineClient } from "webdreamer/testing";

const engine: EngineClient = await createEngine({ sampleRate: 48000 });
// @ts-expect-error sampleRate is a number: the line fails to compile only if the types resolved
await createEngine({ sampleRate: "48000" });
const request: RenderRequestInput = {
  version: "v1alpha",
  request_id: "typed",
  node_graph: { version: "v1alpha", nodes: [{ name: "osc", node_id: "builtin:oscillator" }], output: "osc" },
  duration_seconds: 1,
  sample_rate: 48000,
  channels: 2,
};
// @ts-expect-error render takes a request, not a number
await engine.render(42);
await engine.render(request);
export const player = (element: WebdreamerPlayer): string => element.label;
export const studio = (element: WebdreamerStudio): string => element.project.name;
export const realtime: typeof createRealtimeEngine = createRealtimeEngine;
export const double = TestDoubleEngineClient;
`;

const TYPES_TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  files: ["check.ts"],
});

/** A page that plays the default player from the prebuilt bundle, with one script tag. */
const PLAYER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain page</title></head>
<body>
<webdreamer-player label="From the prebuilt bundle"></webdreamer-player>
<script type="module" src="./vendor/webdreamer/player.js"></script>
</body></html>
`;

/** A page that compiles a Faust DSP and plays it, from the prebuilt bundle's browser entry. */
const FAUST_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Faust page</title></head>
<body><button id="play">Play</button><p id="status">idle</p>
<script type="module">
import { createRealtimeEngine } from "./vendor/webdreamer/browser.js";
document.querySelector("#play").onclick = async () => {
  const status = document.querySelector("#status");
  try {
    const engine = await createRealtimeEngine();
    const dsp = await engine.compileFaust('import("stdfaust.lib"); process = os.osc(330) * 0.4;');
    await engine.loadGraph({ version: "v1alpha", nodes: [{ name: "tone", node_id: dsp.node_id }], output: "tone" });
    await engine.play();
    const reading = engine.createMeterReading();
    const started = performance.now();
    while (performance.now() - started < 10000) {
      engine.readMeters(reading);
      if (Math.max(...reading.peak) > 0.2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    status.textContent = "sounding " + Math.max(...reading.peak).toFixed(3);
  } catch (error) {
    status.textContent = "failed: " + error.message;
  }
};
</script></body></html>
`;

// @tonejs/midi is CommonJS: its exports arrive on `default` when imported from an ES module.
const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;

/** A two-second song: C major arpeggio over a held C3, 120 bpm. */
function songFile(): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(120);
  const track = midi.addTrack();
  [60, 64, 67, 72].forEach((note, i) => {
    track.addNote({ midi: note, time: i * 0.5, duration: 0.45, velocity: 0.8 });
  });
  track.addNote({ midi: 48, time: 0, duration: 2, velocity: 0.6 });
  return midi.toArray();
}

interface ServedFolder {
  server: StaticServer;
  /** Bytes of every file sent so far (the size of each file answered with 200). */
  bytesSent(): number;
  /** Paths that were answered with an error status. */
  missing: string[];
  /** Every path asked for. */
  paths: string[];
}

const servers: StaticServer[] = [];

async function serveFolder(
  root: string,
  options: { prefix?: string; isolated?: boolean; cors?: boolean },
): Promise<ServedFolder> {
  const server = await serveStatic({ root, ...options });
  servers.push(server);
  const prefix = options.prefix ?? "/";
  let bytes = 0;
  const missing: string[] = [];
  const paths: string[] = [];
  server.server.on("request", (request, response) => {
    paths.push(request.url ?? "");
    response.on("finish", () => {
      if (response.statusCode >= 400) missing.push(`${response.statusCode} ${request.url}`);
      else if (response.statusCode === 200) {
        const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname).slice(
          prefix.length,
        );
        bytes += statSync(join(root, path.endsWith("/") || path === "" ? `${path}index.html` : path)).size;
      }
    });
  });
  return { server, bytesSent: () => bytes, missing, paths };
}

/** Plays the player on `url` and returns the bytes the server had sent when it first sounded. */
async function playPlayer(page: Page, served: ServedFolder, url: string, dataPlane: string): Promise<number> {
  const failures = recordPageFailures(page);
  await page.goto(url);
  await expect(page.getByRole("status")).toHaveText("Ready", { timeout: 15_000 });
  await startPlaying(page);
  await expect.poll(() => playerMeterPeak(page), { timeout: 10_000 }).toBeGreaterThan(0.05);
  const bytes = served.bytesSent();
  const state = await playerTransport(page);
  expect(state.running).toBe(true);
  expect(state.dataPlane).toBe(dataPlane);
  expect(failures).toEqual([]);
  expect(served.missing).toEqual([]);
  return bytes;
}

/** A TCP port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function report(type: string, description: string): void {
  test.info().annotations.push({ type, description });
  console.log(`${type}: ${description}`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

let work: string;
let tarball: string;
let nodeProject: string;
let viteProject: string;
let installSeconds = 0;

test.beforeAll(async () => {
  // npm pack (setup, the package build, tsc for the .d.ts) and an npm install, beside another spec file.
  test.setTimeout(600_000);
  work = scratchFolder("package");
  const packed = await packRepository(work);
  tarball = packed.tarball;
  report(
    "tarball",
    `${(packed.bytes / 2 ** 20).toFixed(2)} MiB (npm pack with prepack: ${packed.seconds.toFixed(0)} s)`,
  );
  nodeProject = join(work, "node-project");
  const installed = await createProject(nodeProject, { "sine.mjs": SINE_SCRIPT }, [tarball]);
  installSeconds = installed.seconds;
});

test.afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  if (work && !process.env.WEBDREAMER_KEEP_SCRATCH) rmSync(work, { recursive: true, force: true });
});

test("a Node ESM script imports webdreamer, renders a 440 Hz sine and writes a WAV", async () => {
  const rendered = await runCommand("node", ["sine.mjs"], nodeProject);
  const wav = decodeWav(readFileSync(join(nodeProject, "sine.wav")));
  const [samples] = wav.channels;
  expect(wav.sampleRate).toBe(48000);
  expect(wav.channels).toHaveLength(1);
  expect(samples?.length).toBe(72000);
  expect(peak(samples ?? [])).toBeCloseTo(0.5, 3);
  expect(estimateFrequency(samples ?? [], 48000)).toBeCloseTo(440, 0);
  report(
    "npm install to first WAV",
    `${(installSeconds + rendered.seconds).toFixed(1)} s (install ${installSeconds.toFixed(1)} s, script ${rendered.seconds.toFixed(1)} s)`,
  );
});

test("the README's Node quick start runs as written: MIDI -> Faust synth -> filter -> reverb -> WAV", async () => {
  writeProjectFiles(nodeProject, { "render.mjs": readmeBlock("node-quick-start"), "song.mid": songFile() });
  const rendered = await runCommand("node", ["render.mjs", "song.mid"], nodeProject);
  expect(rendered.stdout).toMatch(/^song\.wav: 4 s, peak -\d+\.\d dBFS, 0 clipped$/m);
  const wav = decodeWav(readFileSync(join(nodeProject, "song.wav")));
  const [left = new Float32Array(), right = new Float32Array()] = wav.channels;
  expect(wav.channels).toHaveLength(2);
  // The notes end at 2 s; the script renders 2 s more for the reverb's tail.
  expect(left.length).toBe(4 * wav.sampleRate);
  const notes = rms(left, 0, 2 * wav.sampleRate);
  const tail = rms(left, Math.round(3.5 * wav.sampleRate), left.length);
  expect(notes).toBeGreaterThan(0.01);
  expect(tail).toBeLessThan(notes / 4);
  expect(peak(left)).toBeLessThan(1);
  expect(peak(right)).toBeGreaterThan(0.01);
});

test("the published types resolve for a TypeScript project with moduleResolution nodenext", async () => {
  // An npm install and a whole tsc run: about 10 s alone, over a minute beside two other specs busy.
  test.setTimeout(180_000);
  const typed = join(work, "typed-project");
  await createProject(typed, { "check.ts": TYPES_CHECK, "tsconfig.json": TYPES_TSCONFIG }, [
    tarball,
    `typescript@${installedVersion("typescript")}`,
  ]);
  await runCommand("npx", ["tsc", "-p", "tsconfig.json"], typed);
});

test("the installed package names its Custom Elements Manifest, which declares <webdreamer-player> and <webdreamer-studio>", () => {
  const installed = join(nodeProject, "node_modules/webdreamer");
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { customElements: string };
  const manifest = JSON.parse(readFileSync(join(installed, pkg.customElements), "utf8")) as {
    modules: { declarations?: { tagName?: string; attributes?: { name: string }[] }[] }[];
  };
  const player = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === "webdreamer-player");
  expect(player?.attributes?.map((a) => a.name)).toContain("base-url");
  const studio = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === "webdreamer-studio");
  expect(studio?.attributes?.map((a) => a.name)).toEqual(
    expect.arrayContaining(["base-url", "storage", "theme"]),
  );
  expect(existsSync(join(installed, "dist/browser/studio.js"))).toBe(true);
});

test("npx webdreamer render renders a session saved with saveSession", async () => {
  await runCommand("node", ["save.mjs"], nodeProject).catch(async () => {
    writeProjectFiles(nodeProject, { "save.mjs": SAVE_SESSION_SCRIPT });
    return runCommand("node", ["save.mjs"], nodeProject);
  });
  const rendered = await runCommand(
    "npx",
    ["webdreamer", "render", "sessions/take.json", "-o", "take.wav"],
    nodeProject,
  );
  expect(rendered.stderr).toContain("rendered 1 of 1 sessions");
  const wav = decodeWav(readFileSync(join(nodeProject, "take.wav")));
  const [samples = new Float32Array()] = wav.channels;
  expect(samples.length).toBe(24000);
  expect(peak(samples)).toBeCloseTo(0.25, 3);
  expect(estimateFrequency(samples, 48000)).toBeCloseTo(300, 0);
});

/**
 * The fields of the WAM API's WamDescriptor and their types: `satisfies` ties the list to the
 * installed @webaudiomodules/api, so a field the API adds or renames fails the type check here.
 */
const WAM_DESCRIPTOR_FIELDS = {
  identifier: "string",
  name: "string",
  vendor: "string",
  version: "string",
  apiVersion: "string",
  description: "string",
  keywords: "string[]",
  website: "string",
  thumbnail: "string",
  isInstrument: "boolean",
  hasAudioInput: "boolean",
  hasAudioOutput: "boolean",
  hasAutomationInput: "boolean",
  hasAutomationOutput: "boolean",
  hasMidiInput: "boolean",
  hasMidiOutput: "boolean",
  hasMpeInput: "boolean",
  hasMpeOutput: "boolean",
  hasOscInput: "boolean",
  hasOscOutput: "boolean",
  hasSysexInput: "boolean",
  hasSysexOutput: "boolean",
} as const satisfies Record<keyof WamDescriptor, "string" | "string[]" | "boolean">;

/** What is wrong with a descriptor.json against WamDescriptor, one line per field (none: it validates). */
function wamDescriptorProblems(descriptor: Record<string, unknown>): string[] {
  return Object.entries(WAM_DESCRIPTOR_FIELDS).flatMap(([field, type]) => {
    const value = descriptor[field];
    const ok =
      type === "string[]"
        ? Array.isArray(value) && value.every((item) => typeof item === "string")
        : typeof value === type;
    return ok ? [] : [`${field}: ${JSON.stringify(value)} is not a ${type}`];
  });
}

test("npx webdreamer export-wam writes a WAM plugin folder: an instrument, and an effect with --audio-input", async () => {
  writeProjectFiles(nodeProject, {
    "pad.json": JSON.stringify({
      version: "v1alpha",
      nodes: [
        { name: "synth", node_id: "builtin:synth" },
        { name: "filter", node_id: "builtin:filter", inputs: ["synth"] },
      ],
      output: "filter",
    }),
    "echo.json": JSON.stringify({
      version: "v1alpha",
      nodes: [
        { name: "in", node_id: "builtin:playback" },
        { name: "echo", node_id: "builtin:delay", inputs: ["in"], params: { time: 250, wet: 0.5, dry: 1 } },
      ],
      output: "echo",
    }),
  });
  const cases = [
    { file: "pad.json", args: ["--name", "Pad"], kind: { isInstrument: true, hasAudioInput: false } },
    { file: "echo.json", args: ["--audio-input", "in"], kind: { isInstrument: false, hasAudioInput: true } },
  ];
  for (const { file, args, kind } of cases) {
    const folder = `plugins/${file.replace(".json", "")}`;
    const exported = await runCommand(
      "npx",
      ["webdreamer", "export-wam", file, "-o", folder, ...args],
      nodeProject,
    );
    expect(exported.stderr).toContain(`exported ${file} as `);
    const plugin = join(nodeProject, folder);
    for (const name of [
      "descriptor.json",
      "index.js",
      "processor.js",
      "webdreamer-wam.js",
      "webdreamer-wam-processor.js",
      "engine.wasm",
      "graph.json",
    ]) {
      expect(statSync(join(plugin, name)).size, `${folder}/${name}`).toBeGreaterThan(0);
    }
    const descriptor = JSON.parse(readFileSync(join(plugin, "descriptor.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(wamDescriptorProblems(descriptor), `${folder}/descriptor.json`).toEqual([]);
    expect(descriptor).toMatchObject({ ...kind, hasAudioOutput: true, apiVersion: "2.0.0-alpha.6" });
    // The engine shipped is the package's own, byte for byte.
    expect(readFileSync(join(plugin, "engine.wasm"))).toEqual(
      readFileSync(join(nodeProject, "node_modules/webdreamer/dist/browser/engine.wasm")),
    );
    expect(readFileSync(join(plugin, "index.js"), "utf8")).toContain("createWebdreamerWam(import.meta.url)");
  }
  // The validator can fail: a descriptor missing a field, or with a wrong type, is reported.
  expect(wamDescriptorProblems({ ...WAM_DESCRIPTOR_FIELDS, isInstrument: "yes" }).length).toBeGreaterThan(10);
});

test("without engine.wasm, createEngine is E_HOST_UNAVAILABLE naming the file it looked for", async () => {
  const wasm = join(nodeProject, "node_modules/webdreamer/dist/browser/engine.wasm");
  renameSync(wasm, `${wasm}.away`);
  try {
    const failure = await runCommand("node", ["sine.mjs"], nodeProject).then(
      () => "",
      (error: Error) => error.message,
    );
    expect(failure).toContain("E_HOST_UNAVAILABLE");
    expect(failure).toContain("node_modules/webdreamer/dist/browser/engine.wasm");
    expect(failure).not.toContain("npm run setup first");
  } finally {
    renameSync(`${wasm}.away`, wasm);
  }
});

test("a Vite app importing webdreamer/player builds with vite build and plays, at the root and under a sub-path", async ({
  page,
}) => {
  test.setTimeout(240_000);
  viteProject = join(work, "vite-app");
  await createProject(
    viteProject,
    {
      "index.html": `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head><body>
<webdreamer-player label="In a Vite app"></webdreamer-player>
<script type="module" src="./main.js"></script></body></html>`,
      "main.js": `import "webdreamer/player";\n`,
    },
    [tarball, `vite@${installedVersion("vite")}`],
  );
  // A relative base, as for any app deployed under a sub-path; the package needs no Vite config.
  await runCommand("npx", ["vite", "build", "--base", "./"], viteProject);
  const dist = join(viteProject, "dist");

  const atRoot = await serveFolder(dist, { isolated: true });
  const bytes = await playPlayer(page, atRoot, atRoot.server.url, "shared_memory");
  expect(atRoot.paths.some((path) => path.includes("libfaust"))).toBe(false);
  report("Vite app, bytes before the first sound (default player)", kib(bytes));

  const underPath = await serveFolder(dist, { prefix: "/apps/player/" });
  await playPlayer(page, underPath, underPath.server.url, "message_port");
  expect(underPath.paths.every((path) => path.startsWith("/apps/player/"))).toBe(true);
});

test("the same Vite app plays from `vite` (dev server, dependency optimizer on) without a reload on Play", async ({
  page,
}) => {
  const port = await freePort();
  const server = spawn("npx", ["vite", "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: viteProject,
    stdio: "pipe",
    detached: true,
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await expect
      .poll(
        () =>
          fetch(url).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 30_000 },
      )
      .toBe(200);
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.goto(url);
    await expect(page.getByRole("status")).toHaveText("Ready", { timeout: 15_000 });
    await startPlaying(page);
    await expect.poll(() => playerMeterPeak(page), { timeout: 10_000 }).toBeGreaterThan(0.05);
    await page.waitForTimeout(1000);
    expect(navigations).toEqual([url]);
    await expect(page.getByRole("status")).toHaveText("Playing");
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
});

test("a webpack 5 app importing webdreamer/player builds without configuration and plays under a sub-path", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = join(work, "webpack-app");
  await createProject(app, { "src/index.js": `import "webdreamer/player";\n` }, [
    tarball,
    "webpack@5",
    "webpack-cli@6",
  ]);
  await runCommand(
    "npx",
    ["webpack", "--mode", "production", "--entry", "./src/index.js", "--output-path", "dist"],
    app,
  );
  writeProjectFiles(app, {
    "dist/index.html": `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>webpack</title></head>
<body><webdreamer-player label="In a webpack app"></webdreamer-player><script src="./main.js"></script></body></html>`,
  });
  const served = await serveFolder(join(app, "dist"), { prefix: "/tools/webpack/" });
  await playPlayer(page, served, served.server.url, "message_port");
});

test("a plain HTML page plays the prebuilt bundle from one script tag, without COOP/COEP, under a sub-path", async ({
  page,
}) => {
  const web = join(work, "plain-page");
  cpSync(join(nodeProject, "node_modules/webdreamer/dist/browser"), join(web, "vendor/webdreamer"), {
    recursive: true,
  });
  writeProjectFiles(web, { "index.html": PLAYER_PAGE, "faust.html": FAUST_PAGE });
  const served = await serveFolder(web, { prefix: "/some/where/" });
  const bytes = await playPlayer(page, served, served.server.url, "message_port");
  expect(served.paths.some((path) => path.includes("libfaust"))).toBe(false);
  report("plain page, bytes before the first sound (default player, no Faust)", kib(bytes));
});

test("a page that plays a Faust node fetches libfaust, and only then", async ({ page }) => {
  const web = join(work, "plain-page");
  const served = await serveFolder(web, { prefix: "/some/where/" });
  const failures = recordPageFailures(page);
  await page.goto(`${served.server.url}faust.html`);
  const beforePlay = served.paths.filter((path) => path.includes("libfaust"));
  expect(beforePlay).toEqual([]);
  await page.click("#play");
  await expect(page.locator("#status")).toHaveText(/^sounding/, { timeout: 30_000 });
  const level = Number((await page.locator("#status").textContent())?.split(" ")[1]);
  expect(level).toBeGreaterThan(0.2);
  expect(served.paths.filter((path) => path.includes("libfaust")).length).toBe(3);
  expect(failures).toEqual([]);
  expect(served.missing).toEqual([]);
  report("plain page, bytes before the first sound (a Faust node)", kib(served.bytesSent()));
});

test("base-url loads the engine's files from another origin (a CDN), the engine Worker included", async ({
  page,
}) => {
  const cdn = await serveFolder(join(nodeProject, "node_modules/webdreamer/dist/browser"), {
    prefix: "/webdreamer@0.1.0/dist/browser/",
    cors: true,
  });
  const web = join(work, "cdn-page");
  writeProjectFiles(web, {
    "index.html": PLAYER_PAGE.replace("./vendor/webdreamer/player.js", `${cdn.server.url}player.js`).replace(
      "<webdreamer-player ",
      `<webdreamer-player base-url="${cdn.server.url}" `,
    ),
  });
  // The page is on another port: another origin. It is cross-origin isolated, so every file from the
  // CDN needs CORS or CORP, as the CDN sends.
  const site = await serveFolder(web, { isolated: true });
  await playPlayer(page, site, site.server.url, "shared_memory");
  expect(cdn.paths).toContain("/webdreamer@0.1.0/dist/browser/realtime-worker.js");
  expect(cdn.paths).toContain("/webdreamer@0.1.0/dist/browser/engine.wasm");
  expect(cdn.missing).toEqual([]);
});

test("in a page, a missing engine.wasm is E_HOST_UNAVAILABLE naming the file it looked for", async ({
  page,
}) => {
  const web = join(work, "no-engine");
  cpSync(join(work, "plain-page"), web, { recursive: true });
  rmSync(join(web, "vendor/webdreamer/engine.wasm"));
  const served = await serveFolder(web, {});
  await page.goto(served.server.url);
  await page.getByRole("button", { name: "Play" }).click();
  const notice = page.getByRole("alert");
  await expect(notice).toContainText("E_HOST_UNAVAILABLE");
  await expect(notice).toContainText(`${served.server.url}vendor/webdreamer/engine.wasm`);
  await expect(notice).toContainText("HTTP 404");
});
