import type { ConnectorStatus, ConnectState, TaskStatus } from './connect-snapshot';

/** A reply of the Connect REST API that is not what the API documents. */
export class ConnectReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectReplyError';
  }
}

/** A connector entry left out of a reply because it is malformed. */
export interface SkippedConnector {
  /** Its name, shortened for a log line (a name past the limit is one reason to skip). */
  readonly name: string;
  /** What is wrong with it, one short line. */
  readonly reason: string;
}

/** A `GET /connectors` reply: the connectors it reports, and the entries it had to leave out. */
export interface ConnectorsReply {
  connectors: ConnectorStatus[];
  skipped: SkippedConnector[];
}

/** Limits on what a reply may hold: a hostile or broken server cannot make us keep more. */
const MAX_CONNECTORS = 10_000;
const MAX_TASKS_PER_CONNECTOR = 10_000;
const MAX_NAME_CHARS = 1_024;
/** A stack trace is kept for the log line and span event only; its head is what matters. */
const MAX_TRACE_CHARS = 16 * 1024;
/** The most of a skipped connector's name, and of the reason, a log line shows. */
const MAX_SHOWN_NAME_CHARS = 80;
const MAX_SHOWN_REASON_CHARS = 200;
const STATE = /^[A-Z_]{1,32}$/;
const TYPE = /^[a-z_]{1,32}$/;

/**
 * `GET /connectors?expand=status&expand=info`: `{ <name>: { status, info } }`. A connector
 * without a status or info was deleted (or not yet started) while the worker assembled the
 * reply: it is not there. One malformed entry (a name past the limit, a field of the wrong
 * type) is left out and listed in `skipped`, so one odd connector costs its own series, not
 * the cluster's. A reply whose shape is wrong as a whole (not an object of entries, past the
 * entry limit) throws a ConnectReplyError: the snapshot reads "down", never a partial picture
 * that looks healthy.
 */
export function parseConnectors(
  body: unknown,
  include: (name: string) => boolean,
): ConnectorsReply {
  const root = record(body, 'GET /connectors');
  const names = Object.keys(root);
  if (names.length > MAX_CONNECTORS) {
    throw new ConnectReplyError(`GET /connectors: more than ${MAX_CONNECTORS} connectors`);
  }
  const reply: ConnectorsReply = { connectors: [], skipped: [] };
  for (const name of names) {
    if (name.length === 0 || name.length > MAX_NAME_CHARS) {
      // Not matched against the filter: a name past the limit is no name to report anyway.
      reply.skipped.push({
        name: oneLine(name, MAX_SHOWN_NAME_CHARS),
        reason: `the name is empty or longer than ${MAX_NAME_CHARS} characters`,
      });
      continue;
    }
    if (!include(name)) continue;
    try {
      const entry = record(root[name], `connector ${name}`);
      if (entry.status === undefined || entry.status === null) continue;
      if (entry.info === undefined || entry.info === null) continue;
      reply.connectors.push(
        parseConnector(name, record(entry.status, name), record(entry.info, name)),
      );
    } catch (error) {
      if (!(error instanceof ConnectReplyError)) throw error;
      reply.skipped.push({
        name: oneLine(name, MAX_SHOWN_NAME_CHARS),
        reason: oneLine(error.message, MAX_SHOWN_REASON_CHARS),
      });
    }
  }
  return reply;
}

function parseConnector(
  name: string,
  status: Record<string, unknown>,
  info: Record<string, unknown>,
): ConnectorStatus {
  const where = `connector ${name}`;
  const connector = record(status.connector, `${where} status`);
  const type = text(status.type ?? info.type, `${where} type`, 32);
  if (!TYPE.test(type)) throw new ConnectReplyError(`${where}: type is not a Connect type`);
  const tasks = list(status.tasks, `${where} tasks`, MAX_TASKS_PER_CONNECTOR).map((task) =>
    parseTask(record(task, `${where} task`), where),
  );
  const configured = list(info.tasks, `${where} info tasks`, MAX_TASKS_PER_CONNECTOR).length;
  const config = record(info.config, `${where} config`);
  const override = config['consumer.override.group.id'];
  return {
    name,
    type,
    state: state(connector.state, where),
    workerId: text(connector.worker_id, `${where} worker_id`, MAX_NAME_CHARS),
    ...optionalTrace(connector.trace, where),
    configuredTasks: configured,
    tasks,
    ...(type === 'sink'
      ? {
          consumerGroup:
            typeof override === 'string' && override.length > 0 ? override : `connect-${name}`,
        }
      : {}),
  };
}

function parseTask(task: Record<string, unknown>, connector: string): TaskStatus {
  const { id } = task;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
    throw new ConnectReplyError(`${connector}: a task id is not an integer >= 0`);
  }
  const where = `${connector} task ${id}`;
  return {
    id,
    state: state(task.state, where),
    workerId: text(task.worker_id, `${where} worker_id`, MAX_NAME_CHARS),
    ...optionalTrace(task.trace, where),
  };
}

function state(value: unknown, where: string): ConnectState {
  const found = text(value, `${where} state`, 32);
  if (!STATE.test(found)) throw new ConnectReplyError(`${where}: state is not a Connect state`);
  return found;
}

function optionalTrace(value: unknown, where: string): { trace?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw new ConnectReplyError(`${where}: trace is not a string`);
  return { trace: value.slice(0, MAX_TRACE_CHARS) };
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConnectReplyError(`${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ConnectReplyError(`${where}: expected a list`);
  if (value.length > max) throw new ConnectReplyError(`${where}: more than ${max} entries`);
  return value;
}

function text(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new ConnectReplyError(`${where}: expected a string of 1 to ${max} characters`);
  }
  return value;
}

/** Text from the reply as a log line shows it: one line, bounded. */
function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
