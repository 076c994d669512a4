/**
 * Module boundaries, checked by `npm run deps` (and in .ci/run). See docs in ../shared/DESIGN.md:
 * each domain owns its tables and opens one door; pages and controllers are doors, never rooms.
 *
 * Folders under src/ are modules. Shared kernel folders (common, config, web, auth, queue, audit,
 * mail, database, health, and forms: the form-as-data shapes and rules) may be used by anyone
 * through their public files; domain modules talk to each other only through the files listed in
 * PUBLIC below.
 *
 * There is no list of tolerated violations: every edge these rules forbid fails `npm run deps`.
 * Where a lower module needs something from a higher one, it names a port (an interface and an
 * injection token in its own public file) that the higher module provides, e.g. auth's
 * UserDirectory (accounts provides it) and applications' ApplicationFiles (attachments provides it).
 */

/**
 * What each module lets others import. Everything else in a module (entities, repositories,
 * rules, helpers, pages, controllers) is private to it.
 */
const PUBLIC = {
  // In every module: its Nest module (wiring) and the doors other modules call.
  '[^/]+': ['[^/]+\\.module\\.ts$', '[^/]+\\.service\\.ts$', '[^/]+-reader\\.ts$', '[^/]+\\.types\\.ts$'],
  organisations: ['org-identifiers\\.ts$'],
  'reference-data': ['input\\.ts$'],
  funds: ['round-lifecycle\\.ts$'],
  applications: ['application-lifecycle\\.ts$'],
  awards: ['award-lifecycle\\.ts$'],
};
const publicFiles = Object.entries(PUBLIC).flatMap(([module, files]) => files.map((file) => `^src/${module}/${file}`));

/** Folders anyone may use (infrastructure, not a domain); still no entity imports across them. */
const SHARED = ['common', 'config', 'web', 'auth', 'queue', 'audit', 'mail', 'database', 'health', 'forms'];
const sharedFolders = `^src/(${SHARED.join('|')})/`;

/** The composition root: wires controllers and pages, so it may import them. */
const compositionRoot = '^src/(main|bootstrap|app\\.module|domain-modules)\\.ts$';
const doors = '\\.(pages|controller)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: modules that need each other are one module, or one of them needs a smaller file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-doors',
      severity: 'error',
      comment: 'Domain code (services, entities, jobs, readers, rules) never imports a page or a controller: doors call rooms, not the other way.',
      from: { path: '^src/', pathNot: [doors, '\\.module\\.ts$', compositionRoot] },
      to: { path: doors },
    },
    {
      name: 'not-to-bootstrap',
      severity: 'error',
      comment: 'bootstrap.ts builds the whole app; nothing inside the app imports it (put shared values in config/ or common/).',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/bootstrap\\.ts$' },
    },
    {
      name: 'not-to-demo',
      severity: 'error',
      comment: 'Demo data is seeded from outside the app (main.ts --seed); the app itself never imports it.',
      from: { path: '^src/', pathNot: ['^src/demo/', compositionRoot] },
      to: { path: '^src/demo/' },
    },
    {
      name: 'not-to-foreign-entity',
      severity: 'error',
      comment:
        "A module's tables are its own: never import another module's entity or repository; call its service or reader. (database/entities.ts registers every entity with TypeORM; reporting/ is the one read-only module that may join across.)",
      from: { path: '^src/([^/]+)/', pathNot: ['^src/database/entities\\.ts$', '^src/reporting/'] },
      to: { path: '\\.(entity|repository)\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'only-public-surface',
      severity: 'error',
      comment:
        "Between domain modules, only the files in PUBLIC (.dependency-cruiser.cjs) may be imported: services, readers, types, modules and a few listed rule files.",
      from: { path: '^src/([^/]+)/', pathNot: ['^src/database/', '^src/reporting/', '^src/demo/'] },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', sharedFolders, ...publicFiles, '\\.(entity|repository)\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.spec\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
