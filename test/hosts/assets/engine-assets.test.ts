import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENGINE_ASSET_FILES, engineAssets } from "../../../src/hosts/assets/engine-assets";
import { compileEngineFrom, loadEngineModule } from "../../../src/hosts/assets/fetch-engine";

describe("engineAssets(baseUrl)", () => {
  it("puts every file in the folder baseUrl names, with or without its trailing slash", () => {
    for (const base of [
      "https://cdn.example/wd@0.1.0/dist/browser/",
      "https://cdn.example/wd@0.1.0/dist/browser",
    ]) {
      const assets = engineAssets(base);
      expect(assets.engineWasm).toBe("https://cdn.example/wd@0.1.0/dist/browser/engine.wasm");
      expect(assets.worklet).toBe("https://cdn.example/wd@0.1.0/dist/browser/engine-processor.js");
      expect(assets.workerScript("worker")).toBe(
        "https://cdn.example/wd@0.1.0/dist/browser/engine-worker.js",
      );
      expect(assets.workerScript("realtime")).toBe(
        "https://cdn.example/wd@0.1.0/dist/browser/realtime-worker.js",
      );
      expect(assets.libfaust).toEqual({
        js: "https://cdn.example/wd@0.1.0/dist/browser/libfaust-wasm.js",
        wasm: "https://cdn.example/wd@0.1.0/dist/browser/libfaust-wasm.wasm",
        data: "https://cdn.example/wd@0.1.0/dist/browser/libfaust-wasm.data",
      });
    }
  });

  it("takes a URL object, and the published file names are the ones the package build writes", () => {
    expect(engineAssets(new URL("https://a.example/x/")).engineWasm).toBe("https://a.example/x/engine.wasm");
    expect(ENGINE_ASSET_FILES).toEqual({
      engineWasm: "engine.wasm",
      worklet: "engine-processor.js",
      worker: "engine-worker.js",
      realtime: "realtime-worker.js",
      libfaust: { js: "libfaust-wasm.js", wasm: "libfaust-wasm.wasm", data: "libfaust-wasm.data" },
    });
  });
});

describe("compileEngineFrom(url)", () => {
  afterEach(() => vi.unstubAllGlobals());
  const url = "https://app.example/assets/engine.wasm";

  it("a 404 is E_HOST_UNAVAILABLE naming the file and the URL", async () => {
    vi.stubGlobal("fetch", async () => new Response("not found", { status: 404 }));
    await expect(compileEngineFrom(url)).rejects.toMatchObject({
      code: "E_HOST_UNAVAILABLE",
      message: expect.stringMatching(
        /^E_HOST_UNAVAILABLE: engine\.wasm could not be loaded from https:\/\/app\.example\/assets\/engine\.wasm \(HTTP 404\): .*baseUrl/,
      ),
    });
  });

  it("an index.html served for every path (status 200) says what came back instead", async () => {
    vi.stubGlobal(
      "fetch",
      async () => new Response("<!doctype html><p>app</p>", { headers: { "content-type": "text/html" } }),
    );
    await expect(compileEngineFrom(url)).rejects.toThrow(
      "(the server sent 25 bytes of text/html, not WebAssembly)",
    );
  });

  it("a network failure names the URL too", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(compileEngineFrom(url)).rejects.toThrow(
      `engine.wasm could not be loaded from ${url} (Failed to fetch)`,
    );
  });
});

describe("compileEngineFrom(url) served as application/wasm", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  const wasm = () =>
    new Response(readFileSync("public/build/engine.wasm"), {
      headers: { "content-type": "application/wasm" },
    });

  it("compiles while it downloads (compileStreaming) and the module is engine.wasm's", async () => {
    vi.stubGlobal("fetch", async () => wasm());
    const streaming = vi.spyOn(WebAssembly, "compileStreaming");
    const module = await compileEngineFrom("https://app.example/streamed/engine.wasm");
    expect(streaming).toHaveBeenCalledTimes(1);
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toContain("wd_engine_create");
  });

  it("loadEngineModule fetches and compiles once per URL, and again after a failure", async () => {
    let fetches = 0;
    let fail = true;
    vi.stubGlobal("fetch", async () => {
      fetches++;
      return fail ? new Response("gone", { status: 404 }) : wasm();
    });
    const url = "https://app.example/once/engine.wasm";
    await expect(loadEngineModule(url)).rejects.toThrow("(HTTP 404)");
    fail = false;
    const [first, second] = await Promise.all([loadEngineModule(url), loadEngineModule(url)]);
    expect(first).toBe(second);
    expect(await loadEngineModule(url)).toBe(first);
    expect(fetches).toBe(2);
  });
});
