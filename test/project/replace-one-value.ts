/**
 * Hostile input for the property tests: a JSON-like value with the value at one of its paths
 * replaced by another.
 */

/**
 * A copy of `value` whose value at path number `pick` (modulo the number of paths, depth first) is
 * `replacement`. With `includeRoot`, the whole value is one of the paths.
 */
export function replaceOneValue(
  value: unknown,
  pick: number,
  replacement: unknown,
  includeRoot = false,
): unknown {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (path.length > 0 || includeRoot) paths.push(path);
    if (Array.isArray(node)) {
      for (const [index, child] of node.entries()) walk(child, [...path, index]);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
  if (paths.length === 0) return replacement;
  const path = paths[pick % paths.length] as (string | number)[];
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
  return copy;
}
