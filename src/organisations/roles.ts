/**
 * The roles, organisation kinds and languages are part of every `Actor`, so they live in `common/`
 * (common/roles.ts). Re-exported here for code that still imports them from organisations.
 */
export * from '../common/roles';
