/**
 * How the MIDI recording ring's records are named (engine Worker). A record carries a node's index
 * (midi-record-tap.ts), which means something only in the graph the audio thread played when it wrote
 * it. The Worker drains the ring later (every MIDI_RECORD_DRAIN_MS), maybe after another graph was
 * loaded: naming by the graph the driver holds at drain time would give a record written before the
 * load the new graph's name for that index (or none). So naming follows the ring's own order:
 * - the driver gives each naming it will send the worklet a generation (a load, a WAM graph's
 *   stages), registers it here before sending it, and the message carries the generation;
 * - the audio thread, when it swaps what plays, writes a naming mark into the ring, after every record
 *   of the old graph and before any of the new one's;
 * - the reader switches naming when it reaches the mark (follow()).
 * A mark names the generations in effect (not "one more"), so a record the ring refused, or a mark
 * written late, cannot shift the count: the next mark read puts the naming right again.
 */

/** Node names by the index a record carries (null or missing: no node there). */
export type NodeNaming = readonly (string | null)[];

/** The generation of "nothing loaded yet": the worklet's naming before the first load. */
export const NO_GRAPH_NAMING = 0;
/** A mark's group generation when no WAM graph's stage group plays (the primary's graph names nodes). */
export const NO_GROUP_NAMING = -1;

/**
 * The naming of a graph the primary plays: each node's program index (CompiledGraph.nodeIndex).
 * @example
 * graphNaming(new Map([["keys", 0], ["out", 1]])); // ["keys", "out"]
 */
export function graphNaming(nodeIndex: ReadonlyMap<string, number>): NodeNaming {
  const names: (string | null)[] = [];
  for (const [name, index] of nodeIndex) names[index] = name;
  return Array.from(names, (name) => name ?? null);
}

/**
 * The naming of a WAM graph's stage group (stage-group.ts): each stage's nodes by group index (the
 * stage's base plus its program index), then WAM node k at `wamBase` + k (wam-event-lanes.ts).
 * @example
 * stagesNaming([{ nodeIndex: new Map([["keys", 0]]), base: 0 }], ["synth"], 2); // ["keys", null, "synth"]
 */
export function stagesNaming(
  stages: readonly { nodeIndex: ReadonlyMap<string, number>; base: number }[],
  wamNodes: readonly string[],
  wamBase: number,
): NodeNaming {
  const names: (string | null)[] = [];
  for (const stage of stages) {
    for (const [name, index] of stage.nodeIndex) names[stage.base + index] = name;
  }
  wamNodes.forEach((name, k) => {
    names[wamBase + k] = name;
  });
  return Array.from(names, (name) => name ?? null);
}

/**
 * The namings the worklet may still write records under, by generation, and the one in effect at the
 * reader's place in the ring.
 */
export class MidiRecordNamings {
  private readonly namings = new Map<number, NodeNaming>([[NO_GRAPH_NAMING, []]]);
  private program = NO_GRAPH_NAMING;
  private group = NO_GROUP_NAMING;

  /**
   * A naming about to be sent to the worklet under `generation` (higher than any before): registered
   * first, so the mark it leads to always finds it.
   * @example
   * const namings = new MidiRecordNamings();
   * namings.register(1, graphNaming(new Map([["keys", 0]])));
   */
  register(generation: number, naming: NodeNaming): void {
    this.namings.set(generation, naming);
  }

  /**
   * A naming the worklet never took (its load failed): no mark will name it.
   * @example
   * const namings = new MidiRecordNamings();
   * namings.register(1, ["keys"]);
   * namings.forget(1); // its load failed
   */
  forget(generation: number): void {
    if (generation !== this.program && generation !== this.group) this.namings.delete(generation);
  }

  /**
   * A naming mark read from the ring: records after it name their nodes by the primary's program
   * `program`, or by the stage group `group` while a WAM graph plays (group >= 0). Generations older
   * than both are dropped: the worklet moves to newer ones only.
   * @example
   * const namings = new MidiRecordNamings();
   * namings.register(1, ["keys"]);
   * namings.follow(1, NO_GROUP_NAMING); // a mark: graph 1 plays, no WAM graph
   */
  follow(program: number, group: number): void {
    this.program = program;
    this.group = group;
    const oldest = group === NO_GROUP_NAMING ? program : Math.min(program, group);
    for (const generation of this.namings.keys()) if (generation < oldest) this.namings.delete(generation);
  }

  /**
   * The name of node `node` at the reader's place in the ring; null when the naming in effect has no
   * node there (or is unknown: a mark naming a generation never registered).
   * @example
   * const namings = new MidiRecordNamings();
   * namings.register(1, ["keys"]);
   * namings.follow(1, NO_GROUP_NAMING);
   * namings.nameOf(0); // "keys"
   */
  nameOf(node: number): string | null {
    const naming = this.namings.get(this.group === NO_GROUP_NAMING ? this.program : this.group);
    return naming?.[node] ?? null;
  }

  /** Generations held (diagnostics and tests: the table stays short). */
  get size(): number {
    return this.namings.size;
  }
}
