/**
 * WAM loading and discovery in Chromium: the one loader (origin policy, import maps, errors naming the
 * URL and the reason), descriptors of real plugins (the wam-community corpus under /wam-corpus/, 58
 * published WAMs), discovery roots through the browser hosts. docs/wam.md.
 */
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import type { DiscoveryRoot } from "../src/api/discovery-roots";
import type { WamLoadPolicy } from "../src/api/wam-load-policy";
import {
  type NodeDescriptor,
  NodeDescriptorSchema,
  type PluginDiscoveryResult,
  parseContract,
} from "../src/contracts";
import { normalizeWamParameters, type WamParameterInfoLike } from "../src/wam/wam-parameters";

type Outcome<T> = { value: T } | { error: { code: string; path: string; message: string } };
interface DiscoveryRun {
  result: PluginDiscoveryResult;
  wallMs: number;
  valid: boolean;
  cachedSameId: boolean;
}

declare global {
  interface Window {
    loadAndDescribe(url: string, policy?: WamLoadPolicy): Promise<Outcome<NodeDescriptor>>;
    parameterInfoOf(url: string, policy?: WamLoadPolicy): Promise<Record<string, WamParameterInfoLike>>;
    discover(
      roots: DiscoveryRoot[],
      options?: {
        host?: "worker" | "audioworklet";
        importMap?: boolean;
        allowedOrigins?: string[];
        scanTimeoutMs?: number;
      },
    ): Promise<Outcome<DiscoveryRun>>;
    corpusImportMap(): WamLoadPolicy["importMap"];
  }
}

test.describe.configure({ timeout: 180_000 });

const INDEX = JSON.parse(
  readFileSync(new URL("../node_modules/wam-community/dist/plugins.json", import.meta.url), "utf8"),
) as { identifier: string; path: string; category: string[] }[];
const CORPUS_ROOT: DiscoveryRoot = { kind: "wam-index", url: "/wam-corpus/plugins.json" };
const PINGPONG = "/wam-corpus/plugins/wimmics/pingpongdelay/dist/index.js";
const BIGMUFF = "/wam-corpus/plugins/wimmics/BigMuff/index.js";

async function open(page: Page): Promise<void> {
  await page.goto("/e2e/pages/wam-discovery.html");
  await page.waitForFunction(() => typeof window.discover === "function");
}

function value<T>(outcome: Outcome<T>): T {
  if ("error" in outcome) throw new Error(outcome.error.message);
  return outcome.value;
}

function failureOf(run: DiscoveryRun, path: string): string | undefined {
  return run.result.extensions.failures?.find((failure) => failure.path.endsWith(path))?.error;
}

test("the whole wam-community index: nodes, honest failures, valid descriptors, time (with the import map)", async ({
  page,
}) => {
  expect(INDEX).toHaveLength(58);
  await open(page);
  const run = value(await page.evaluate((root) => window.discover([root], { importMap: true }), CORPUS_ROOT));
  const wams = run.result.nodes.filter((node) => node.format === "wam");
  const failures = run.result.extensions.failures ?? [];
  for (const node of run.result.nodes) expect(() => parseContract(NodeDescriptorSchema, node)).not.toThrow();
  expect(run.valid).toBe(true);
  expect(run.cachedSameId).toBe(true);
  console.log(
    `wam-community corpus (import map): ${wams.length} WAM nodes, ${failures.length} failures, ` +
      `discoverNodes ${run.wallMs.toFixed(0)} ms (elapsed_ms ${run.result.elapsed_ms.toFixed(0)})`,
  );
  for (const failure of failures) console.log(`  failure ${failure.path}\n    ${failure.error}`);
  // Every index entry is either a node or a failure, never lost.
  expect(wams.length + failures.length).toBe(58);
  const corpus = `${new URL(page.url()).origin}/wam-corpus/`;
  expect(run.result.scanned_paths.filter((path) => path.startsWith(corpus))).toHaveLength(59);
  // The sdk-parammgr plugins load with the import map; the bundled ones always do.
  const ids = new Set(wams.map((node) => node.node_id));
  for (const id of [
    "wam:com.wimmics.bigmuff",
    "wam:com.wimmics.pingpongdelay",
    "wam:com.wimmics.quadrafuzz",
  ]) {
    expect(ids, id).toContain(id);
  }
  expect(ids).toContain("wam:com.sequencerParty.synth101");
  const synth = wams.find((node) => node.node_id === "wam:com.sequencerParty.synth101");
  expect(synth?.extensions.is_instrument).toBe(true);
  const delay = wams.find((node) => node.node_id === "wam:com.wimmics.pingpongdelay");
  expect(delay?.extensions).toMatchObject({ is_instrument: false, input_channels: 2, output_channels: 2 });
  expect(wams.length).toBeGreaterThanOrEqual(40);
  // The honest failures of this machine (no internet, no Sequencer Party host, and Chromium's fake
  // camera and microphone, e2e/support/fake-capture.ts): docs/wam.md.
  const failed = Object.fromEntries(
    failures.map((failure) => [failure.path.replace(/^.*\/plugins\//, ""), failure.error]),
  );
  expect(Object.keys(failed).sort()).toEqual([
    "burns-audio/functionseq/index.js",
    "burns-audio/video_input/index.js",
    "burns-audio/video_isf/index.js",
    "burns-audio/video_threejs/index.js",
    "wimmics/PedalBoard-WAC2022/src/index.js",
  ]);
  expect(failed["burns-audio/functionseq/index.js"]).toContain("(reading 'collaboration')");
  // It gets the fake camera, then wants a live context's media stream source: discovery's is offline.
  expect(failed["burns-audio/video_input/index.js"]).toContain(
    "ctx.createMediaStreamSource is not a function",
  );
  expect(failed["wimmics/PedalBoard-WAC2022/src/index.js"]).toContain("failed to load (a missing import?");
  // Each failure names an E_ code and its module URL.
  for (const failure of failures) {
    expect(failure.error).toMatch(/^E_[A-Z_]+( at [^:]+)?: /);
    expect(failure.path).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wam-corpus\/plugins\//);
  }
});

test("without the import map the sdk-parammgr plugins fail, naming the URL and the missing import", async ({
  page,
}) => {
  // Two plugins of the corpus, not its whole index again (the test above scans it): BigMuff is built
  // on sdk-parammgr, the ping-pong delay bundles what it imports.
  await open(page);
  const roots: DiscoveryRoot[] = [BIGMUFF, PINGPONG].map((url) => ({ kind: "wam-module", url }));
  const run = value(await page.evaluate((roots) => window.discover(roots), roots));
  const error = failureOf(run, "wimmics/BigMuff/index.js");
  expect(error).toMatch(
    /^E_PLUGIN_LOAD at root\.url: http:\/\/127\.0\.0\.1:\d+\/wam-corpus\/plugins\/wimmics\/BigMuff\/index\.js: the module was fetched but it, or one of the modules it imports, failed to load \(a missing import\? an import map may redirect it: docs\/wam\.md\)/,
  );
  const ids = run.result.nodes.filter((node) => node.format === "wam").map((node) => node.node_id);
  expect(ids).toEqual(["wam:com.wimmics.pingpongdelay"]);
  expect(run.result.extensions.failures).toHaveLength(1);
});

test("descriptors' parameters equal getParameterInfo of a fresh instance", async ({ page }) => {
  await open(page);
  const policy = { importMap: await page.evaluate(() => window.corpusImportMap()) };
  for (const url of [
    PINGPONG,
    BIGMUFF,
    "/wam-corpus/plugins/burns-audio/synth101/index.js",
    "/wam-corpus/plugins/wimmics/quadrafuzz/dist/index.js",
  ]) {
    const described = value(
      await page.evaluate(([u, p]) => window.loadAndDescribe(u, p), [url, policy] as const),
    );
    const info = await page.evaluate(([u, p]) => window.parameterInfoOf(u, p), [url, policy] as const);
    expect(Object.keys(info).length, url).toBeGreaterThan(0);
    const { parameters } = normalizeWamParameters(info);
    expect(described.parameters, url).toEqual(parameters);
    // And against the raw answer: id, label (or id), default and range of each.
    for (const parameter of described.parameters ?? []) {
      const raw = info[parameter.id] as Required<WamParameterInfoLike>;
      expect(parameter.name).toBe((raw.label as string) || parameter.id);
      if (raw.type !== "choice" && raw.type !== "boolean")
        expect(parameter.range).toEqual([raw.minValue, raw.maxValue]);
      expect(parameter.default).toBe(raw.defaultValue);
    }
  }
});

test("errors name the URL and why: 404, a refused origin, a module that throws, not a WAM", async ({
  page,
  baseURL,
}) => {
  await open(page);
  const missing = await page.evaluate(() => window.loadAndDescribe("/wam-corpus/plugins/nowhere/index.js"));
  expect(missing).toEqual({
    error: {
      code: "E_PLUGIN_LOAD",
      path: "url",
      message: `E_PLUGIN_LOAD at url: ${baseURL}/wam-corpus/plugins/nowhere/index.js: HTTP 404 Not Found`,
    },
  });
  // Vite's dev server answers a missing file under its root with its HTML page: named as such.
  const fallback = await page.evaluate(() => window.loadAndDescribe("/e2e/fixtures/does-not-exist.js"));
  expect("error" in fallback && fallback.error.message).toBe(
    `E_PLUGIN_LOAD at url: ${baseURL}/e2e/fixtures/does-not-exist.js: it is served as text/html, not JavaScript (a missing file answered by a fallback page?)`,
  );
  const port = new URL(baseURL ?? "").port;
  const otherOrigin = `http://localhost:${port}${PINGPONG}`;
  const refused = await page.evaluate((url) => window.loadAndDescribe(url), otherOrigin);
  expect(refused).toEqual({
    error: {
      code: "E_ORIGIN_NOT_ALLOWED",
      path: "url",
      message: `E_ORIGIN_NOT_ALLOWED at url: ${otherOrigin}: origin http://localhost:${port} is not allowed (allowed: self (${baseURL})); add it to allowedOrigins to load this plugin`,
    },
  });
  // The same module is fine once its origin is allowed (it is the same server).
  const allowed = await page.evaluate(
    ([url, origin]) => window.loadAndDescribe(url, { allowedOrigins: ["self", origin] }),
    [otherOrigin, `http://localhost:${port}`] as const,
  );
  expect(value(allowed).node_id).toBe("wam:com.wimmics.pingpongdelay");
  const throws = await page.evaluate(() => window.loadAndDescribe("/e2e/fixtures/wam-throws-on-import.js"));
  expect(throws).toEqual({
    error: {
      code: "E_PLUGIN_LOAD",
      path: "url",
      message: `E_PLUGIN_LOAD at url: ${baseURL}/e2e/fixtures/wam-throws-on-import.js: the module threw on import: Error: wam fixture: this plugin throws on import`,
    },
  });
  const notWam = await page.evaluate(() => window.loadAndDescribe("/e2e/fixtures/not-a-wam.js"));
  expect("error" in notWam && notWam.error.message).toBe(
    `E_PLUGIN_LOAD at url: ${baseURL}/e2e/fixtures/not-a-wam.js: not a Web Audio Module: the module exports function by default, not a class with static isWebAudioModuleConstructor = true and createInstance()`,
  );
});

test("failing roots are failures of the scan, through the audioworklet host too", async ({
  page,
  baseURL,
}) => {
  await open(page);
  const port = new URL(baseURL ?? "").port;
  const run = value(
    await page.evaluate((roots) => window.discover(roots, { host: "audioworklet" }), [
      { kind: "wam-module", url: PINGPONG },
      { kind: "wam-module", url: "/e2e/fixtures/wam-throws-on-import.js" },
      { kind: "wam-index", url: "/wam-corpus/no-such-index.json" },
      { kind: "wam-index", url: `http://localhost:${port}/wam-corpus/plugins.json` },
      {
        kind: "wam-descriptors",
        url: "/wam-corpus/plugins/wimmics/",
        files: ["pingpongdelay/dist/descriptor.json", "nope/descriptor.json"],
      },
    ] satisfies DiscoveryRoot[]),
  );
  const wams = run.result.nodes.filter((node) => node.format === "wam");
  expect(wams.map((node) => node.node_id)).toEqual(["wam:com.wimmics.pingpongdelay"]);
  expect(run.result.nodes.some((node) => node.format === "builtin")).toBe(true);
  const failures = Object.fromEntries((run.result.extensions.failures ?? []).map((f) => [f.path, f.error]));
  expect(failures[`${baseURL}/e2e/fixtures/wam-throws-on-import.js`]).toMatch(
    /threw on import: Error: wam fixture/,
  );
  expect(failures["wam-index:/wam-corpus/no-such-index.json"]).toBe(
    `E_PLUGIN_LOAD: ${baseURL}/wam-corpus/no-such-index.json: HTTP 404`,
  );
  expect(failures[`wam-index:http://localhost:${port}/wam-corpus/plugins.json`]).toMatch(
    /^E_ORIGIN_NOT_ALLOWED at root\.url: /,
  );
  expect(failures[`${baseURL}/wam-corpus/plugins/wimmics/nope/descriptor.json`]).toMatch(/HTTP 404/);
  expect(Object.keys(failures)).toHaveLength(4);

  // A plugin that takes longer than the host's wamScanTimeoutMs is a failure naming it and the limit
  // (1 ms: no plugin loads that fast); a limit that is not a positive number is refused by name.
  const late = value(
    await page.evaluate(
      (url) => window.discover([{ kind: "wam-module", url }], { scanTimeoutMs: 1 }),
      PINGPONG,
    ),
  );
  expect(late.result.nodes.filter((node) => node.format === "wam")).toEqual([]);
  expect(late.result.extensions.failures).toEqual([
    {
      path: `${baseURL}${PINGPONG}`,
      error: `E_PLUGIN_LOAD: ${baseURL}${PINGPONG}: no answer within 1 ms (loading or describing it)`,
    },
  ]);
  const refused = await page.evaluate(() => window.discover([], { scanTimeoutMs: -5 }));
  expect(refused).toEqual({
    error: {
      code: "E_SCHEMA",
      path: "options.wamScanTimeoutMs",
      message: "E_SCHEMA at options.wamScanTimeoutMs: must be a positive number of milliseconds, not -5",
    },
  });
});
