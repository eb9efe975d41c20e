/**
 * Which plugins the demo page shows, and where they are served. In development the Vite server
 * serves the wam-community package (third-party WAMs, docs/wam.md) under wam-corpus/; the static site
 * does not ship it (the package states no licence), so the page falls back to webdreamer's own
 * fixture WAM there and says so. URLs are relative to the page, so the site plays under any path.
 */
import type { DiscoveryRoot } from "../api/discovery-roots";

/** A WAM the demo can insert at the end of its patch. */
export interface DemoWam {
  /** "corpus": a third-party plugin of wam-community; "fixture": webdreamer's own test WAM. */
  source: "corpus" | "fixture";
  moduleUrl: string;
  /** The graph node's node_id: "wam:" + the plugin's identifier. */
  nodeId: string;
  name: string;
  /** Params the graph node sets: the fixture at gain 1 would not change the sound. */
  params: Record<string, number>;
}

/** The corpus folder, relative to the page (dev server: vite.config.ts's serveFolder). */
export const CORPUS_PLUGINS = "wam-corpus/plugins/";

export const PINGPONG_DELAY: DemoWam = {
  source: "corpus",
  moduleUrl: `${CORPUS_PLUGINS}wimmics/pingpongdelay/dist/index.js`,
  nodeId: "wam:com.wimmics.pingpongdelay",
  name: "PingPongDelay (Wimmics)",
  params: {},
};

export const FIXTURE_WAM: DemoWam = {
  source: "fixture",
  moduleUrl: "build/wam/fixture/index.js",
  nodeId: "wam:com.webdreamer.fixture",
  name: "webdreamer fixture (a gain)",
  params: { gain: 0.35 },
};

/**
 * The corpus's plugins the list scans: four effects that load as shipped, and BigMuff, which does not
 * (the package lacks the SDK copy it imports, and the demo supplies no import map): a real failure.
 */
const CORPUS_DESCRIPTORS = [
  "wimmics/pingpongdelay/dist/descriptor.json",
  "wimmics/quadrafuzz/dist/descriptor.json",
  "burns-audio/delay/descriptor.json",
  "burns-audio/simpleEQ/descriptor.json",
  "wimmics/BigMuff/descriptor.json",
];

/**
 * The roots the plugin list scans besides the builtin processors: the Faust files in dsp/, the
 * fixture WAM by its module URL and, when served, the corpus's descriptors. Absolute URLs (from the
 * page's `base`): the engine Worker fetches the Faust files, and in a Worker a relative URL would
 * resolve against the Worker's script.
 * @example
 * import { createBrowserEngine } from "../create-browser-engine";
 * const engine = await createBrowserEngine({ host: "worker", hostOptions: { discoveryRoots: demoDiscoveryRoots(location.href, true) } });
 */
export function demoDiscoveryRoots(base: string, corpus: boolean): DiscoveryRoot[] {
  const at = (path: string) => new URL(path, base).href;
  return [
    { kind: "faust-url", url: at("dsp/") },
    { kind: "wam-module", url: at(FIXTURE_WAM.moduleUrl) },
    ...(corpus
      ? [{ kind: "wam-descriptors" as const, url: at(CORPUS_PLUGINS), files: CORPUS_DESCRIPTORS }]
      : []),
  ];
}

/**
 * Whether the corpus is served here. Only Vite's dev server and the browser tests' preview of their
 * development-mode build serve it (vite.config.ts), so the site's production build does not ask (a
 * probe would log a 404 on every visit of the site); in development the
 * delay's descriptor.json must answer as JSON. A GET of the small descriptor, not a HEAD of the
 * module: the dev server's folder middleware sends a body to a HEAD, which the browser aborts and logs.
 */
export async function corpusServed(): Promise<boolean> {
  if (!import.meta.env.DEV) return false;
  try {
    const response = await fetch(
      new URL("descriptor.json", new URL(PINGPONG_DELAY.moduleUrl, location.href)),
    );
    return response.ok && /json/.test(response.headers.get("content-type") ?? "");
  } catch {
    return false;
  }
}
