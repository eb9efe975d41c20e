/**
 * The node types the test double "discovers": the engine's own builtin NodeDescriptors, exactly as
 * builtinDescriptors(engine.types) makes them, from the snapshot builtin-catalog.json. A snapshot keeps
 * the double free of WASM; test/testing/builtin-catalog.test.ts fails when it differs from what
 * engine.wasm produces, and regenerates it when run with UPDATE_SNAPSHOTS=1.
 */
import * as z from "zod";
import { type NodeDescriptor, NodeDescriptorSchema } from "../contracts/node-descriptor";
import { parseContract } from "../contracts/validate";
import builtinCatalog from "./builtin-catalog.json";

/** Every builtin the engine provides, in the engine's table order. */
export const TEST_DOUBLE_CATALOG: readonly NodeDescriptor[] = parseContract(
  z.array(NodeDescriptorSchema),
  builtinCatalog,
  "builtin-catalog.json",
);
