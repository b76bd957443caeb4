/**
 * `npm run confluent-client`: installs `@confluentinc/kafka-javascript` into the cache (built
 * from source the first time, about 2 minutes) and prints where it is, as
 * `CONFLUENT_CLIENT_DIR=...` (its node_modules' parent, for NODE_PATH).
 */
import { ensureConfluentClient } from './confluent-client-install';

ensureConfluentClient({ log: (line) => process.stderr.write(`${line}\n`) }).then(
  (client) => {
    process.stderr.write(
      `${client.cached ? 'Cached' : 'Installed'} ${client.version} in ${client.seconds.toFixed(1)} s.\n`,
    );
    process.stdout.write(`CONFLUENT_CLIENT_DIR=${client.installDir}\n`);
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
