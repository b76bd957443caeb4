import { isServiceRunning, type ServiceName } from './service-process';
import { stackDir } from './paths';
import {
  DEFAULT_STACK,
  readStackState,
  stackUrls,
  validateStackName,
  type StackState,
  type StackUrls,
} from './stack-state';

export interface StackStatus {
  name: string;
  dir: string;
  state: StackState;
  urls: StackUrls;
  services: Array<{ name: ServiceName; pid: number; up: boolean; logPath: string }>;
  /** All three services recorded and alive. */
  up: boolean;
}

/** What the state file says, checked against the processes; undefined for an unknown stack. */
export function stackStatus(options: { name?: string } = {}): StackStatus | undefined {
  const name = validateStackName(options.name ?? DEFAULT_STACK);
  const state = readStackState(name);
  if (!state) return undefined;
  const services = Object.values(state.services).map((s) => ({
    name: s.name,
    pid: s.pid,
    up: isServiceRunning(s),
    logPath: s.logPath,
  }));
  return {
    name,
    dir: stackDir(name),
    state,
    urls: stackUrls(state.ports),
    services,
    up: services.length === 3 && services.every((s) => s.up),
  };
}
