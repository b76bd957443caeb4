import type { Meter } from '@opentelemetry/api';
import { ATTR_VOTER } from '../collector-attributes';
import type { SnapshotSource } from '../snapshot-source';
import { registerGaugeFamily } from './gauge-family';

/** The KRaft metadata quorum (DescribeQuorum): leader, epoch, high watermark, voter health. */
export function registerQuorumGauges(meter: Meter, source: SnapshotSource) {
  return registerGaugeFamily(
    meter,
    source,
    {
      leader: {
        name: 'kafka.quorum.leader',
        unit: '{broker}',
        description: 'Node id of the active controller (leader of the KRaft metadata quorum).',
      },
      epoch: {
        name: 'kafka.quorum.epoch',
        unit: '{epoch}',
        description:
          'Leader epoch of the metadata quorum; it grows with every controller election.',
      },
      highWatermark: {
        name: 'kafka.quorum.high_watermark',
        unit: '{offset}',
        description: 'High watermark of the __cluster_metadata log.',
      },
      voterLag: {
        name: 'kafka.quorum.voter.lag',
        unit: '{entry}',
        description: 'Metadata log entries the voter is behind the leader.',
      },
      voterFetchAge: {
        name: 'kafka.quorum.voter.fetch_age',
        unit: 's',
        description: 'Seconds since the voter last fetched from the leader, as the leader saw it.',
      },
    },
    (snapshot, gauges, observe) => {
      const quorum = snapshot.quorum;
      if (!quorum) return;
      observe(gauges.leader, quorum.leaderId);
      observe(gauges.epoch, quorum.leaderEpoch);
      observe(gauges.highWatermark, quorum.highWatermark);
      const leaderEnd =
        quorum.voters.find((v) => v.replicaId === quorum.leaderId)?.logEndOffset ??
        quorum.highWatermark;
      for (const voter of quorum.voters) {
        const attributes = { [ATTR_VOTER]: voter.replicaId };
        // -1: the voter has not fetched from this leader yet (e.g. right after an election).
        // Its lag is unknown then, not the whole log.
        if (voter.logEndOffset >= 0) {
          observe(gauges.voterLag, Math.max(0, leaderEnd - voter.logEndOffset), attributes);
        }
        if (voter.lastFetchTimestamp !== undefined) {
          const age = Math.max(0, snapshot.takenAt - voter.lastFetchTimestamp) / 1000;
          observe(gauges.voterFetchAge, age, attributes);
        }
      }
    },
  );
}
