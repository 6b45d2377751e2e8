/**
 * The layer rule (docs/architecture.md), checked by `npm run check`:
 *   handlers → composition root → {http, services, adapters} → ports → domain
 * No cycles; functions/ never imports infra/; nothing in shared/ imports functions/ or infra/;
 * only handlers, scripts and tooling reach the composition root.
 */
const TYPE_ONLY = ["type-only"];

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", from: {}, to: { circular: true } },
    {
      name: "functions-not-to-infra",
      comment: "A Lambda bundle must not carry deployment or local-cloud code.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^infra/" },
    },
    {
      name: "shared-not-to-functions-or-infra",
      comment: "shared/ is what the handlers stand on; it never reaches up.",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(functions|infra|scripts)/" },
    },
    {
      name: "only-the-top-reaches-the-root",
      comment: "Lower layers receive their collaborators; they never import the composition root.",
      severity: "error",
      from: { path: "^shared/", pathNot: "^shared/composition/" },
      to: { path: "^shared/composition/" },
    },
    {
      name: "handlers-go-through-the-root",
      comment: "A handler translates: its route's declaration, the root's services, a response.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^shared/(repositories|cache|queue)/|^@aws-sdk/", dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: "domain-is-pure",
      comment: "Types, schemas and rules: no I/O, no layer above.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { path: "^shared/(http|services|repositories|cache|queue|search|composition|routes)/|^@aws-sdk/" },
    },
    {
      name: "services-know-no-http-or-sdk",
      comment: "Use cases work over ports; the adapters and the http layer are someone else's job.",
      severity: "error",
      from: { path: "^shared/services/" },
      to: { path: "^shared/http/|^@aws-sdk/|^@middy/", dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: "http-uses-ports-not-adapters",
      comment: "The http layer gets its collaborators from the root; it only knows their shapes.",
      severity: "error",
      from: { path: "^shared/http/" },
      to: {
        path: "^shared/(repositories|cache|queue|search|services)/|^@aws-sdk/",
        dependencyTypesNot: TYPE_ONLY,
      },
    },
    {
      name: "adapters-do-not-call-up",
      comment: "Repositories, caches, queues and search adapters never call services or the http stack.",
      severity: "error",
      from: { path: "^shared/(repositories|cache|queue|search)/" },
      to: { path: "^shared/(services|http)/", dependencyTypesNot: TYPE_ONLY },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|cdk\\.out|coverage)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".mjs", ".js", ".json"] },
  },
};
