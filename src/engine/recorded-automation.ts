/**
 * A render's recorded parameters (RenderRequest.options.record_automation, DawDreamer's
 * record_automation / get_automation) turned into the result's `extensions.automation`: one mono
 * buffer per parameter, at the resolution asked for.
 */
import type { BufferHandle } from "../contracts/common";
import type { RenderRequest } from "../contracts/render";

/** What the result's extensions gain: handles by node and parameter id, and frames per value. */
export interface AutomationExtensions {
  automation: Record<string, Record<string, BufferHandle>>;
  automation_block_frames: number;
}

/**
 * The value at the first frame of each block of `blockFrames` frames (the last block may be short),
 * or the values themselves for blocks of one frame.
 * @example
 * valuesPerBlock(new Float32Array([1, 1, 2, 2, 3]), 2); // Float32Array [1, 2, 3]
 */
export function valuesPerBlock(values: Float32Array, blockFrames: number): Float32Array {
  if (blockFrames <= 1) return values;
  const blocks = new Float32Array(Math.ceil(values.length / blockFrames));
  for (let block = 0; block < blocks.length; block++) blocks[block] = values[block * blockFrames] as number;
  return blocks;
}

/** Frames each recorded value stands for: 1 (resolution frame) or the render's block size. */
export function automationBlockFrames(request: RenderRequest, hostBlockSize: number): number {
  return request.options.record_automation?.resolution === "block"
    ? (request.options.block_size ?? hostBlockSize)
    : 1;
}

/**
 * Bytes the recorded parameters hold at frame resolution: the in-process host reserves them with
 * the render's other results before rendering.
 */
export function recordedAutomationBytes(parameterCounts: Iterable<number>, frames: number): number {
  let parameters = 0;
  for (const count of parameterCounts) parameters += count;
  return Float32Array.BYTES_PER_ELEMENT * frames * parameters;
}

/**
 * The result extensions for recorded parameters, or null when none were asked for. `issue` stores
 * one mono buffer and returns its handle.
 * @example
 * recordedAutomationExtensions(job.parameters, 1, (channels) => store.issue(channels, 48000));
 * // { automation: { synth: { cutoff: "buf:7", ... } }, automation_block_frames: 1 }
 */
export function recordedAutomationExtensions(
  parameters: ReadonlyMap<string, ReadonlyMap<string, Float32Array>>,
  blockFrames: number,
  issue: (channels: Float32Array[]) => BufferHandle,
): AutomationExtensions | null {
  if (parameters.size === 0) return null;
  // fromEntries defines own keys: no node or parameter name reaches a prototype setter.
  const automation = Object.fromEntries(
    Array.from(parameters, ([node, values]) => [
      node,
      Object.fromEntries(
        Array.from(values, ([id, frames]) => [id, issue([valuesPerBlock(frames, blockFrames)])]),
      ),
    ]),
  );
  return { automation, automation_block_frames: blockFrames };
}
