/**
 * Zero-code setup: `node --require kafka-otel/register app.js` (CommonJS) or
 * `node --import kafka-otel/register app.mjs` (ES modules, through dist/esm/register.mjs, which
 * also registers the loader hook).
 *
 * Starts the OpenTelemetry Node SDK with the KafkaJS, HTTP and Node runtime instrumentations,
 * configured entirely from OTEL_* and KAFKA_OTEL_* environment variables (see docs/zero-code.md), and
 * flushes on SIGTERM, SIGINT and normal exit. Never throws into the application.
 */
import { startRegister } from './register/start-register';

startRegister();
