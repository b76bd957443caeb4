/**
 * Attribute keys of the cluster gauges: the OpenTelemetry Collector's kafkametrics receiver
 * names (`topic`, `partition`, `group`), so dashboards built on that receiver keep working.
 */
export const ATTR_TOPIC = 'topic';
export const ATTR_PARTITION = 'partition';
export const ATTR_GROUP = 'group';
export const ATTR_BROKER = 'broker';
export const ATTR_STATE = 'state';
export const ATTR_STATUS = 'status';
export const ATTR_VOTER = 'voter';
export const ATTR_PHASE = 'phase';
/** What failed, by OpenTelemetry's general `error.type` convention (`tls`, `timeout`, ...). */
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_LOG_DIR = 'log_dir';
export const ATTR_SOURCE = 'source';
