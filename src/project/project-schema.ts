/**
 * The project model: what a DAW arrangement is, as one JSON document ("webdreamer-project", format
 * version 1). Tracks hold clips on a beats timeline, a device chain and a mixer strip; the master
 * sums what is routed to it. The schema states the shape; the rules across fields (unique ids,
 * references, clip overlaps, routing without cycles) are checked by checkProject in
 * project-invariants.ts. Every edit goes through a command (project-commands.ts), so a project held by
 * a ProjectEditor is always both.
 *
 * Conventions follow the v1alpha contracts: snake_case, units in the name (`_beat`, `_beats`,
 * `_seconds`, `_db`), strict objects, `extensions` as the one open map. Positions on the timeline are
 * beats (quarter notes) on the project's tempo map; positions inside audio are seconds of the audio.
 * Runtime things (buffer handles, engines) are not part of a project: audio is named by content id,
 * and the compiler is told which handle holds which content (compile-project.ts).
 */
import * as z from "zod";
import { ExtensionsSchema, NodeIdSchema, notReservedKey, withoutReservedKey } from "../contracts/common";
import { TempoSchema } from "../contracts/graph-descriptor";

export const PROJECT_FORMAT = "webdreamer-project";
export const PROJECT_FORMAT_VERSION = 1;

/**
 * Ids of tracks, clips, devices, sends and markers. They become parts of graph node names
 * (`<track>.clip.<clip>`), so they use a subset of the node name characters without the dot.
 */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;

export const ProjectIdSchema = notReservedKey(
  z.string().regex(PROJECT_ID_PATTERN, { error: "must be an id: 1-48 of A-Z a-z 0-9 _ -" }),
  "it is reserved",
);

/** The master's fixed id: a track's `output` and node names use it. */
export const MASTER_ID = "master";

/** Content ids name audio by what it holds (a persistence step hashes it); any stable string here. */
export const ContentIdSchema = notReservedKey(
  z.string().regex(/^[A-Za-z0-9:._-]{1,128}$/, { error: "must be 1-128 of A-Z a-z 0-9 : . _ -" }),
  "it is reserved",
);

const BeatSchema = z.number().min(0).describe("A position on the timeline, in beats (quarter notes).");
const LengthBeatsSchema = z.number().gt(0).describe("A length on the timeline, in beats (> 0).");

/** Fader and send levels; -120 dB is the floor (a gain of 1e-6), not silence: mute silences. */
export const LevelDbSchema = z.number().min(-120).max(12);
export const PanSchema = z.number().min(-1).max(1);

export const AudioSourceSchema = z
  .strictObject({
    content_id: ContentIdSchema,
    name: z.string().max(256).default(""),
    sample_rate: z.int().min(3000).max(768_000),
    frames: z.int().min(1),
    channels: z.int().min(1).max(32),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: "must be 64 lowercase hex digits" })
      .optional()
      .describe(
        "SHA-256 of the audio saved as a float32 WAV, which a saved project stores as audio/<sha256>.wav (each file once); a save fills it in, a load checks the file against it.",
      ),
  })
  .describe("Audio the project uses, by content id; clips and device buffers name it.");

export const FadeSchema = z
  .strictObject({
    beats: z.number().min(0).default(0).describe("Length of the fade, in beats; 0 is no fade."),
    curve: z
      .enum(["auto", "linear", "equal_power"])
      .default("auto")
      .describe(
        "linear: gain moves linearly; equal_power: gain is the square root of the linear one, so two " +
          "crossfading clips keep constant power; auto: equal_power where the clip overlaps another, else linear.",
      ),
  })
  .describe("A clip's fade in or out.");

export type Fade = z.output<typeof FadeSchema>;

const NO_FADE = { beats: 0, curve: "auto" } as const;

export const AudioLoopSchema = z
  .strictObject({
    start_seconds: z.number().min(0).describe("Loop start inside the audio, in seconds."),
    end_seconds: z.number().gt(0).describe("Loop end inside the audio, in seconds (> start)."),
  })
  .describe("A region of the audio that repeats until the clip ends.");

export const AudioClipSchema = z
  .strictObject({
    id: ProjectIdSchema,
    name: z.string().max(256).default(""),
    start_beat: BeatSchema,
    length_beats: LengthBeatsSchema,
    content_id: ContentIdSchema.describe("The audio this clip plays (an entry of project.audio)."),
    source_start_seconds: z
      .number()
      .min(0)
      .default(0)
      .describe("Where in the audio the clip starts (the trim of its left edge), in seconds of the audio."),
    gain_db: z.number().min(-120).max(24).default(0),
    fade_in: FadeSchema.default(NO_FADE),
    fade_out: FadeSchema.default(NO_FADE),
    loop: AudioLoopSchema.nullable().default(null),
  })
  .describe("Audio on the timeline: plays its audio from source_start_seconds, at the audio's own speed.");

const ChannelSchema = z.int().min(1).max(16).default(1);
const Midi7BitSchema = z.int().min(0).max(127);
const ClipBeatSchema = z.number().min(0).describe("Position inside the clip, in beats from its start.");

export const MidiNoteSchema = z.strictObject({
  beat: ClipBeatSchema,
  length_beats: LengthBeatsSchema,
  note: Midi7BitSchema,
  velocity: Midi7BitSchema,
  channel: ChannelSchema,
});

export const MidiCcSchema = z.strictObject({
  beat: ClipBeatSchema,
  controller: Midi7BitSchema,
  value: Midi7BitSchema,
  channel: ChannelSchema,
});

export const MidiPitchBendSchema = z.strictObject({
  beat: ClipBeatSchema,
  value: z.int().min(-8192).max(8191),
  channel: ChannelSchema,
});

export const MidiClipSchema = z
  .strictObject({
    id: ProjectIdSchema,
    name: z.string().max(256).default(""),
    start_beat: BeatSchema,
    length_beats: LengthBeatsSchema,
    notes: z.array(MidiNoteSchema).default([]),
    cc: z.array(MidiCcSchema).default([]),
    pitch_bend: z.array(MidiPitchBendSchema).default([]),
  })
  .describe("MIDI on the timeline; events start inside the clip, notes are cut at its end.");

export const DeviceSchema = z
  .strictObject({
    id: ProjectIdSchema,
    node_id: NodeIdSchema.describe(
      'The NodeDescriptor it instantiates: "builtin:reverb", "faust:...", "wam:...".',
    ),
    params: withoutReservedKey(z.record(z.string().min(1), z.union([z.number(), z.string()])).default({})),
    buffers: withoutReservedKey(z.record(z.string().min(1), ContentIdSchema).default({})).describe(
      "Buffer slots (e.g. the sampler's sample) by content id.",
    ),
    extensions: ExtensionsSchema.optional().describe(
      "Passed to the graph node as its extensions: a WAM device's `wam` (module_url, state).",
    ),
    bypass: z
      .boolean()
      .optional()
      .describe(
        "true: the signal goes around the device (left out of the compiled chain), its settings kept.",
      ),
  })
  .describe("One processor of a track's chain: a graph node type and its parameter values.");

export const SendSchema = z.strictObject({
  id: ProjectIdSchema,
  target: ProjectIdSchema.describe("The bus track it feeds."),
  level_db: LevelDbSchema.default(0),
  pre_fader: z
    .boolean()
    .default(false)
    .describe("true: taps the track before its fader and pan; false: after them."),
});

export const MixerStripSchema = z.strictObject({
  volume_db: LevelDbSchema.default(0),
  pan: PanSchema.default(0),
  mute: z.boolean().default(false),
  solo: z.boolean().default(false),
  solo_safe: z
    .boolean()
    .default(false)
    .describe("Keeps playing while other tracks are soloed (a reverb return)."),
});

export type MixerStrip = z.output<typeof MixerStripSchema>;

export const AutomationPointSchema = z.strictObject({
  beat: BeatSchema,
  value: z.number().describe("In the parameter's units: dB for volume and sends, -1..1 for pan."),
  curve: z
    .enum(["linear", "exponential", "step"])
    .default("linear")
    .describe("Shape of the segment from this point to the next. Volume, pan and sends take linear or step."),
});

export const AutomationLaneSchema = z.strictObject({
  points: z.array(AutomationPointSchema).min(1),
});

export type AutomationLane = z.output<typeof AutomationLaneSchema>;

/**
 * Automation lanes by parameter address: `volume`, `pan`, `send:<send id>`, or
 * `device:<device id>:<parameter id>` (the parameter id as the device's node type names it).
 */
const AutomationMapSchema = withoutReservedKey(z.record(z.string().min(1), AutomationLaneSchema).default({}));

const trackFields = {
  id: ProjectIdSchema,
  name: z.string().max(256).default(""),
  mixer: MixerStripSchema.default({ volume_db: 0, pan: 0, mute: false, solo: false, solo_safe: false }),
  output: ProjectIdSchema.default(MASTER_ID).describe('"master", or the id of a bus track.'),
  sends: z.array(SendSchema).default([]),
  devices: z.array(DeviceSchema).default([]).describe("Effects, in signal order."),
  automation: AutomationMapSchema,
};

export const AudioTrackSchema = z.strictObject({
  kind: z.literal("audio"),
  ...trackFields,
  clips: z.array(AudioClipSchema).default([]),
});

export const InstrumentTrackSchema = z.strictObject({
  kind: z.literal("instrument"),
  ...trackFields,
  instrument: DeviceSchema.describe("The node that plays the MIDI clips (builtin:synth, a Faust synth)."),
  clips: z.array(MidiClipSchema).default([]),
});

export const BusTrackSchema = z.strictObject({
  kind: z.literal("bus"),
  ...trackFields,
});

export const TrackSchema = z.discriminatedUnion("kind", [
  AudioTrackSchema,
  InstrumentTrackSchema,
  BusTrackSchema,
]);

export const MasterSchema = z.strictObject({
  volume_db: LevelDbSchema.default(0),
  devices: z.array(DeviceSchema).default([]),
  automation: AutomationMapSchema.describe("Only `volume` and the master's devices' parameters."),
});

export const TimeSignatureSchema = z.strictObject({
  beat: BeatSchema,
  numerator: z.int().min(1).max(64),
  denominator: z.union([
    z.literal(1),
    z.literal(2),
    z.literal(4),
    z.literal(8),
    z.literal(16),
    z.literal(32),
  ]),
});

export const MarkerSchema = z.strictObject({
  id: ProjectIdSchema,
  beat: BeatSchema,
  name: z.string().max(256).default(""),
});

export const LoopRangeSchema = z.strictObject({
  start_beat: BeatSchema,
  end_beat: BeatSchema,
  enabled: z.boolean().default(true),
});

export const PresetSchema = z
  .strictObject({
    id: ProjectIdSchema,
    name: z.string().min(1).max(256),
    node_id: NodeIdSchema.describe(
      "The node type whose parameters it holds: it recalls onto devices of that type.",
    ),
    params: withoutReservedKey(z.record(z.string().min(1), z.union([z.number(), z.string()]))),
  })
  .describe("A device's parameter values saved under a name, recalled onto any device of its node type.");

export const ProjectSchema = z
  .strictObject({
    format: z.literal(PROJECT_FORMAT),
    format_version: z.literal(PROJECT_FORMAT_VERSION),
    name: z.string().max(256).default(""),
    tempo: TempoSchema.default({ bpm: 120 }).describe("The contracts' tempo: { bpm } or { map }."),
    time_signatures: z
      .array(TimeSignatureSchema)
      .min(1)
      .default([{ beat: 0, numerator: 4, denominator: 4 }]),
    markers: z.array(MarkerSchema).default([]),
    loop: LoopRangeSchema.nullable().default(null),
    audio: z.array(AudioSourceSchema).default([]),
    tracks: z.array(TrackSchema).default([]),
    master: MasterSchema.default({ volume_db: 0, devices: [], automation: {} }),
    presets: z.array(PresetSchema).default([]).describe("Device presets, in the order they were saved."),
    extensions: ExtensionsSchema,
  })
  .describe("A webdreamer project: the arrangement a DAW edits, compiled to a GraphDescriptor.");

export type Project = z.output<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectSchema>;
export type Track = z.output<typeof TrackSchema>;
export type AudioTrack = z.output<typeof AudioTrackSchema>;
export type InstrumentTrack = z.output<typeof InstrumentTrackSchema>;
export type BusTrack = z.output<typeof BusTrackSchema>;
export type AudioClip = z.output<typeof AudioClipSchema>;
export type MidiClip = z.output<typeof MidiClipSchema>;
export type Clip = AudioClip | MidiClip;
export type Device = z.output<typeof DeviceSchema>;
export type Send = z.output<typeof SendSchema>;
export type Preset = z.output<typeof PresetSchema>;
export type AudioSource = z.output<typeof AudioSourceSchema>;
export type Master = z.output<typeof MasterSchema>;
export type Marker = z.output<typeof MarkerSchema>;
export type LoopRange = z.output<typeof LoopRangeSchema>;
export type AutomationPoint = z.output<typeof AutomationPointSchema>;
