/**
 * The layering of docs/architecture.md, checked on the source itself: each folder of src/ imports only
 * the folders its row allows. A new import across the grain (an engine module reaching for a host, a
 * host for the bootstrapper, a component for the data plane) fails here with the file and the import.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../../src");

/** A source file's room: its first folder under src/, or hosts/<host>; top-level files by name. */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split("/");
  if (parts.length === 1) return (parts[0] as string).replace(/\.ts$/, "");
  if (parts[0] === "hosts") return `hosts/${parts[1]}`;
  return parts[0] as string;
}

/** What each room may import (besides itself and packages). */
const ALLOWED: Record<string, readonly string[]> = {
  contracts: [],
  api: ["contracts"],
  engine: ["contracts", "dataplane"],
  dataplane: ["contracts", "api"],
  protocol: ["contracts", "api", "engine", "dataplane", "faust", "wam"],
  faust: ["contracts", "api", "engine"],
  wam: ["contracts", "api", "engine"],
  client: ["contracts", "api"],
  testing: ["contracts", "api"],
  // midi: the Standard MIDI File of what a render played (played-midi.ts).
  "hosts/in-process": ["contracts", "api", "engine", "faust", "midi"],
  "hosts/assets": ["contracts", "faust"],
  "hosts/worker": ["contracts", "api", "protocol", "faust", "wam", "hosts/assets", "hosts/in-process"],
  "hosts/audioworklet": [
    "contracts",
    "api",
    "engine",
    "dataplane",
    "protocol",
    "faust",
    "wam",
    "hosts/assets",
    "hosts/worker",
    "hosts/in-process",
    "wam",
  ],
  components: ["contracts", "api", "create-browser-engine"],
  "audio-io": [],
  midi: ["contracts"],
  // audio-io: the WAV codec (wav-codec.ts, no file system) for saved audio.
  project: ["contracts", "api", "audio-io"],
  session: ["contracts", "api", "audio-io"],
  cli: ["contracts", "api", "audio-io", "session", "project", "create-engine", "wam-export", "serve"],
  // `webdreamer serve` and its HTTP client: the contracts over HTTP; WAV bodies with the WAV codec.
  serve: ["contracts", "api", "audio-io"],
  // The studio (src/studio/ and its entry src/studio.ts, one room): Lit views on the project model,
  // the player's components, the browser's engines.
  studio: ["components", "project", "contracts", "api", "audio-io", "create-browser-engine"],
  demo: ["components", "studio", "contracts", "api", "create-browser-engine"],
  // A graph exported as a WAM plugin: compiled in Node.js with the engine and Faust, played in the
  // plugin's AudioWorklet processor with the AudioWorklet host's engine slot.
  "wam-export": ["contracts", "engine", "faust", "wam", "hosts/in-process", "hosts/audioworklet"],
  "create-engine": ["contracts", "api", "client", "faust", "hosts/in-process"],
  "create-browser-engine": ["contracts", "api", "client", "hosts/worker", "hosts/audioworklet"],
  // The package's entry points re-export whatever they publish.
  index: ["*"],
  browser: ["*"],
  player: ["*"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s+"(\.[^"]+)"|import\(?\s*"(\.[^"]+)"/g;

function crossings(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const room = roomOf(file);
    const allowed = ALLOWED[room];
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const spec = (match[1] ?? match[2]) as string;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const targetRoom = roomOf(target.endsWith(".ts") ? target : `${target}.ts`);
      if (targetRoom === room) continue;
      if (allowed === undefined) found.push(`${relative(SRC, file)}: room "${room}" has no row in ALLOWED`);
      else if (!allowed.includes("*") && !allowed.includes(targetRoom))
        found.push(`${relative(SRC, file)} imports ${spec} (${room} -> ${targetRoom})`);
    }
  }
  return found;
}

describe("import directions (docs/architecture.md, Folders)", () => {
  it("every folder of src/ imports only what its row allows", () => {
    expect(crossings()).toEqual([]);
  });

  it("the check sees imports: it finds the folders the in-process host really uses", () => {
    const file = join(SRC, "hosts/in-process/in-process-client.ts");
    const rooms = new Set(
      [...readFileSync(file, "utf8").matchAll(IMPORT)].map((m) =>
        roomOf(`${resolve(dirname(file), (m[1] ?? m[2]) as string)}.ts`),
      ),
    );
    expect([...rooms].sort()).toEqual(["api", "contracts", "engine", "faust", "hosts/in-process"]);
  });
});
