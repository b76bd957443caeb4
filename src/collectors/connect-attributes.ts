/**
 * Attribute keys of the Kafka Connect metrics, shared by the Connect collector and the cluster
 * collector's sink-connector lag so that both name a connector the same way.
 */
export const ATTR_CONNECT_CONNECTOR = 'kafka.connect.connector';
export const ATTR_CONNECT_CONNECTOR_TYPE = 'kafka.connect.connector.type';
export const ATTR_CONNECT_TASK = 'kafka.connect.task';
export const ATTR_CONNECT_WORKER = 'kafka.connect.worker';
export const ATTR_CONNECT_STATE = 'kafka.connect.state';
