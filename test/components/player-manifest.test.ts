/**
 * The Custom Elements Manifest of <webdreamer-player>, generated from the source by the same script
 * setup runs (scripts/build-manifest.mjs, into a folder of its own), held against the source and
 * against docs/player.md: every attribute the class declares, every event it dispatches, every CSS
 * custom property its styles read, every part and slot of its template is documented in both. A new
 * one without its doc comment tag, or without its line in docs/player.md, fails here.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PropertyDeclarations } from "lit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParameterControl } from "../../src/components/demo-graph";
import type { PlayerStatus } from "../../src/components/player-header";
import { WebdreamerPlayer } from "../../src/components/webdreamer-player";
import { GraphDescriptorSchema, GraphNodeSchema } from "../../src/contracts/graph-descriptor";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COMPONENTS = join(ROOT, "src/components");
const DOCS = readFileSync(join(ROOT, "docs/player.md"), "utf8");

/** The parts of the manifest this test reads (custom-elements-manifest's schema, loosely). */
interface Described {
  name: string;
  description?: string;
  default?: string;
  type?: { text: string };
}
interface Member extends Described {
  kind: "field" | "method";
  attribute?: string;
}
interface ElementDeclaration extends Described {
  customElement?: boolean;
  tagName?: string;
  members?: Member[];
  attributes?: (Described & { fieldName?: string })[];
  events?: Described[];
  cssProperties?: Described[];
  cssParts?: Described[];
  slots?: Described[];
}
interface Manifest {
  modules: { path: string; declarations?: ElementDeclaration[] }[];
}

// Exhaustive by type: a field or status added to the source and not here does not compile.
const CONTROL_FIELDS: Record<keyof ParameterControl, true> = {
  node: true,
  param: true,
  label: true,
  min: true,
  max: true,
  step: true,
  scale: true,
  unit: true,
};
const STATUSES: Record<PlayerStatus, true> = {
  unsupported: true,
  idle: true,
  starting: true,
  playing: true,
  paused: true,
  stopped: true,
  fault: true,
  error: true,
};

/** The source of every module of the component, comments and all. */
const sources = readdirSync(COMPONENTS)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => readFileSync(join(COMPONENTS, file), "utf8"));
const source = sources.join("\n");
const styles = readFileSync(join(COMPONENTS, "player-styles.ts"), "utf8");

const matches = (text: string, pattern: RegExp) =>
  [...text.matchAll(pattern)].map((match) => match[1] as string);
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
const names = (list: Described[] | undefined) => sorted((list ?? []).map((item) => item.name));

let folder: string;
let player: ElementDeclaration;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "webdreamer-manifest-"));
  const out = join(folder, "custom-elements.json");
  execFileSync(process.execPath, ["scripts/build-manifest.mjs", out], { cwd: ROOT, stdio: "pipe" });
  const manifest = JSON.parse(readFileSync(out, "utf8")) as Manifest;
  const elements = manifest.modules.flatMap((module) =>
    (module.declarations ?? []).filter((declaration) => declaration.customElement),
  );
  // The studio (src/studio/) is in the same manifest; this file checks the player.
  expect(elements.map((element) => element.tagName)).toEqual(["webdreamer-player", "webdreamer-studio"]);
  player = elements.find((element) => element.tagName === "webdreamer-player") as ElementDeclaration;
}, 60_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("the manifest of <webdreamer-player>", () => {
  it("names the element and the class that defines it", () => {
    expect(player.tagName).toBe("webdreamer-player");
    expect(player.name).toBe(WebdreamerPlayer.name);
    expect(source).toContain(`customElements.define("webdreamer-player", ${WebdreamerPlayer.name})`);
    expect(player.description).toBeTruthy();
  });

  it("lists every attribute the class declares in static properties, each described", () => {
    const declarations = WebdreamerPlayer.properties as PropertyDeclarations;
    // Lit maps a property to an attribute unless it is state or says attribute: false; by default the
    // attribute is the property's name in lower case.
    const declared = Object.entries(declarations)
      .filter(([, options]) => !options.state && options.attribute !== false)
      .map(([name, options]) =>
        typeof options.attribute === "string" ? options.attribute : name.toLowerCase(),
      );
    expect(names(player.attributes)).toEqual(sorted(declared));
    for (const attribute of player.attributes ?? [])
      expect(attribute.description, attribute.name).toBeTruthy();
  });

  it("lists every public property of static properties, and describes every member", () => {
    const declarations = WebdreamerPlayer.properties as PropertyDeclarations;
    const publicProperties = Object.entries(declarations)
      .filter(([, options]) => !options.state)
      .map(([name]) => name);
    const fields = (player.members ?? []).filter((member) => member.kind === "field").map((m) => m.name);
    expect(fields).toEqual(expect.arrayContaining(publicProperties));
    for (const member of player.members ?? []) expect(member.description, member.name).toBeTruthy();
  });

  it("gives the graph and controls shapes field by field", () => {
    const description = (name: string) => player.members?.find((member) => member.name === name)?.description;
    for (const key of Object.keys(CONTROL_FIELDS)) expect(description("controls")).toContain(key);
    for (const key of [...Object.keys(GraphDescriptorSchema.shape), ...Object.keys(GraphNodeSchema.shape)]) {
      expect(description("graph")).toContain(key);
    }
  });

  it("lists every event the component dispatches, with its detail type", () => {
    // Events leave through emit("name", …) or a dispatchEvent(new …Event("name", …)).
    const dispatched = [
      ...matches(source, /\bemit\(\s*"([^"]+)"/g),
      ...matches(source, /new (?:Custom)?Event(?:<[^>]*>)?\(\s*"([^"]+)"/g),
    ];
    // Events built from a name that is not a literal would hide from the grep above.
    expect(matches(source, /new (?:Custom)?Event(?:<[^>]*>)?\(\s*([^"\s][^,)]*)/g)).toEqual(["type"]);
    expect(dispatched.length).toBeGreaterThan(0);
    expect(names(player.events)).toEqual(sorted(dispatched));
    // TypeScript's event map (addEventListener's types) names the same events.
    expect(sorted(matches(source, /^\s*"([\w-]+)": CustomEvent</gm))).toEqual(sorted(dispatched));
    for (const event of player.events ?? []) {
      expect(event.type?.text, event.name).toMatch(/^CustomEvent<\{.*\}>$/);
      expect(event.description, event.name).toBeTruthy();
    }
  });

  it("lists every CSS custom property the styles and the meter read, with the stylesheet's default", () => {
    const read = [
      ...matches(source, /var\(\s*(--[\w-]+)/g),
      // The meter's canvas reads its colours with getComputedStyle.
      ...matches(source, /"(--[\w-]+)"/g),
    ];
    // A property the template sets on its own elements is internal (the slider's --fill).
    const internal = new Set(matches(source, /style="(--[\w-]+):/g));
    expect(internal).toEqual(new Set(["--fill"]));
    const expected = sorted(read.filter((name) => !internal.has(name)));
    expect(names(player.cssProperties)).toEqual(expected);
    for (const property of player.cssProperties ?? []) {
      expect(property.description, property.name).toBeTruthy();
      // The first declaration in the stylesheet is the default palette's (dark).
      const declared = new RegExp(`^\\s*${property.name}:\\s*([^;]+);`, "m").exec(styles)?.[1];
      expect(property.default, property.name).toBe(declared);
    }
  });

  it("lists every part of the template", () => {
    expect(source).not.toMatch(/\bpart=\$\{/);
    const parts = matches(source, /\bpart="([^"]+)"/g).flatMap((value) => value.split(/\s+/));
    expect(parts.length).toBeGreaterThan(0);
    expect(names(player.cssParts)).toEqual(sorted(parts));
    for (const part of player.cssParts ?? []) expect(part.description, part.name).toBeTruthy();
  });

  it("lists every slot of the template (there are none: the player renders only its own parts)", () => {
    const slots = [...source.matchAll(/<slot\b(?:[^>]*\bname="([^"]+)")?/g)].map((match) => match[1] ?? "");
    expect(names(player.slots)).toEqual(sorted(slots));
    expect(slots).toEqual([]);
  });

  it("is where package.json's customElements field says the package build puts it", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.customElements).toBe("dist/custom-elements.json");
    expect(readFileSync(join(ROOT, "scripts/build-manifest.mjs"), "utf8")).toContain(
      '"dist/custom-elements.json"',
    );
  });
});

describe("docs/player.md", () => {
  /** Each name must appear in code quotes, as the doc's tables write them: `name`, or `name(…)` for a method. */
  const undocumented = (list: Iterable<string>) =>
    [...list].filter((name) => !DOCS.includes(`\`${name}\``) && !DOCS.includes(`\`${name}(`));

  it("mentions every attribute, property, method and event", () => {
    expect(undocumented(names(player.attributes))).toEqual([]);
    expect(undocumented(names(player.members))).toEqual([]);
    expect(undocumented(names(player.events))).toEqual([]);
  });

  it("mentions every CSS custom property and part", () => {
    expect(undocumented(names(player.cssProperties))).toEqual([]);
    expect(undocumented(names(player.cssParts))).toEqual([]);
  });

  it("gives the controls shape and every status", () => {
    expect(undocumented(Object.keys(CONTROL_FIELDS))).toEqual([]);
    expect(undocumented(Object.keys(STATUSES).map((status) => `"${status}"`))).toEqual([]);
  });
});
