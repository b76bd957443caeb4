/**
 * Programmatic API of the local Kafka launcher, used by the CLI (`npm run kafka`) and by the
 * vitest global setups.
 */
export {
  DEFAULT_START_TIMEOUT_MS,
  startCluster,
  startNode,
  type StartClusterOptions,
  type StartNodeOptions,
  type StartResult,
} from './cluster-start';
export { type SecuredClusterSettings, type UserCredentials } from './cluster-security';
export { DEFAULT_CLUSTER, type CommonOptions } from './cluster-state';
export { CONNECT_GROUP_ID, CONNECT_INTERNAL_TOPICS } from './connect-config';
export { CONNECT_REST_USERNAME, type ConnectCredentials } from './connect-security';
export {
  connectStatus,
  DEFAULT_CONNECT_START_TIMEOUT_MS,
  startConnect,
  stopConnect,
  type ConnectStartResult,
  type ConnectStatus,
  type StartConnectOptions,
  type StopConnectOptions,
} from './connect-worker';
export { JOLOKIA_AGENT } from './jolokia-agent';
export { clusterStatus, type ClusterStatus, type NodeStatus } from './cluster-status';
export { DEFAULT_STOP_GRACE_MS, stopCluster, stopNode, type StopOptions } from './cluster-stop';
export { LocalKafkaError } from './errors';
export { connectVersionFor, DEFAULT_KAFKA_VERSION, KAFKA_3_9_VERSION } from './kafka-versions';
export { DEFAULT_BASE_PORT } from './ports';
export { describeBrokerIds } from './readiness';
export { unsecuredJwt } from './unsecured-jwt';
