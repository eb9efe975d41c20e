import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseCommandLine, parseShard, type RenderCommand } from "../../src/cli/cli-options";
import { sessionTargets } from "../../src/cli/session-inputs";

describe("parseCommandLine", () => {
  it("fills defaults and reads every flag", () => {
    expect(parseCommandLine(["render", "a.json", "-o", "a.wav"])).toEqual({
      command: "render",
      inputs: ["a.json"],
      output: "a.wav",
      length: null,
      format: "float32",
      stemsDir: null,
      extraStems: [],
      blockSize: null,
      sampleRate: null,
      jobs: availableParallelism(),
      shard: null,
      quiet: false,
      allowOutsidePaths: false,
      timeoutSeconds: 3600,
      normalize: null,
    });
    expect(
      parseCommandLine([
        "render",
        "sessions/",
        "more.json",
        "--output=out",
        "--beats",
        "16",
        "--format",
        "pcm24",
        "--stems",
        "stems",
        "--stem",
        "bass",
        "--stem",
        "bass",
        "--stem",
        "drums",
        "--block-size",
        "512",
        "--sample-rate",
        "44100",
        "-j",
        "3",
        "--shard",
        "2/5",
        "-q",
        "--allow-outside-paths",
        "--timeout",
        "90.5",
        "--normalize=-1.5",
      ]),
    ).toEqual({
      command: "render",
      inputs: ["sessions/", "more.json"],
      output: "out",
      length: { beats: 16 },
      format: "pcm24",
      stemsDir: "stems",
      extraStems: ["bass", "drums"],
      blockSize: 512,
      sampleRate: 44100,
      jobs: 3,
      shard: { index: 2, count: 5 },
      quiet: true,
      allowOutsidePaths: true,
      timeoutSeconds: 90.5,
      normalize: -1.5,
    });
    expect(parseCommandLine(["render", "a.json", "-o", "a.wav", "--timeout", "0"])).toMatchObject({
      timeoutSeconds: 0,
    });
    expect(parseCommandLine(["--help"])).toEqual({ command: "help" });
    expect(parseCommandLine(["render", "-h"])).toEqual({ command: "help" });
  });

  it.each([
    [["render", "a.json"], "-o/--output is required (out.wav, or a directory)"],
    [[], "no command given (the commands are render, export-wam, serve, worker, enqueue, status)"],
    [
      ["draw", "a.json"],
      'unknown command "draw" (the commands are render, export-wam, serve, worker, enqueue, status)',
    ],
    [["render", "-o", "x.wav"], "no session or project files given"],
    [["render", "a.json", "-o", "x.wav", "--seconds", "0"], '--seconds must be a number > 0 (got "0")'],
    [["render", "a.json", "-o", "x.wav", "--beats", "lots"], '--beats must be a number > 0 (got "lots")'],
    [
      ["render", "a.json", "-o", "x.wav", "--seconds", "1", "--beats", "2"],
      "--seconds and --beats cannot be used together",
    ],
    [
      ["render", "a.json", "-o", "x.wav", "--block-size", "8192"],
      '--block-size must be an integer from 1 to 4096 (got "8192")',
    ],
    [
      ["render", "a.json", "-o", "x.wav", "--jobs", "1.5"],
      '--jobs must be an integer from 1 to 1024 (got "1.5")',
    ],
    [
      ["render", "a.json", "-o", "x.wav", "--stem", "bass"],
      "--stem needs --stems DIR, the folder to write stems to",
    ],
    [["render", "a.json", "-o", "x.wav", "--seconds"], "option --seconds needs a value"],
    [["render", "a.json", "-o", "x.wav", "--quiet=yes"], "option -q, --quiet does not take a value"],
    [["render", "a.json", "-o", "x.wav", "-x"], "unknown option -x"],
    // An empty path would silently mean the current folder.
    [["render", "a.json", "-o", ""], "-o/--output is an empty path: give a file or directory"],
    [["render", "a.json", "--output="], "-o/--output is an empty path: give a file or directory"],
    [["render", "a.json", "-o", "x", "--stems", " "], "--stems is an empty path: give a file or directory"],
    [["render", "", "-o", "x"], "an input path is empty: give a file, directory or glob"],
    // The contracts' range of sample rates (RenderRequest.sample_rate, a session's sample_rate).
    [
      ["render", "a.wdproj", "-o", "x.wav", "--sample-rate", "1000"],
      '--sample-rate must be an integer from 3000 to 768000 (got "1000")',
    ],
    [
      ["render", "a.wdproj", "-o", "x.wav", "--sample-rate", "44100.5"],
      '--sample-rate must be an integer from 3000 to 768000 (got "44100.5")',
    ],
    [
      ["render", "a.wdproj", "-o", "x.wav", "--sample-rate", "800000"],
      '--sample-rate must be an integer from 3000 to 768000 (got "800000")',
    ],
    [["render", "a.json", "-o", "x", "--stems", "s", "--stem", ""], "--stem needs a node name"],
    [
      ["render", "a.json", "-o", "x", "--timeout=-1"],
      '--timeout must be a number of seconds >= 0, 0 for none (got "-1")',
    ],
    [
      ["render", "a.json", "-o", "x", "--timeout", ""],
      '--timeout must be a number of seconds >= 0, 0 for none (got "")',
    ],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it("--normalize takes a level only after '=': -0.1 dBFS without one, and the next word is a session", () => {
    const render = (...args: string[]) => parseCommandLine(["render", "-o", "out", ...args]);
    expect(render("a.json", "--normalize")).toMatchObject({ inputs: ["a.json"], normalize: -0.1 });
    expect(render("--normalize=-3", "a.json")).toMatchObject({ normalize: -3 });
    expect(render("--normalize=0", "a.json")).toMatchObject({ normalize: 0 });
    // Space-separated and not a number: the flag without a level, then a session named abc.
    expect(render("--normalize", "abc")).toMatchObject({ inputs: ["abc"], normalize: -0.1 });
    expect(render("--normalize", "--format", "pcm16", "a.json")).toMatchObject({
      inputs: ["a.json"],
      format: "pcm16",
      normalize: -0.1,
    });
    // The last one given wins; after "--" everything is a session.
    expect(render("--normalize=-3", "--normalize", "a.json")).toMatchObject({ normalize: -0.1 });
    expect(render("a.json", "--", "--normalize=x")).toMatchObject({
      inputs: ["a.json", "--normalize=x"],
      normalize: null,
    });
  });

  it.each([
    [
      ["--normalize=abc"],
      '--normalize=DB needs a peak level in dBFS, a number <= 0 such as --normalize=-1 (got "abc")',
    ],
    [
      ["--normalize="],
      '--normalize=DB needs a peak level in dBFS, a number <= 0 such as --normalize=-1 (got "")',
    ],
    [
      ["--normalize=3"],
      '--normalize=DB needs a peak level in dBFS, a number <= 0 such as --normalize=-1 (got "3")',
    ],
    [["--normalize", "-3"], '--normalize takes its level after "=": write --normalize=-3'],
    [["--normalize", "0"], '--normalize takes its level after "=": write --normalize=0'],
  ])("rejects %j: %s", (args, message) => {
    expect(() => parseCommandLine(["render", "a.json", "-o", "out", ...args])).toThrow(message);
  });

  it("parses shards I/N with 0 <= I < N", () => {
    expect(parseShard("0/1")).toEqual({ index: 0, count: 1 });
    expect(parseShard("15/16")).toEqual({ index: 15, count: 16 });
    for (const bad of ["1/1", "-1/4", "1/0", "a/b", "1", "1/2/3"]) {
      expect(() => parseShard(bad), bad).toThrow(
        `--shard must be I/N with 0 <= I < N, e.g. 0/4 (got "${bad}")`,
      );
    }
  });
});

describe("--shards N: the index from an array job's environment", () => {
  const shardOfRun = (flags: string[], env: Record<string, string>) =>
    (parseCommandLine(["render", "a.json", "-o", "out", ...flags], env) as RenderCommand).shard;

  it("reads JOB_COMPLETION_INDEX (Kubernetes), else AWS_BATCH_JOB_ARRAY_INDEX, the count from --shards or $WEBDREAMER_SHARDS", () => {
    expect(shardOfRun(["--shards", "4"], { JOB_COMPLETION_INDEX: "2" })).toEqual({ index: 2, count: 4 });
    expect(shardOfRun(["--shards", "4"], { AWS_BATCH_JOB_ARRAY_INDEX: "3" })).toEqual({ index: 3, count: 4 });
    expect(
      shardOfRun(["--shards", "4"], { JOB_COMPLETION_INDEX: "1", AWS_BATCH_JOB_ARRAY_INDEX: "3" }),
    ).toEqual({
      index: 1,
      count: 4,
    });
    expect(shardOfRun([], { WEBDREAMER_SHARDS: "8", JOB_COMPLETION_INDEX: "7" })).toEqual({
      index: 7,
      count: 8,
    });
    expect(shardOfRun([], { JOB_COMPLETION_INDEX: "7" })).toBeNull();
    expect(shardOfRun(["--shard", "1/2"], { JOB_COMPLETION_INDEX: "0", WEBDREAMER_SHARDS: "8" })).toEqual({
      index: 1,
      count: 2,
    });
  });

  it.each([
    [
      ["--shards", "4"],
      {},
      "--shards 4 takes this task's index from $JOB_COMPLETION_INDEX or $AWS_BATCH_JOB_ARRAY_INDEX, and neither is set",
    ],
    [
      ["--shards", "4"],
      { JOB_COMPLETION_INDEX: "4" },
      '$JOB_COMPLETION_INDEX is "4": a shard index must be an integer from 0 to 3 (the shard count is 4)',
    ],
    [
      ["--shards", "4"],
      { AWS_BATCH_JOB_ARRAY_INDEX: "x" },
      '$AWS_BATCH_JOB_ARRAY_INDEX is "x": a shard index must be an integer from 0 to 3',
    ],
    [
      ["--shards", "0"],
      { JOB_COMPLETION_INDEX: "0" },
      '--shards must be an integer from 1 to 1000000 (got "0")',
    ],
    [
      [],
      { WEBDREAMER_SHARDS: "two", JOB_COMPLETION_INDEX: "0" },
      '$WEBDREAMER_SHARDS must be an integer from 1 to 1000000 (got "two")',
    ],
    [
      ["--shards", "2", "--shard", "0/2"],
      { JOB_COMPLETION_INDEX: "0" },
      "--shard I/N and --shards N cannot be used together",
    ],
  ])("refuses %j with %j: %s", (flags, env, message) => {
    expect(() => shardOfRun(flags, env as Record<string, string>)).toThrow(message);
  });
});

describe("sessionTargets", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webdreamer-inputs-"));
    await mkdir(join(dir, "a"));
    await mkdir(join(dir, "b"));
    for (const name of [
      "a/t3.json",
      "a/t1.json",
      "a/t10.json",
      "a/t2.json",
      "a/.hidden.json",
      "a/notes.txt",
      "b/t1.json",
    ]) {
      await writeFile(join(dir, name), "{}");
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const names = (targets: { sessionPath: string }[]) =>
    targets.map((t) => t.sessionPath.slice(dir.length + 1));

  it("sorts a directory's *.json by path, deals shards by index modulo N, and derives outputs", async () => {
    const all = await sessionTargets([join(dir, "a")], { output: "out", stemsDir: "stems", shard: null });
    expect(all.total).toBe(4);
    expect(names(all.targets)).toEqual(["a/t1.json", "a/t10.json", "a/t2.json", "a/t3.json"]);
    expect(all.targets[1]).toEqual({
      index: 1,
      sessionPath: join(dir, "a", "t10.json"),
      outputPath: join("out", "t10.wav"),
      stemsDir: join("stems", "t10"),
    });
    const shard = await sessionTargets([join(dir, "a")], {
      output: "out",
      stemsDir: null,
      shard: { index: 1, count: 3 },
    });
    expect(shard.targets.map((t) => t.index)).toEqual([1]);
    const shard0 = await sessionTargets([join(dir, "a")], {
      output: "out",
      stemsDir: null,
      shard: { index: 0, count: 3 },
    });
    expect(names(shard0.targets)).toEqual(["a/t1.json", "a/t3.json"]);
  });

  it("reads a manifest, and its shards from the environment hold every session exactly once", async () => {
    await writeFile(join(dir, "batch.txt"), "# the takes\na/t3.json\na/t1.json\n\n  a/t10.json\na/t2.json\n");
    const manifest = join(dir, "batch.txt");
    const all = await sessionTargets([manifest], { output: "out", stemsDir: null, shard: null });
    expect(names(all.targets)).toEqual(["a/t1.json", "a/t10.json", "a/t2.json", "a/t3.json"]);
    const dealt: string[] = [];
    for (const index of ["0", "1", "2"]) {
      const command = parseCommandLine(["render", manifest, "-o", "out", "--shards", "3"], {
        JOB_COMPLETION_INDEX: index,
      }) as RenderCommand;
      const shard = await sessionTargets(command.inputs, command);
      expect(shard.total).toBe(4);
      dealt.push(...names(shard.targets));
    }
    expect(dealt.sort()).toEqual(names(all.targets));
    await writeFile(join(dir, "empty.txt"), "# nothing\n");
    await expect(
      sessionTargets([join(dir, "empty.txt")], { output: "out", stemsDir: null, shard: null }),
    ).rejects.toThrow(`manifest ${join(dir, "empty.txt")} lists no sessions or projects`);
  });

  it("expands a glob in the file name, drops repeats, and keeps -o FILE for one session", async () => {
    const glob = await sessionTargets([join(dir, "a", "t?.json"), join(dir, "a", "t1.json")], {
      output: "out",
      stemsDir: null,
      shard: null,
    });
    expect(names(glob.targets)).toEqual(["a/t1.json", "a/t2.json", "a/t3.json"]);
    const one = await sessionTargets([join(dir, "b", "t1.json")], {
      output: "take.wav",
      stemsDir: "s",
      shard: null,
    });
    expect(one.targets).toEqual([
      { index: 0, sessionPath: join(dir, "b", "t1.json"), outputPath: "take.wav", stemsDir: "s" },
    ]);
  });

  it("puts stems in a folder per session whenever -o is a directory, one session included", async () => {
    const one = await sessionTargets([join(dir, "b", "t1.json")], {
      output: "renders",
      stemsDir: "stems",
      shard: null,
    });
    // -o DIR: DIR/<session>.wav and STEMS/<session>/<node>.wav, however many sessions.
    expect(one.targets).toEqual([
      {
        index: 0,
        sessionPath: join(dir, "b", "t1.json"),
        outputPath: join("renders", "t1.wav"),
        stemsDir: join("stems", "t1"),
      },
    ]);
  });

  it("names what it found: sessions, projects or both; --sample-rate is for projects only", async () => {
    await mkdir(join(dir, "c"));
    await writeFile(join(dir, "c", "song.wdproj"), "");
    await writeFile(join(dir, "c", "take.json"), "{}");
    const targets = (inputs: string[], sampleRate: number | null = null, output = "out") =>
      sessionTargets(inputs, { output, stemsDir: null, shard: null, sampleRate });
    expect((await targets([join(dir, "c", "song.wdproj")])).noun).toEqual({
      one: "project",
      many: "projects",
    });
    expect((await targets([join(dir, "c", "take.json")])).noun).toEqual({ one: "session", many: "sessions" });
    expect((await targets([join(dir, "c")])).noun).toEqual({
      one: "session or project",
      many: "sessions and projects",
    });
    expect((await targets([join(dir, "c", "song.wdproj")], 44100)).total).toBe(1);
    await expect(targets([join(dir, "c")], 44100)).rejects.toThrow(
      `--sample-rate applies to project files (.wdproj) only: ${join(dir, "c", "take.json")} is a session, which renders at its file's sample_rate`,
    );
    await expect(
      targets([join(dir, "c", "*.wdproj"), join(dir, "a", "t1.json")], null, "one.wav"),
    ).rejects.toThrow("-o one.wav names one file, but there are 2 sessions and projects: give a directory");
    await writeFile(join(dir, "c", "other.wdproj"), "");
    await expect(targets([join(dir, "c", "*.wdproj")], null, "one.wav")).rejects.toThrow(
      "-o one.wav names one file, but there are 2 projects: give a directory",
    );
  });

  it("rejects output collisions, empty globs and directories, and wildcards in directories", async () => {
    await expect(
      sessionTargets([join(dir, "a"), join(dir, "b")], { output: "out", stemsDir: null, shard: null }),
    ).rejects.toThrow(
      `${join(dir, "a", "t1.json")} and ${join(dir, "b", "t1.json")} would both write t1.wav: rename one`,
    );
    await expect(
      sessionTargets([join(dir, "a", "z*.json")], { output: "o", stemsDir: null, shard: null }),
    ).rejects.toThrow(`no session or project files match ${join(dir, "a", "z*.json")}`);
    await mkdir(join(dir, "empty"), { recursive: true });
    await expect(
      sessionTargets([join(dir, "empty")], { output: "o", stemsDir: null, shard: null }),
    ).rejects.toThrow(
      `no session files (*.json) or project files (*.wdproj) in directory ${join(dir, "empty")}`,
    );
    await expect(
      sessionTargets([join(dir, "*", "t1.json")], { output: "o", stemsDir: null, shard: null }),
    ).rejects.toThrow("only the file name may have wildcards");
  });
});
