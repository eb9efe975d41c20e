/** The v1alpha contracts: schemas, types, validation, errors. See docs/contracts.md. */
export * from "./common";
export * from "./engine-command";
export * from "./errors";
export * from "./examples";
export * from "./graph-descriptor";
export * from "./graph-limits";
export * from "./graph-semantics";
export * from "./json-schemas";
export * from "./limits";
export * from "./node-descriptor";
export * from "./non-finite";
export * from "./plugin-discovery";
export * from "./render";
export * from "./tempo-map";
export * from "./transport-state";
export * from "./validate";
