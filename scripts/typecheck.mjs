// The lint step's type check: `tsc --noEmit` for tsconfig.json and worklet/tsconfig.json, with every
// @example block of the doc comments in src/ and worklet/ compiled into the same program, so the
// documentation cannot drift from the API it shows. Compiling the examples beside the project costs
// about a second; a program of their own would check most of src/ a second time.
//
// How: the TypeScript parser finds every doc comment; each @example becomes one generated file under
// build/examples/ that imports everything its own module exports, declares the example's free names
// (client, engine, request, ...) with the types scripts/example-prelude.ts gives them, and wraps the
// example's lines, unchanged, in an async function (examples use await). Diagnostics in the project
// print as tsc prints them; those in an example print at the line and column of its doc comment.
//
// Usage: node scripts/typecheck.mjs

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The programs lint checks; an example is checked in the first that includes its file. */
const CONFIGS = ["tsconfig.json", "worklet/tsconfig.json"];
const SOURCE_FOLDERS = ["src/", "worklet/"];
const PRELUDE = "scripts/example-prelude.ts";
const OUT_DIR = "build/examples";

/** A missing name in an example is one the prelude should type. */
const CANNOT_FIND_NAME = new Set([2304, 2552, 18004]);

const toPosix = (path) => path.split("\\").join("/");
const fromRoot = (path) => toPosix(relative(ROOT, path));
const underPrefix = (file, prefix) => (prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix);

/**
 * Every doc comment of a file. Each stretch of comments lies where a node starts or ends, so asking at
 * both ends of every node finds them all, with the parser's (not a guess at regexes') idea of the code.
 */
function docComments(sourceFile) {
  const text = sourceFile.text;
  const seen = new Set();
  const comments = [];
  const collect = (position) => {
    for (const range of ts.getLeadingCommentRanges(text, position) ?? []) {
      if (seen.has(range.pos) || !/^\/\*\*(?!\/)/.test(text.slice(range.pos, range.pos + 4))) continue;
      seen.add(range.pos);
      comments.push({ pos: range.pos, text: text.slice(range.pos, range.end) });
    }
  };
  const visit = (node) => {
    collect(node.pos);
    ts.forEachChild(node, visit);
    collect(node.end);
  };
  visit(sourceFile);
  return comments.sort((a, b) => a.pos - b.pos);
}

/**
 * The @example blocks of a file. An example runs from its tag (which may follow text on its line) to
 * the next line that starts with a tag, or the end of the comment. Each line keeps where its text
 * starts in the file (1-based line, 0-based column).
 */
function extractExamples(sourceFile) {
  const examples = [];
  for (const comment of docComments(sourceFile)) {
    const start = sourceFile.getLineAndCharacterOfPosition(comment.pos);
    const lines = comment.text
      .slice(3, -2)
      .split("\n")
      .map((raw, i) => {
        // Drops the comment's margin: the indentation, one "*" and one space.
        const margin = i === 0 ? /^ ?/.exec(raw)[0] : /^\s*\*? ?/.exec(raw)[0];
        const column = (i === 0 ? start.character + 3 : 0) + margin.length;
        return { line: start.line + 1 + i, column, text: raw.slice(margin.length).trimEnd() };
      });
    let current;
    for (const line of lines) {
      if (current && /^@\w/.test(line.text)) {
        examples.push(current);
        current = undefined;
      }
      const tag = /(?:^|\s)@example\b ?/.exec(line.text);
      if (tag) {
        if (current) examples.push(current);
        const at = tag.index + tag[0].length;
        current = { line: line.line, lines: [] };
        if (line.text.slice(at).trim())
          current.lines.push({ ...line, column: line.column + at, text: line.text.slice(at) });
      } else if (current) {
        current.lines.push(line);
      }
    }
    if (current) examples.push(current);
  }
  for (const example of examples) {
    while (example.lines.length > 0 && !example.lines.at(-1).text.trim()) example.lines.pop();
    while (example.lines.length > 0 && !example.lines[0].text.trim()) example.lines.shift();
  }
  return examples;
}

/** A compiler host that parses each file once, whichever program asks for it. */
function cachingHost(options) {
  const host = ts.createCompilerHost(options, true);
  const parsed = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    let sourceFile = parsed.get(fileName);
    if (!sourceFile) {
      sourceFile = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sourceFile) parsed.set(fileName, sourceFile);
    }
    return sourceFile;
  };
  return host;
}

/** The names a module exports, each marked as a value or a type only (verbatimModuleSyntax needs to know). */
function moduleExports(checker, sourceFile) {
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => symbol.name !== "default")
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return { name: symbol.name, isValue: (target.flags & ts.SymbolFlags.Value) !== 0 };
    });
}

/**
 * What the prelude gives examples: ExampleNames holds the default type of each free name; each property
 * of ExampleNameOverrides is a path (a file, or a folder ending in "/") whose names replace or add to
 * them there; its other exports are API names examples use without importing them.
 */
function readPrelude(checker, preludeFile) {
  const interfaces = ["ExampleNames", "ExampleNameOverrides"];
  const exportsOfPrelude = checker.getSymbolAtLocation(preludeFile)?.exports;
  const lineOf = (symbol) => {
    const declaration = symbol?.declarations?.[0];
    return declaration ? preludeFile.getLineAndCharacterOfPosition(declaration.getStart()).line + 1 : 0;
  };
  const properties = (type) =>
    type.getProperties().map((property) => ({ name: property.name, line: lineOf(property) }));
  const interfaceType = (name) => {
    const symbol = exportsOfPrelude?.get(name);
    if (!symbol) throw new Error(`${PRELUDE} must export interface ${name}`);
    return checker.getDeclaredTypeOfSymbol(symbol);
  };
  const defaults = properties(interfaceType("ExampleNames"));
  const overrides = interfaceType("ExampleNameOverrides")
    .getProperties()
    .map((path) => ({ path: path.name, names: properties(checker.getTypeOfSymbol(path)) }));
  // The longest path wins, so a file's override beats its folder's.
  overrides.sort((a, b) => b.path.length - a.path.length);
  const apiNames = moduleExports(checker, preludeFile)
    .filter(({ name }) => !interfaces.includes(name))
    .map((api) => ({ ...api, line: lineOf(exportsOfPrelude?.get(api.name)) }));
  return { defaults, overrides, apiNames };
}

const defaultType = (name) => `prelude$.ExampleNames[${JSON.stringify(name)}]`;
const overrideType = (path, name) =>
  `prelude$.ExampleNameOverrides[${JSON.stringify(path)}][${JSON.stringify(name)}]`;

/** Every name the prelude declares, keyed as usedPreludeNames keys the names examples use. */
function preludeEntries(prelude) {
  return [
    ...prelude.defaults.map(({ name, line }) => ({ key: `${name}: ${defaultType(name)}`, name, line })),
    ...prelude.overrides.flatMap(({ path, names }) =>
      names.map(({ name, line }) => ({ key: `${name}: ${overrideType(path, name)}`, name, line })),
    ),
    ...prelude.apiNames.map(({ name, line }) => ({ key: name, name, line })),
  ];
}

/** The declaration of every prelude name a file can use: its type comes from the most specific path that names it. */
function preludeDeclarations(file, prelude) {
  const types = new Map();
  for (const { name } of prelude.defaults) types.set(name, defaultType(name));
  for (const { path, names } of [...prelude.overrides].reverse()) {
    if (!underPrefix(file, path)) continue;
    for (const { name } of names) types.set(name, overrideType(path, name));
  }
  return types;
}

/** Splits an example into its import declarations (hoisted to the top of the module) and the rest. */
function splitImports(example) {
  const text = example.lines.map((line) => line.text).join("\n");
  const parsed = ts.createSourceFile("example.ts", text, ts.ScriptTarget.Latest, true);
  const importLines = new Set();
  const imports = [];
  for (const statement of parsed.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    const last = parsed.getLineAndCharacterOfPosition(statement.end).line;
    for (let line = first; line <= last; line++) importLines.add(line);
    imports.push({ first, last, statement });
  }
  return { imports, importLines };
}

/** The names an import declaration binds. */
function importedNames(statement) {
  const clause = statement.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings))
    names.push(...bindings.elements.map((element) => element.name.text));
  return names;
}

const EXAMPLE_FUNCTION = "example$";

/**
 * One example's generated module, and for each of its lines where that line came from (null for the
 * lines the checker wrote).
 */
function generateExample(file, example, index, exportsOfModule, prelude) {
  const outFile = join(ROOT, OUT_DIR, `${file.replace(/\.ts$/, "")}.example-${example.line}-${index}.ts`);
  const specifierTo = (target) => {
    const path = toPosix(relative(dirname(outFile), join(ROOT, target))).replace(/\.ts$/, "");
    return path.startsWith(".") ? path : `./${path}`;
  };
  const { imports, importLines } = splitImports(example);
  const ownImports = new Set(imports.flatMap(({ statement }) => importedNames(statement)));
  const text = [];
  const origins = [];
  const emit = (line, origin = null) => {
    text.push(line);
    origins.push(origin);
  };
  emit(`// Generated by scripts/typecheck.mjs from ${file}:${example.line}; do not edit.`);
  emit(`import type * as prelude$ from "${specifierTo(PRELUDE)}";`);
  // The module's own exports come first, then the example's imports, then the prelude's API names.
  const exported = new Set(exportsOfModule.map(({ name }) => name));
  const importList = (names) =>
    names.map(({ name, isValue }) => (isValue ? name : `type ${name}`)).join(", ");
  const moduleNames = exportsOfModule.filter(({ name }) => !ownImports.has(name));
  if (moduleNames.length > 0) emit(`import { ${importList(moduleNames)} } from "${specifierTo(file)}";`);
  const apiNames = prelude.apiNames.filter(({ name }) => !exported.has(name) && !ownImports.has(name));
  if (apiNames.length > 0) emit(`import { ${importList(apiNames)} } from "${specifierTo(PRELUDE)}";`);
  const sideEffectImports = [];
  for (const { first, last, statement } of imports) {
    // A relative import in an example is relative to the folder of the file that shows it.
    const specifier = statement.moduleSpecifier.text;
    const target = specifier.startsWith(".")
      ? specifierTo(toPosix(relative(ROOT, resolve(ROOT, dirname(file), specifier))))
      : specifier;
    for (let line = first; line <= last; line++) {
      const lineText = example.lines[line].text.replace(JSON.stringify(specifier), JSON.stringify(target));
      emit(lineText, example.lines[line]);
    }
    if (!statement.importClause) sideEffectImports.push({ specifier, target, origin: example.lines[first] });
  }
  const apiImported = new Set(apiNames.map(({ name }) => name));
  const declared = new Map();
  for (const [name, type] of preludeDeclarations(file, prelude)) {
    if (exported.has(name) || ownImports.has(name) || apiImported.has(name)) continue;
    declared.set(name, type);
    emit(`declare let ${name}: ${type};`);
  }
  emit(`export async function ${EXAMPLE_FUNCTION}() {`);
  example.lines.forEach((line, i) => {
    if (!importLines.has(i)) emit(line.text, line);
  });
  emit("}");
  return {
    file,
    example,
    outFile,
    text: `${text.join("\n")}\n`,
    origins,
    declared,
    apiImported,
    sideEffectImports,
  };
}

/**
 * The prelude names an example uses, found by resolving each identifier of its function: a variable
 * keyed by name and type (an any type is a fallback), an API name by its name.
 */
function usedPreludeNames(checker, sourceFile, { declared, apiImported }) {
  const used = new Map();
  const fn = sourceFile.statements.find(
    (statement) => ts.isFunctionDeclaration(statement) && statement.name?.text === EXAMPLE_FUNCTION,
  );
  const visit = (node) => {
    if (ts.isIdentifier(node) && (declared.has(node.text) || apiImported.has(node.text))) {
      const symbol = ts.isShorthandPropertyAssignment(node.parent)
        ? checker.getShorthandAssignmentValueSymbol(node.parent)
        : checker.getSymbolAtLocation(node);
      const declaration = symbol?.declarations?.[0];
      if (declaration?.getSourceFile() === sourceFile && ts.isVariableDeclaration(declaration)) {
        const isAny = (checker.getTypeOfSymbol(symbol).flags & ts.TypeFlags.Any) !== 0;
        used.set(`${node.text}: ${declared.get(node.text)}`, { name: node.text, isAny });
      } else if (declaration?.getSourceFile() === sourceFile && ts.isImportSpecifier(declaration)) {
        used.set(node.text, { name: node.text, isApi: true });
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return used;
}

/**
 * An example's diagnostic at its doc comment's line and column, with the line it is about; `at` sorts
 * the report by file and line.
 */
function formatExampleDiagnostic(diagnostic, generatedByPath) {
  const generated = generatedByPath.get(toPosix(diagnostic.file.fileName));
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const origin = generated.origins[line];
  if (!origin) {
    // A line the checker wrote: a prelude type or a module import it could not resolve.
    const where = `${fromRoot(generated.outFile)}:${line + 1}:${character + 1}`;
    return {
      at: [generated.file, generated.example.line, 0],
      text: `${where} (for ${generated.file}:${generated.example.line}) - error TS${diagnostic.code}: ${message}`,
    };
  }
  const hint = CANNOT_FIND_NAME.has(diagnostic.code)
    ? `\n    (a free name of the example: give it a type in ${PRELUDE})`
    : "";
  const column = origin.column + character + 1;
  return {
    at: [generated.file, origin.line, column],
    text: `${generated.file}:${origin.line}:${column} - error TS${diagnostic.code}: ${message}\n    > ${origin.text.trim()}${hint}`,
  };
}

const byPlace = (a, b) => a.at[0].localeCompare(b.at[0]) || a.at[1] - b.at[1] || a.at[2] - b.at[2];

/** Parses a tsconfig as tsc does; an unreadable one stops the check. */
function readConfig(configPath) {
  return ts.getParsedCommandLineOfConfigFile(
    join(ROOT, configPath),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
}

/**
 * Every diagnostic tsc --noEmit reports. tsc skips the semantic check of the whole program when a file
 * has a syntax error; here only that file's semantic diagnostics are skipped, so one example that does
 * not parse hides neither the project's errors nor the other examples'.
 */
function allDiagnostics(program) {
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ];
  for (const sourceFile of program.getSourceFiles()) {
    const syntactic = program.getSyntacticDiagnostics(sourceFile);
    diagnostics.push(...(syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sourceFile)));
  }
  return ts.sortAndDeduplicateDiagnostics(diagnostics);
}

function main() {
  const started = performance.now();
  const configs = CONFIGS.map((configPath) => ({ configPath, parsed: readConfig(configPath) }));
  // A file is in both programs only if both tsconfigs include it; its examples are checked once.
  const owners = new Map();
  for (const { configPath, parsed } of configs) {
    for (const fileName of parsed.fileNames) {
      const file = fromRoot(fileName);
      if (file.endsWith(".d.ts") || !SOURCE_FOLDERS.some((folder) => file.startsWith(folder))) continue;
      if (!owners.has(file)) owners.set(file, configPath);
    }
  }

  rmSync(join(ROOT, OUT_DIR), { recursive: true, force: true });
  const projectErrors = [];
  const exampleErrors = [];
  const used = new Map();
  let prelude;
  let checkedExamples = 0;
  let checkedFiles = 0;

  for (const { configPath, parsed } of configs) {
    const options = { ...parsed.options, noEmit: true };
    const host = cachingHost(options);
    const programOf = (rootNames, oldProgram) =>
      ts.createProgram({
        rootNames,
        options,
        host,
        oldProgram,
        projectReferences: parsed.projectReferences,
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
      });
    // The project's own program binds its modules, so the examples know what each module exports.
    const project = programOf(parsed.fileNames);
    const projectChecker = project.getTypeChecker();
    const withExamples = [];
    for (const [file, owner] of owners) {
      if (owner !== configPath) continue;
      const sourceFile = project.getSourceFile(join(ROOT, file));
      const examples = sourceFile.text.includes("@example") ? extractExamples(sourceFile) : [];
      if (examples.length === 0) continue;
      for (const example of examples.filter(({ lines }) => lines.length === 0)) {
        exampleErrors.push({
          at: [file, example.line, 0],
          text: `${file}:${example.line} - error: an @example with no code`,
        });
      }
      withExamples.push({ file, examples });
    }

    let program = project;
    const generatedByPath = new Map();
    if (withExamples.length > 0) {
      const preludeFile = project.getSourceFile(join(ROOT, PRELUDE));
      if (!preludeFile) throw new Error(`${configPath} has examples but does not include ${PRELUDE}`);
      prelude = readPrelude(projectChecker, preludeFile);
      for (const { file, examples } of withExamples) {
        const exportsOfModule = moduleExports(projectChecker, project.getSourceFile(join(ROOT, file)));
        examples.forEach((example, index) => {
          const generated = generateExample(file, example, index, exportsOfModule, prelude);
          mkdirSync(dirname(generated.outFile), { recursive: true });
          writeFileSync(generated.outFile, generated.text);
          generatedByPath.set(toPosix(generated.outFile), generated);
        });
        checkedFiles += 1;
        checkedExamples += examples.length;
      }
      program = programOf([...parsed.fileNames, ...generatedByPath.keys()], project);
    }

    for (const diagnostic of allDiagnostics(program)) {
      if (diagnostic.file && generatedByPath.has(toPosix(diagnostic.file.fileName))) {
        exampleErrors.push(formatExampleDiagnostic(diagnostic, generatedByPath));
      } else {
        projectErrors.push(diagnostic);
      }
    }
    // tsc leaves an import that binds no names unresolved without a word (noUncheckedSideEffectImports
    // is off), so an example's `import "./x"` is resolved here.
    for (const { file, outFile, sideEffectImports } of generatedByPath.values()) {
      for (const { specifier, target, origin } of sideEffectImports) {
        if (ts.resolveModuleName(target, outFile, options, host).resolvedModule) continue;
        const column = origin.column + origin.text.indexOf(specifier);
        exampleErrors.push({
          at: [file, origin.line, column],
          text: `${file}:${origin.line}:${column} - error: cannot find module "${specifier}"\n    > ${origin.text.trim()}`,
        });
      }
    }
    const checker = program.getTypeChecker();
    for (const [outFile, generated] of generatedByPath) {
      for (const [key, use] of usedPreludeNames(checker, program.getSourceFile(outFile), generated)) {
        used.set(key, use);
      }
    }
  }

  // A name no example uses is dead weight in the prelude.
  const unused = prelude ? preludeEntries(prelude).filter(({ key }) => !used.has(key)) : [];
  for (const { name, line } of unused) {
    exampleErrors.push({
      at: [PRELUDE, line, 0],
      text: `${PRELUDE}:${line} - error: no example uses ${name}; remove it from the prelude`,
    });
  }
  const formatHost = {
    getCurrentDirectory: () => ROOT,
    getCanonicalFileName: (fileName) => fileName,
    getNewLine: () => "\n",
  };
  if (projectErrors.length > 0) {
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    process.stdout.write(format(projectErrors, formatHost));
  }
  for (const error of exampleErrors.sort(byPlace)) console.log(error.text);
  const variables = [...used.values()].filter((use) => !use.isApi);
  const fallbacks = [...new Set(variables.filter((use) => use.isAny).map((use) => use.name))].sort();
  console.log(
    `typecheck: ${CONFIGS.join(", ")}: ${projectErrors.length} errors; ` +
      `examples: ${checkedExamples} in ${checkedFiles} files, ${exampleErrors.length} errors; ` +
      `free names: ${variables.length - fallbacks.length} typed, ${fallbacks.length} falling back to any` +
      `${fallbacks.length > 0 ? ` (${fallbacks.join(", ")})` : ""}; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (projectErrors.length > 0 || exampleErrors.length > 0) process.exitCode = 1;
}

main();
