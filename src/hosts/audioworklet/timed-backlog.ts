/**
 * TimedBacklog: the engine Worker's queue of encoded timed commands the audio thread has no room for
 * yet, ordered by (frame, arrival) (FrameOrderedSlots, shared with the audio thread's TimedCommandQueue)
 * in typed arrays that grow by doubling up to a fixed capacity. Records are kept encoded (command-codec.ts), so feeding one is a copy of
 * its bytes into the command ring.
 *
 * Why typed arrays and not objects: a flood holds a few hundred thousand commands here; as objects
 * they would cost the Worker garbage collections while it has to keep feeding the audio thread.
 *
 * Worker only (it allocates when it grows); the audio thread's twin is TimedCommandQueue.
 */
import { type CommandRing, MAX_COMMAND_BYTES } from "../../dataplane/command-codec";
import { FrameOrderedSlots, grown } from "../../dataplane/frame-ordered-slots";

const SLOT_BYTES = MAX_COMMAND_BYTES;
const INITIAL_SLOTS = 256;

export class TimedBacklog {
  private records = new Uint8Array(0);
  private lengths = new Uint8Array(0);
  private readonly order = new FrameOrderedSlots(0);

  /**
   * An empty backlog of at most `capacity` records; it allocates as it fills.
   * @example
   * const backlog = new TimedBacklog(262144);
   */
  constructor(readonly capacity: number) {}

  /**
   * Records waiting.
   * @example
   * const backlog = new TimedBacklog(262144);
   * const room = backlog.capacity - backlog.length; // commands a call may still add
   */
  get length(): number {
    return this.order.length;
  }

  /**
   * The frame of the record due first; +Infinity when empty.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.nextFrame(); // Infinity: nothing waits
   */
  nextFrame(): number {
    return this.order.nextFrame();
  }

  /**
   * Adds the encoded record `source[offset, offset + length)`, due at `frame`. The caller checks
   * `length < capacity` first; adding to a full backlog throws.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.add(commandRecord, commandRecord.length, 0, 96000); // an encoded command for frame 96000
   */
  add(source: Uint8Array, length: number, offset: number, frame: number): void {
    if (this.order.length === this.order.slots) this.grow();
    const slot = this.order.take(frame);
    this.records.set(source.subarray(offset, offset + length), slot * SLOT_BYTES);
    this.lengths[slot] = length;
  }

  /**
   * Pushes the record due first into `ring` and removes it; false (nothing removed) when it does not
   * fit or the backlog is empty.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.add(commandRecord, commandRecord.length, 0, 96000);
   * backlog.writeNext(commandRing); // true: it is in the ring now
   */
  writeNext(ring: CommandRing): boolean {
    const slot = this.order.peek();
    if (slot < 0) return false;
    if (!ring.pushAll(this.records, this.lengths[slot] as number, slot * SLOT_BYTES)) return false;
    this.order.pop();
    return true;
  }

  /**
   * Removes every record; returns how many there were.
   * @example
   * const backlog = new TimedBacklog(16);
   * const discarded = backlog.clear(); // the graph they named was replaced
   */
  clear(): number {
    return this.order.clear();
  }

  private grow(): void {
    const old = this.order.slots;
    if (old >= this.capacity) throw new Error(`TimedBacklog: full (${this.capacity} records)`);
    const slots = Math.min(this.capacity, Math.max(INITIAL_SLOTS, 2 * old));
    this.records = grown(this.records, new Uint8Array(slots * SLOT_BYTES));
    this.lengths = grown(this.lengths, new Uint8Array(slots));
    this.order.resize(slots);
  }
}
