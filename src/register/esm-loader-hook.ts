import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Registers the import-in-the-middle loader hook that @opentelemetry/instrumentation documents
 * for ES modules, so `import { Kafka } from 'kafkajs'` and `import http from 'node:http'` in an
 * ESM application are patched like `require` is. The specifier resolves from this package, so
 * the hook and the instrumentations share one copy of @opentelemetry/instrumentation.
 * Node >= 20.6 (this package's engines) has `module.register`.
 */
export function registerEsmLoaderHook(): void {
  register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename));
}
