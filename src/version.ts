/** This package's name and version, reported as the instrumentation scope. Kept in step with package.json by a unit test. */
export const PACKAGE_NAME = 'kafka-otel';
export const PACKAGE_VERSION = '0.1.0';
