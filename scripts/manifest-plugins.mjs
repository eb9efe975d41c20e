// Plugins for @custom-elements-manifest/analyzer (custom-elements-manifest.config.mjs): they keep the
// manifest to what a page can use of the elements in src/components/.

/** The custom element reactions: the browser calls them, a page never does. */
const REACTIONS = new Set([
  "connectedCallback",
  "disconnectedCallback",
  "adoptedCallback",
  "attributeChangedCallback",
]);

/**
 * Lit never maps a `static properties` entry with `state: true` to an attribute (it is internal
 * reactive state), but the analyzer's lit plugin lists one anyway: this drops it.
 */
export function litStateIsNotAnAttribute() {
  return {
    name: "webdreamer: lit state is not an attribute",
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const classDoc = moduleDoc.declarations?.find((declaration) => declaration.name === node.name.text);
      const properties = node.members.find(
        (member) =>
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === "properties" &&
          member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword),
      )?.initializer;
      if (!classDoc || !properties || !ts.isObjectLiteralExpression(properties)) return;
      for (const entry of properties.properties) {
        if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.initializer)) continue;
        const isState = entry.initializer.properties.some(
          (option) =>
            ts.isPropertyAssignment(option) &&
            option.name.getText() === "state" &&
            option.initializer.kind === ts.SyntaxKind.TrueKeyword,
        );
        if (!isState) continue;
        const name = entry.name.getText();
        classDoc.attributes = classDoc.attributes?.filter((attribute) => attribute.fieldName !== name);
        const member = classDoc.members?.find((candidate) => candidate.name === name);
        if (member) delete member.attribute;
      }
    },
  };
}

/** Keeps each class's public members only: private and protected ones and the reactions are no page's API. */
export function publicMembersOnly() {
  return {
    name: "webdreamer: public members only",
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.kind !== "class" || !declaration.members) continue;
        declaration.members = declaration.members.filter(
          (member) => (member.privacy ?? "public") === "public" && !REACTIONS.has(member.name),
        );
      }
    },
  };
}
