/**
 * `webdreamer export-wam graph.json -o out-dir/`: a graph exported as a WAM 2.0 plugin folder
 * (src/wam-export/export-wam.ts). The input is a GraphDescriptor, or a RenderRequest or session file
 * whose graph is exported. Exit status: 0 exported, 1 the graph could not be exported (the message
 * names the field), 2 bad usage.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { isEngineError } from "../contracts/errors";
import type { GraphDescriptorInput } from "../contracts/graph-descriptor";
import { readSession } from "../session/index";
import { exportWam, writeWamFolder } from "../wam-export/export-wam";
import { UsageError } from "./cli-options";
import type { ProgressStream } from "./progress";

/** The text of `webdreamer export-wam --help`. */
export const EXPORT_WAM_USAGE = `Usage: webdreamer export-wam <graph.json> -o <DIR> [options]

Export a webdreamer graph (builtin and Faust nodes) as a WAM 2.0 plugin folder: descriptor.json,
index.js (the module a WAM host imports), the engine and the compiled graph.

  webdreamer export-wam pad.json -o public/plugins/pad --name "Pad" --param synth/filter_cutoff

Options:
  -o, --output DIR      the plugin folder (created if needed)
      --name NAME       plugin name (default: "webdreamer <output node>")
      --identifier ID   reverse-DNS identifier (default: com.webdreamer.export.<name>)
      --vendor V        vendor (default: webdreamer)
      --version X       plugin version (default: 1.0.0)
      --param ID        expose only these parameters, "<node name>/<parameter id>" (repeatable;
                        default: every parameter of every node)
      --audio-input NODE  export an effect: the host's audio (stereo) takes the place of this
                        source node's output (default: none, an instrument or a generator)
  -q, --quiet           print nothing but errors
  -h, --help            print this help

The input is a GraphDescriptor, a RenderRequest (its node_graph) or a session file (its
request.node_graph, and the WAVs of the samples it plays). Its MIDI and automation are not exported: hosts play the plugin with wam-midi
and wam-automation events. See docs/wam.md, "Export as a WAM".
`;

const OPTIONS = {
  output: { type: "string", short: "o" },
  name: { type: "string" },
  identifier: { type: "string" },
  vendor: { type: "string" },
  version: { type: "string" },
  param: { type: "string", multiple: true },
  "audio-input": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

/** An export-wam command line, parsed. */
export interface ExportWamCommand {
  input: string;
  output: string;
  quiet: boolean;
  options: {
    name?: string;
    identifier?: string;
    vendor?: string;
    version?: string;
    parameters?: string[];
    audioInput?: string;
  };
}

/**
 * Parses the arguments after "export-wam". Throws UsageError; null for --help.
 * @example
 * parseExportWamCommand(["pad.json", "-o", "plugins/pad", "--param", "synth/gain"])?.options.parameters; // ["synth/gain"]
 */
export function parseExportWamCommand(argv: string[]): ExportWamCommand | null {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1) {
    throw new UsageError(`export-wam takes one graph file (got ${positionals.length})`);
  }
  if (values.output === undefined || values.output.trim() === "") {
    throw new UsageError("-o/--output is required: the plugin folder to write");
  }
  const { name, identifier, vendor, version, param } = values;
  const audioInput = values["audio-input"];
  return {
    input: positionals[0] as string,
    output: values.output,
    quiet: values.quiet ?? false,
    options: {
      ...(name === undefined ? {} : { name }),
      ...(identifier === undefined ? {} : { identifier }),
      ...(vendor === undefined ? {} : { vendor }),
      ...(version === undefined ? {} : { version }),
      ...(param === undefined ? {} : { parameters: param }),
      ...(audioInput === undefined ? {} : { audioInput }),
    },
  };
}

/** What a host lists the plugin as. */
function kindOf(descriptor: { hasAudioInput: boolean; isInstrument: boolean }): string {
  if (descriptor.hasAudioInput) return "an effect";
  return descriptor.isInstrument ? "an instrument" : "a generator";
}

function isSessionFile(json: unknown): boolean {
  return typeof json === "object" && json !== null && "request" in json && "buffers" in json;
}

/** The graph of a GraphDescriptor, RenderRequest or session file. */
export function graphOfFile(json: unknown): GraphDescriptorInput {
  const record = json as { node_graph?: unknown; request?: { node_graph?: unknown } };
  return (record.request?.node_graph ?? record.node_graph ?? json) as GraphDescriptorInput;
}

/**
 * Runs `export-wam` (argv after the command name); returns the exit status.
 * @example
 * process.exitCode = await runExportWam(["pad.json", "-o", "plugins/pad"], { stdout: process.stdout, stderr: process.stderr });
 */
export async function runExportWam(
  argv: string[],
  io: { stdout: ProgressStream; stderr: ProgressStream },
): Promise<number> {
  const command = parseExportWamCommand(argv);
  if (command === null) {
    io.stdout.write(EXPORT_WAM_USAGE);
    return 0;
  }
  try {
    const json: unknown = JSON.parse(await readFile(command.input, "utf8"));
    // A session file carries the audio its graph plays (its WAVs, read and checked as render reads them).
    const buffers = isSessionFile(json) ? (await readSession(command.input)).audio : undefined;
    const plugin = await exportWam(graphOfFile(json), {
      ...command.options,
      ...(buffers === undefined ? {} : { buffers }),
    });
    await writeWamFolder(command.output, plugin);
    if (!command.quiet) {
      for (const note of plugin.notes) io.stderr.write(`webdreamer: note: ${note}\n`);
      const { descriptor, graph } = plugin;
      io.stderr.write(
        `webdreamer: exported ${command.input} as ${descriptor.identifier} to ${command.output}: ` +
          `${kindOf(descriptor)}, ${graph.parameters.length} parameters, ` +
          `${descriptor.hasMidiInput ? "takes MIDI" : "no MIDI"}, ${descriptor.audioInputChannels} in, ` +
          `${graph.outputChannels} out\n`,
      );
    }
    return 0;
  } catch (error) {
    const message = isEngineError(error)
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
    io.stderr.write(`webdreamer: failed: ${command.input}: ${message}\n`);
    return 1;
  }
}
