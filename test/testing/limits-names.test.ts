/** The test double against the limits-and-names suite every host must pass. */
import { TestDoubleEngineClient } from "../../src/testing/index";
import { describeLimitsAndNames } from "../api/limits-names-suite";

describeLimitsAndNames("test double", async ({ clock }) => new TestDoubleEngineClient({ clock }), {
  heldBuffers: (client) => (client as TestDoubleEngineClient).heldBuffers(),
});
