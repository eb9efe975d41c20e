/** Sessions: a render request and its audio, saved to disk and rendered again identically. */
export * from "./load-session";
export * from "./save-session";
export * from "./session-file";
