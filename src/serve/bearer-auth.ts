/**
 * The bearer token check. A server with a token answers 401 to any request without
 * `Authorization: Bearer <token>`; the comparison takes the same time whatever the guess.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { EngineError } from "../contracts/errors";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Throws E_UNAUTHORIZED unless `authorization` (the header's value) carries `token`; passes
 * everything when the server has no token.
 * @example
 * checkBearer("Bearer s3cret-token-of-16+", "s3cret-token-of-16+"); // passes
 * checkBearer(undefined, "s3cret-token-of-16+"); // throws E_UNAUTHORIZED
 */
export function checkBearer(authorization: string | undefined, token: string | null): void {
  if (token === null) return;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (match === null) {
    throw new EngineError("E_UNAUTHORIZED", "this server needs an Authorization: Bearer <token> header");
  }
  // Hashing first makes the two sides the same length, so timingSafeEqual never throws or leaks it.
  if (!timingSafeEqual(digest(match[1] as string), digest(token))) {
    throw new EngineError("E_UNAUTHORIZED", "the bearer token is not this server's");
  }
}
