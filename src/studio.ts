/**
 * webdreamer/studio: importing this module defines `<webdreamer-studio>`, the in-browser DAW on the
 * project model (docs/studio.md). Its engine files load from beside the bundle, or from its `base-url`.
 *
 * @example
 * const studio = document.createElement("webdreamer-studio");
 * document.body.append(studio);
 */
export { type EngineChangeDetail, type ProjectMidiNote, WebdreamerStudio } from "./studio/studio-element";
