/**
 * The built package for the integration tests that start it as users do (register, the CLI):
 * the shared check, so the e2e suite rebuilds on the same rule.
 */
export { ensureBuilt, REPO_ROOT as ROOT } from '../../../support/built-package';
