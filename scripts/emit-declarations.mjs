// The package's .d.ts files: tsc's declaration emit for the four entries (and what they import),
// then every relative import in them given the extension Node's ESM resolution needs
// ("./api/index" -> "./api/index.js"), so projects on moduleResolution node16/nodenext resolve
// them as well as bundler projects do.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

const ENTRIES = ["src/index.ts", "src/browser.ts", "src/player.ts", "src/studio.ts", "src/testing/index.ts"];
/** Ambient declarations the sources rely on (Vite's `?url` imports). */
const AMBIENT = ["src/faust/vite-url.d.ts"];

/**
 * Emits the declarations under `outDir`, mirroring src/ (dist/types/index.d.ts, browser.d.ts, ...).
 * @param {string} root the repository
 * @param {string} outDir where the .d.ts files go
 */
export function emitDeclarations(root, outDir) {
  const configPath = join(root, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  rmSync(outDir, { recursive: true, force: true });
  const options = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    outDir,
    rootDir: join(root, "src"),
  };
  const program = ts.createProgram(
    [...ENTRIES, ...AMBIENT].map((file) => join(root, file)),
    options,
  );
  const result = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
    throw new Error(ts.formatDiagnostics(errors, host));
  }
  for (const file of declarationFiles(outDir)) addExtensions(file);
}

function* declarationFiles(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* declarationFiles(path);
    else if (name.endsWith(".d.ts")) yield path;
  }
}

/** `from "./x"` and `import("./x")`: "./x.js" when x.d.ts was emitted, "./x/index.js" for a folder. */
function addExtensions(file) {
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(
    /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*)\2/g,
    (whole, lead, quote, spec) => {
      if (/\.(js|json)$/.test(spec)) return whole;
      const target = resolve(dirname(file), spec);
      if (existsSync(`${target}.d.ts`)) return `${lead}${quote}${spec}.js${quote}`;
      if (existsSync(join(target, "index.d.ts"))) return `${lead}${quote}${spec}/index.js${quote}`;
      return whole;
    },
  );
  if (fixed !== text) writeFileSync(file, fixed);
}
