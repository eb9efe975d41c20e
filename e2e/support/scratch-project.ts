/**
 * The package as a user gets it: `npm pack` of this repository (prepack builds dist/ as a release
 * would), installed into projects in temporary folders outside the repository, with their other
 * dependencies from the npm registry. Nothing of the repository is reachable from them but the
 * tarball.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** What a command printed, and how long it took. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command; rejects with its output when it exits non-zero. */
export async function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 2 ** 20,
    });
    return { stdout, stderr, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`);
  }
}

/** A fresh folder under the system's temporary folder. */
export function scratchFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `webdreamer-${name}-`));
}

/**
 * A copy of the repository's working tree in a scratch folder: every file git tracks or would track
 * (uncommitted edits included), the engine setup built (public/build/, so the copy's setup finds it
 * up to date) and a link to node_modules. `npm pack` there rebuilds dist/ in the copy, never under
 * the tests running beside it (the WAM export tests read dist/wam-runtime/).
 */
function copyOfRepository(): string {
  const copy = scratchFolder("repository");
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    maxBuffer: 16 * 2 ** 20,
  });
  for (const file of listed.toString("utf8").split("\0")) {
    // A tracked file deleted in the working tree is listed too.
    if (file === "" || !existsSync(join(REPO, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(REPO, file), join(copy, file));
  }
  cpSync(join(REPO, "public/build"), join(copy, "public/build"), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/**
 * Packs a copy of the repository into `folder` (prepack runs setup and the package build); the
 * tarball's path.
 */
export async function packRepository(
  folder: string,
): Promise<{ tarball: string; bytes: number; seconds: number }> {
  const packed = await runCommand(
    "npm",
    ["pack", "--json", "--pack-destination", folder],
    copyOfRepository(),
  );
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
    filename: string;
    size: number;
  }[];
  if (!info) throw new Error(`npm pack printed no tarball:\n${packed.stdout}`);
  return { tarball: join(folder, info.filename), bytes: info.size, seconds: packed.seconds };
}

/** The exact version of a package the repository has installed (so the registry's copy is cached). */
export function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string }
  ).version;
}

/** Creates an ES module project in `folder` with these files, and installs `packages` into it. */
export async function createProject(
  folder: string,
  files: Record<string, string | Uint8Array>,
  packages: readonly string[],
): Promise<CommandResult> {
  writeProjectFiles(folder, {
    "package.json": JSON.stringify({ name: "scratch", private: true, type: "module" }),
  });
  writeProjectFiles(folder, files);
  return runCommand("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...packages], folder);
}

/** Writes files under `folder`, making their folders. */
export function writeProjectFiles(folder: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, contents] of Object.entries(files)) {
    const path = join(folder, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents);
  }
}

/** The README's code block that follows the comment `<!-- marker ... -->`, as written. */
export function readmeBlock(marker: string): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const at = readme.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`README.md has no <!-- ${marker} --> block`);
  const block = /```\w*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block?.[1]) throw new Error(`README.md's <!-- ${marker} --> is not followed by a code block`);
  return block[1];
}
