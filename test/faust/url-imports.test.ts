/**
 * Faust compilation never reaches the network on its own (src/faust/url-imports.ts): URL imports
 * are refused naming the line, or fetched by webdreamer from an allowed prefix (a real local HTTP
 * server here) and compiled as libraries.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findFileReferences,
  isAbsolutePath,
  isUrl,
  resolveUrlImports,
  soundfileUrlParts,
} from "../../src/faust/url-imports";
import { createEngine, type EngineClient } from "../../src/index";

describe("findFileReferences", () => {
  it("finds import, library, component and soundfile literals with their lines, not comments or other strings", () => {
    const text = [
      'import("stdfaust.lib"); // import("commented.lib")',
      '/* library("block.lib")',
      ' */ declare author "https://example.org/me";',
      'fx = library ( "https://a.example/x.lib" ).fx;',
      'c = component("//b.example/c.dsp"); s = soundfile("s[url:{\'https://c.example/s.wav\'}]", 1);',
    ].join("\n");
    expect(findFileReferences(text).map(({ kind, target, line }) => [kind, target, line])).toEqual([
      ["import", "stdfaust.lib", 1],
      ["library", "https://a.example/x.lib", 4],
      ["component", "//b.example/c.dsp", 5],
      ["soundfile", "s[url:{'https://c.example/s.wav'}]", 5],
    ]);
  });

  it("tells URLs from file names", () => {
    expect(
      ["https://x/y.lib", "HTTP://x", "file:///etc/x", "//host/x.lib", "data:text/plain,x"].map(isUrl),
    ).toEqual([true, true, true, true, true]);
    expect(["stdfaust.lib", "/etc/passwd", "dir/x.lib", "c:x"].map(isUrl)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });
});

describe("absolute paths and soundfile parts", () => {
  it("tells absolute paths from URLs and names", () => {
    expect(["/etc/passwd", "\\\\share\\x.lib"].map(isAbsolutePath)).toEqual([true, true]);
    expect(["//host/x.lib", "stdfaust.lib", "dir/x.lib", "https://x/y"].map(isAbsolutePath)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("reads a soundfile label's url parts as written", () => {
    expect(soundfileUrlParts("s[url:{'a.wav'; 'https://x/b.wav';'/abs/c.wav'}]")).toEqual([
      "a.wav",
      "https://x/b.wav",
      "/abs/c.wav",
    ]);
    expect(soundfileUrlParts("plain")).toEqual([]);
  });
});

describe("resolveUrlImports", () => {
  const refuse = (source: string, allowUrlPrefixes: string[] = []) =>
    resolveUrlImports(source, {}, { allowUrlPrefixes }, "source", "options.libraries");

  it("refuses an absolute path before libfaust sees it (it would only say 'unable to open file')", async () => {
    await expect(refuse('process = _;\n\nimport("/etc/passwd");')).rejects.toThrow(
      'E_SCHEMA at source: line 3: import("/etc/passwd") names a file outside the compile; Faust compilation reads no file system: pass the file\'s text in options.libraries and import it by name',
    );
    await expect(
      resolveUrlImports(
        "process = _;",
        { "mine.lib": 'x = component("/home/me/x.dsp");' },
        { allowUrlPrefixes: ["https://ok.example/"] },
        "source",
        "options.libraries",
      ),
    ).rejects.toThrow(
      'E_SCHEMA at options.libraries["mine.lib"]: line 1: component("/home/me/x.dsp") names a file',
    );
  });

  it("refuses a soundfile part that is a URL outside the allowed prefixes, or an absolute path", async () => {
    const url = "process = 0, 0 : soundfile(\"s[url:{'https://cdn.example/s.wav'}]\", 1) : !, !, _;";
    await expect(refuse(url)).rejects.toThrow(
      `E_SCHEMA at source: line 1: soundfile("s[url:{'https://cdn.example/s.wav'}]") names the URL https://cdn.example/s.wav; webdreamer fetches no soundfile`,
    );
    await expect(
      refuse("process = 0, 0 : soundfile(\"s[url:{'ok.wav';'/samples/s.wav'}]\", 1) : !, !, _;"),
    ).rejects.toThrow(
      `E_SCHEMA at source: line 1: soundfile("s[url:{'ok.wav';'/samples/s.wav'}]") names the file /samples/s.wav; Faust compilation reads no file system: name the part (e.g. 's.wav')`,
    );
    // Allowed: kept as it is (a slot name), nothing fetched.
    const fetched: string[] = [];
    const resolved = await resolveUrlImports(
      url,
      {},
      {
        allowUrlPrefixes: ["https://cdn.example/"],
        fetchText: async (asked) => {
          fetched.push(asked);
          return "";
        },
      },
      "source",
      "options.libraries",
    );
    expect(resolved.source).toBe(url);
    expect(fetched).toEqual([]);
  });

  it("refuses a URL outside the allowed prefixes, naming the line, the call and the path", async () => {
    await expect(
      resolveUrlImports(
        'process = _;\nimport("https://evil.example/x.lib");',
        {},
        { allowUrlPrefixes: [] },
        "source",
        "options.libraries",
      ),
    ).rejects.toThrow(
      'E_SCHEMA at source: line 2: import("https://evil.example/x.lib") reaches the network; Faust compilation fetches nothing on its own: allow the URL\'s prefix in options.allowUrlPrefixes, or pass the file in options.libraries',
    );
    await expect(
      resolveUrlImports(
        "process = _;",
        { "mine.lib": 'x = library("http://other.example/y.lib");' },
        { allowUrlPrefixes: ["https://ok.example/"] },
        "source",
        "options.libraries",
      ),
    ).rejects.toThrow(
      'E_SCHEMA at options.libraries["mine.lib"]: line 1: library("http://other.example/y.lib")',
    );
  });

  it("fetches allowed files (and theirs), once each, keeping every line where it was", async () => {
    const served: Record<string, string> = {
      "https://ok.example/a.lib": 'b = library("https://ok.example/b.lib");\na = 1;',
      "https://ok.example/b.lib": "b = 2;",
    };
    const asked: string[] = [];
    const { source, libraries } = await resolveUrlImports(
      'A = library("https://ok.example/a.lib");\nB = library("https://ok.example/b.lib");\nprocess = A.a;',
      {},
      {
        allowUrlPrefixes: ["https://ok.example/"],
        fetchText: async (url) => {
          asked.push(url);
          return served[url] as string;
        },
      },
      "source",
      "options.libraries",
    );
    expect(asked).toEqual(["https://ok.example/a.lib", "https://ok.example/b.lib"]);
    const names = Object.keys(libraries);
    expect(names).toHaveLength(2);
    expect(names.every((name) => /^url-[0-9a-f]{16}\.lib$/.test(name))).toBe(true);
    expect(source.split("\n")).toHaveLength(3);
    expect(source).not.toContain("https://");
    expect(Object.values(libraries).join("\n")).not.toContain("https://");
  });
});

describe("compileFaust with URL imports (in-process host)", () => {
  let server: Server;
  let base: string;
  let engine: EngineClient & {
    compileFaust: (
      s: string,
      o?: object,
    ) => Promise<{ node_id: string; extensions: Record<string, unknown> }>;
  };
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      if (req.url === "/libs/half.lib") res.end("half = *(0.5);");
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    engine = (await createEngine({ host: "in-process", sampleRate: 48000 })) as typeof engine;
  });
  afterAll(async () => {
    await engine.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("refuses the import without touching the network (was: a stack trace and 'allocate is not defined')", async () => {
    const source = `h = library("${base}/libs/half.lib");\nprocess = h.half;`;
    await expect(engine.compileFaust(source)).rejects.toThrow(
      `E_SCHEMA at source: line 1: library("${base}/libs/half.lib") reaches the network`,
    );
    expect(requests).toEqual([]);
  });

  it("compiles it from an allowed prefix: the fetched library's law holds", async () => {
    const source = `h = library("${base}/libs/half.lib");\nprocess = h.half;`;
    const { node_id } = await engine.compileFaust(source, { allowUrlPrefixes: [`${base}/libs/`] });
    expect(requests).toEqual(["/libs/half.lib"]);
    const result = await engine.render({
      version: "v1alpha",
      request_id: "url-import",
      duration_seconds: 0.01,
      sample_rate: 48000,
      channels: 1,
      node_graph: {
        version: "v1alpha",
        nodes: [
          { name: "dc", node_id: "builtin:constant", params: { offset: 0.8 } },
          { name: "half", node_id, inputs: ["dc"] },
        ],
        output: "half",
      },
    });
    const [out] = await engine.readBuffer(result.buffer_handle as string);
    expect(out?.[100]).toBeCloseTo(0.4, 7);
  });

  it("refuses a soundfile URL and an absolute import without a request or a file read", async () => {
    const before = requests.length;
    const soundfile = `process = 0, 0 : soundfile("s[url:{'${base}/libs/s.wav'}]", 1) : !, !, _;`;
    await expect(engine.compileFaust(soundfile)).rejects.toThrow(
      `E_SCHEMA at source: line 1: soundfile("s[url:{'${base}/libs/s.wav'}]") names the URL ${base}/libs/s.wav`,
    );
    // An existing file: libfaust's file system is in memory, and the compile never asks for it.
    await expect(
      engine.compileFaust(`import("${process.cwd()}/package.json");\nprocess = _;`),
    ).rejects.toThrow(
      `E_SCHEMA at source: line 1: import("${process.cwd()}/package.json") names a file outside the compile`,
    );
    expect(requests.slice(before)).toEqual([]);
    // Allowed, the part is the name of the slot the app fills: the compile fetches nothing.
    const allowed = await engine.compileFaust(soundfile, { allowUrlPrefixes: [`${base}/libs/`] });
    expect(allowed.extensions.buffer_slots).toEqual(["s"]);
    expect(requests.slice(before)).toEqual([]);
  });

  it("names a missing allowed file and a URL in argv", async () => {
    await expect(
      engine.compileFaust(`import("${base}/libs/none.lib");\nprocess = _;`, {
        allowUrlPrefixes: [`${base}/libs/`],
      }),
    ).rejects.toThrow(`E_SCHEMA at source: cannot fetch ${base}/libs/none.lib: HTTP 404`);
    await expect(engine.compileFaust("process = _;", { argv: ["-I", `${base}/libs`] })).rejects.toThrow(
      "E_SCHEMA at options.argv[1]: must not be a URL: Faust compilation fetches nothing on its own",
    );
    await expect(engine.compileFaust("process = _;", { allowUrlPrefixes: ["http"] })).rejects.toThrow(
      "E_SCHEMA at options.allowUrlPrefixes[0]: must be an http(s) URL prefix",
    );
  });
});

describe("the app's faustPolicy (createEngine)", () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("half = *(0.5);");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("lets every compile of the engine fetch from its prefixes: compileFaust and a graph node carrying its source", async () => {
    const source = `h = library("${base}/libs/half.lib");\nprocess = h.half;`;
    const allowing = await createEngine({
      sampleRate: 48000,
      faustPolicy: { allowUrlPrefixes: [`${base}/libs/`] },
    });
    const { node_id } = await allowing.compileFaust(source);
    expect(hits).toEqual(["/libs/half.lib"]);
    // Another engine of the same app renders a graph node that carries the source (a saved session).
    const other = await createEngine({
      sampleRate: 48000,
      faustPolicy: { allowUrlPrefixes: [`${base}/libs/`] },
    });
    const carried = {
      name: "half",
      node_id,
      inputs: ["dc"],
      extensions: {
        faust: { source, argv: ["-ftz", "2"], voices: 0, group_voices: true, name: "webdreamer" },
      },
    };
    const result = await other.render({
      version: "v1alpha",
      request_id: "policy",
      duration_seconds: 0.01,
      sample_rate: 48000,
      channels: 1,
      node_graph: {
        version: "v1alpha",
        nodes: [{ name: "dc", node_id: "builtin:constant", params: { offset: 0.8 } }, carried],
        output: "half",
      },
    });
    expect(result.error).toBeNull();
    const [out] = await other.readBuffer(result.buffer_handle as string);
    expect(out?.[100]).toBeCloseTo(0.4, 7);
    await Promise.all([allowing.close(), other.close()]);
  });

  it("refuses a bad prefix at the option, and allows nothing by default", async () => {
    await expect(createEngine({ faustPolicy: { allowUrlPrefixes: ["ftp://x/"] } })).rejects.toThrow(
      'E_SCHEMA at options.faustPolicy.allowUrlPrefixes[0]: must be an http(s) URL prefix with a host and a "/"',
    );
    const engine = await createEngine({ sampleRate: 48000 });
    const before = hits.length;
    await expect(engine.compileFaust(`import("${base}/libs/half.lib");\nprocess = _;`)).rejects.toThrow(
      "reaches the network",
    );
    expect(hits.length).toBe(before);
    await engine.close();
  });
});
