import { ATTR_ENDPOINT } from './jmx-attributes';
import type { BrokerJmxSnapshot } from './broker-jmx-snapshot';
import { metricFamily } from '../export/metric-family';

/** Whether each broker's agent could be read, and what its reply held that could not be used. */
export const brokerJmxHealthMetrics = metricFamily(
  {
    up: {
      name: 'kafka.broker.jmx.up',
      unit: '1',
      description:
        "1 when the broker's Jolokia endpoint answered every query of the last read, 0 when it was unreachable or refused one; a broker that cannot be read has no other kafka.broker.* / kafka.raft.* series.",
      attributes: [ATTR_ENDPOINT],
    },
    skipped: {
      name: 'kafka.broker.jmx.skipped_values',
      unit: '{value}',
      description:
        'Values in the last reply from the endpoint that could not be used (wrong type, malformed name, past the size limits) and were left out.',
      attributes: [ATTR_ENDPOINT],
    },
  },
  (snapshot: BrokerJmxSnapshot, emit) => {
    for (const reading of snapshot.endpoints) {
      const attributes = { [ATTR_ENDPOINT]: reading.endpoint };
      emit.up(reading.up ? 1 : 0, attributes);
      if (reading.broker !== undefined) emit.skipped(reading.skipped, attributes);
    }
  },
);
