import {
  BROKER_JMX_URLS,
  CONNECT_JOLOKIA_URL,
  CONNECT_PASSWORD,
  CONNECT_PASSWORD_ENV,
  CONNECT_TLS_CA,
  CONNECT_URL,
  CONNECT_USERNAME,
  JOLOKIA_PASSWORD,
  JOLOKIA_PASSWORD_ENV,
  JOLOKIA_TLS_CA,
  JOLOKIA_USERNAME,
} from '../config/connect-jmx-settings';
import {
  buildConnectJmxEndpoints,
  type BrokerJmxEndpoints,
  type ConnectEndpoints,
} from '../config/connect-jmx-options';
import type { Setting } from '../config/setting';
import { convert, type CollectArgs } from './collect-args';
import { secretVariable } from './collect-security';
import { UsageError } from './usage-error';

/**
 * `kafka-otel collect`'s Kafka Connect and broker JMX endpoints, or none when not asked for.
 * Passwords come from variables only, as for SASL. Throws {@link UsageError}.
 */
export function readCollectConnectJmx(args: CollectArgs): {
  connect?: ConnectEndpoints;
  brokerJmx?: BrokerJmxEndpoints;
} {
  const connectUsername = args.text(CONNECT_USERNAME);
  const jolokiaUsername = args.text(JOLOKIA_USERNAME);
  const connectPassword = secretVariable(args, CONNECT_PASSWORD, CONNECT_PASSWORD_ENV);
  const jolokiaPassword = secretVariable(args, JOLOKIA_PASSWORD, JOLOKIA_PASSWORD_ENV);
  try {
    return buildConnectJmxEndpoints(
      {
        connectUrl: url(args, CONNECT_URL),
        connectUsername: connectUsername?.value,
        connectPassword: args.variable(connectPassword),
        connectTlsCaFile: args.text(CONNECT_TLS_CA)?.value,
        connectJolokiaUrl: url(args, CONNECT_JOLOKIA_URL),
        brokerJmxUrls: url(args, BROKER_JMX_URLS),
        jolokiaUsername: jolokiaUsername?.value,
        jolokiaPassword: args.variable(jolokiaPassword),
        jolokiaTlsCaFile: args.text(JOLOKIA_TLS_CA)?.value,
      },
      {
        connectUsername: connectUsername?.source ?? '--connect-username',
        connectPassword: `a password in ${connectPassword} (see --connect-password-env)`,
        connectTlsCaFile: args.text(CONNECT_TLS_CA)?.source ?? '--connect-tls-ca',
        jolokiaUsername: jolokiaUsername?.source ?? '--jolokia-username',
        jolokiaPassword: `a password in ${jolokiaPassword} (see --jolokia-password-env)`,
        jolokiaTlsCaFile: args.text(JOLOKIA_TLS_CA)?.source ?? '--jolokia-tls-ca',
      },
    );
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** A URL setting's value, when given (a refusal names it without its credentials). */
function url<T>(args: CollectArgs, setting: Setting<T>): T | undefined {
  const given = args.text(setting);
  return given === undefined ? undefined : convert(given, setting.parse);
}
