/**
 * Attribute keys of the Kafka Connect metrics (the design's names). Task ids are numbers, like
 * partitions; connector, worker, type and state are strings as Connect's REST API spells them.
 */
export const ATTR_CONNECTOR = 'kafka.connect.connector';
export const ATTR_TASK = 'kafka.connect.task';
export const ATTR_WORKER = 'kafka.connect.worker';
export const ATTR_CONNECTOR_TYPE = 'kafka.connect.connector.type';
export const ATTR_STATE = 'kafka.connect.state';
/** Which side of a worker startup a count is: `success` or `failure`. */
export const ATTR_RESULT = 'kafka.connect.result';
