/** Projects: the arrangement model, its compiler to the contracts, engine changes, commands. See docs/projects.md. */
export * from "./clip-fades";
export * from "./command-labels";
export * from "./compile-audio-clip";
export * from "./compile-automation";
export * from "./compile-midi-clip";
export * from "./compile-project";
export * from "./compile-track";
export * from "./diff-compiled";
export * from "./follow-project";
export * from "./mixer-laws";
export * from "./project-commands";
export * from "./project-editor";
export * from "./project-invariants";
export * from "./project-json-schema";
export * from "./project-schema";
export * from "./send-engine-change";
export * from "./track-audibility";
