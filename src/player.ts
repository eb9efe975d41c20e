/**
 * webdreamer/player: importing this module defines `<webdreamer-player>`, the embeddable player
 * (docs/player.md). Its engine files load from beside the bundle, or from its `base-url`.
 *
 * @example
 * const player = document.createElement("webdreamer-player");
 * document.body.append(player);
 */
export type { ParameterControl } from "./components/demo-graph";
export { demoControls, demoGraph } from "./components/demo-graph";
export {
  MAX_TEMPO_BPM,
  MIN_TEMPO_BPM,
  type ParameterChangeDetail,
  type PlayerStatus,
  TEMPO_RAMP_SECONDS,
  WebdreamerPlayer,
} from "./components/webdreamer-player";
