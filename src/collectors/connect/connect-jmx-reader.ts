import { JolokiaClient, type MBeanQueryFailure, type MBeanReading } from '../jmx/jolokia-client';
import type { HttpEndpointOptions } from '../http/http-json-client';
import type { NameFilter } from '../name-filter';
import {
  TASK_BEAN_ATTRIBUTES,
  TASK_BEANS,
  WORKER_BEAN_ATTRIBUTES,
  type TaskBean,
} from './connect-jmx-metrics';
import type { ConnectJmxReading, TaskJmx } from './connect-snapshot';

const WORKER_BEANS = Object.keys(WORKER_BEAN_ATTRIBUTES) as Array<
  keyof typeof WORKER_BEAN_ATTRIBUTES
>;

/**
 * Reads one worker's Connect MBeans through its Jolokia agent: every per-task bean of the four
 * task types and the two worker beans in one bulk request, asking only for the attributes
 * exported. Rejects (an HttpJsonError) only when the exchange as a whole failed.
 */
export class ConnectJmxReader {
  private readonly client: JolokiaClient;

  constructor(
    endpoint: HttpEndpointOptions,
    private readonly includeConnector: NameFilter,
  ) {
    this.client = new JolokiaClient(endpoint);
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  /**
   * The reading, and the queries the agent refused or failed (its access policy, a bean that
   * threw): those beans are missing from the reading, which is then not `up`, while the beans
   * of the other queries are kept.
   */
  async read(
    signal: AbortSignal,
  ): Promise<{ reading: ConnectJmxReading; failures: readonly MBeanQueryFailure[] }> {
    const queries = [
      ...TASK_BEANS.map((type) => ({
        mbean: `kafka.connect:type=${type},connector=*,task=*`,
        attributes: TASK_BEAN_ATTRIBUTES[type],
      })),
      ...WORKER_BEANS.map((type) => ({
        mbean: `kafka.connect:type=${type}`,
        attributes: WORKER_BEAN_ATTRIBUTES[type],
      })),
    ];
    const { beans, failures } = await this.client.read(queries, signal);
    const tasks = new Map<TaskBean, TaskJmx[]>(TASK_BEANS.map((type) => [type, []]));
    const worker: Record<string, number> = {};
    for (const bean of beans) {
      const type = bean.properties.type;
      const perTask = tasks.get(type as TaskBean);
      if (perTask) {
        const task = taskOf(bean);
        if (task && this.includeConnector(task.connector)) perTask.push(task);
      } else if ((WORKER_BEANS as string[]).includes(type ?? '')) {
        Object.assign(worker, numbers(bean));
      }
    }
    const reading: ConnectJmxReading = {
      up: failures.length === 0,
      sourceTasks: tasks.get('source-task-metrics')!,
      sinkTasks: tasks.get('sink-task-metrics')!,
      connectorTasks: tasks.get('connector-task-metrics')!,
      taskErrors: tasks.get('task-error-metrics')!,
      worker,
    };
    return { reading, failures };
  }

  close(): void {
    this.client.close();
  }
}

function taskOf(bean: MBeanReading): TaskJmx | undefined {
  const { connector, task } = bean.properties;
  const id = Number(task);
  if (!connector || task === undefined || !/^\d{1,9}$/.test(task)) return undefined;
  return { connector, task: id, values: numbers(bean) };
}

/** The numeric attributes of a bean (strings, like a task's class names, are not metrics). */
function numbers(bean: MBeanReading): Record<string, number> {
  // No prototype: attribute names come from the agent.
  const values = Object.create(null) as Record<string, number>;
  for (const [name, value] of Object.entries(bean.attributes)) {
    if (typeof value === 'number') values[name] = value;
  }
  return values;
}
