import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../local-kafka/executable-lookup';
import { OtelStackError } from './errors';
import { stackCacheRoot } from './paths';
import { runLogged } from './run-logged';
import { PROMETHEUS_DEBIAN_PACKAGE } from './versions';

const execFileAsync = promisify(execFile);

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
  /** e.g. `2.42.0+ds`, from `prometheus --version`. */
  version: string;
  /** True when this call installed the package. */
  installed: boolean;
}

const MANUAL_INSTALL =
  `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PROMETHEUS_DEBIAN_PACKAGE}` +
  ` && sudo systemctl disable --now ${PROMETHEUS_DEBIAN_PACKAGE}`;

function locate(env: NodeJS.ProcessEnv): { prometheus?: string; promtool?: string } {
  // /usr/bin is where the Debian package puts them, even when PATH was trimmed.
  const searchPath = `${env.PATH ?? ''}${path.delimiter}/usr/bin`;
  return {
    prometheus: findOnPath('prometheus', searchPath),
    promtool: findOnPath('promtool', searchPath),
  };
}

async function versionOf(prometheus: string): Promise<string> {
  const { stdout, stderr } = await execFileAsync(prometheus, ['--version'], { timeout: 30_000 });
  return /version (\S+)/.exec(`${stdout}\n${stderr}`)?.[1] ?? 'unknown';
}

async function quietly(command: string, args: string[]): Promise<boolean> {
  try {
    await execFileAsync(command, args, { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The package's install script enables and (where an init system runs) starts a system-wide
 * Prometheus on :9090 with /etc/prometheus/prometheus.yml. Ours runs with its own config on its
 * own port, so the system one is stopped and disabled: it would only scrape and store for nobody.
 */
async function stopSystemService(log: (line: string) => void): Promise<void> {
  const unit = PROMETHEUS_DEBIAN_PACKAGE;
  if (fs.existsSync('/run/systemd/system')) {
    const done = await quietly('systemctl', ['disable', '--now', unit]);
    log(
      done
        ? `Stopped and disabled the system service ${unit}.`
        : `Could not disable ${unit} with systemctl; stop it by hand if it runs.`,
    );
    return;
  }
  // No systemd (containers): the SysV script, when the install was allowed to start it.
  await quietly('invoke-rc.d', [unit, 'stop']);
  await quietly('update-rc.d', [unit, 'disable']);
  log(`Made sure the system service ${unit} is stopped and disabled (SysV).`);
}

async function aptInstall(log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const apt = findOnPath('apt-get', process.env.PATH);
  if (!apt) {
    throw new OtelStackError(
      'Prometheus is missing (no prometheus and promtool on PATH) and apt-get is not available to install it.\n' +
        "Install Prometheus 2.x (Debian/Ubuntu package 'prometheus', or the release tarball) so that " +
        '`prometheus` and `promtool` are on PATH, then run this again.',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new OtelStackError(
      `Prometheus is missing (no prometheus and promtool on PATH). Install Debian's package as root:\n  ${MANUAL_INSTALL}`,
    );
  }
  const logDir = stackCacheRoot();
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, 'prometheus-install.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const common = { cwd: logDir, env, logPath, signal, timeoutMs: 10 * 60_000 };
  log(`Installing Debian's ${PROMETHEUS_DEBIAN_PACKAGE} package (apt-get; log: ${logPath})...`);
  await runLogged(apt, ['update'], { ...common, what: 'apt-get update' });
  // Without recommends: prometheus-node-exporter would be one more system service.
  await runLogged(apt, ['install', '-y', '--no-install-recommends', PROMETHEUS_DEBIAN_PACKAGE], {
    ...common,
    what: `apt-get install ${PROMETHEUS_DEBIAN_PACKAGE}`,
  });
  await stopSystemService(log);
}

/** prometheus and promtool from the machine, installing Debian's package when missing. */
export async function ensurePrometheus(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<PrometheusBinaries> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  let found = locate(env);
  let installed = false;
  if (!found.prometheus || !found.promtool) {
    await aptInstall(log, options.signal);
    installed = true;
    found = locate(env);
  }
  if (!found.prometheus || !found.promtool) {
    throw new OtelStackError(
      `The ${PROMETHEUS_DEBIAN_PACKAGE} package is installed but prometheus or promtool is still not on PATH.`,
    );
  }
  return {
    prometheus: found.prometheus,
    promtool: found.promtool,
    version: await versionOf(found.prometheus),
    installed,
  };
}
