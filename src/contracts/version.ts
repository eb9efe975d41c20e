/**
 * The contracts' version literal, in a module of its own without the schemas: code that only stamps
 * the version (the AudioWorklet's processor among it) does not load zod for it.
 */
export const CONTRACT_VERSION = "v1alpha";
