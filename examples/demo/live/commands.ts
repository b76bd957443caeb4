/**
 * The terminal's commands: single keys on a TTY, whole lines otherwise (how a script or a test
 * drives the demo: `printf 'stop\n' | npm run demo -- --live`). Both parse to the same command.
 */
import type { ServiceCommand } from './ipc-messages';

export type DemoCommand =
  /** Handled by the settlement service. */
  | { kind: 'settlement'; command: ServiceCommand }
  | { kind: 'bad-send' }
  /** Creates a Connect sink whose task fails (needs the demo's Connect worker). */
  | { kind: 'fail-connector' }
  | { kind: 'rate'; rate: number }
  | { kind: 'help' }
  | { kind: 'quit' };

/** `s` slows settling by this much (per payment); `slow N` sets any delay. */
const SLOW_KEY_MS = 200;

export const COMMAND_HELP = `Commands (a key on a terminal, or a line on stdin):
  s   slow N     settlement sleeps N ms per payment (key: ${SLOW_KEY_MS} ms): lag grows
  p   pause      settlement pauses its partitions but stays in the group: status STALL
  x   stop       settlement leaves the group: status STOP, KafkaConsumerGroupStalled fires
  r   resume     settlement back at full speed (restarted if stopped)
  c   crash      the settlement handler fails until KafkaJS restarts the consumer
  e   bad-send   3 payments over the broker's max message size: failed sends
  t   timeout    a probe consumer's SyncGroup times out (KafkaJS then restarts it)
  f   fail-connector  a Connect sink whose task cannot open its file: task FAILED
      rate N     payments per second from now on
  h   help       this list
  q   quit       stop everything the demo started (also Ctrl-C)`;

const KEYS: Record<string, DemoCommand> = {
  s: { kind: 'settlement', command: { type: 'slow', ms: SLOW_KEY_MS } },
  p: { kind: 'settlement', command: { type: 'pause' } },
  x: { kind: 'settlement', command: { type: 'stop' } },
  r: { kind: 'settlement', command: { type: 'resume' } },
  c: { kind: 'settlement', command: { type: 'crash' } },
  e: { kind: 'bad-send' },
  t: { kind: 'settlement', command: { type: 'timeout' } },
  f: { kind: 'fail-connector' },
  h: { kind: 'help' },
  '?': { kind: 'help' },
  q: { kind: 'quit' },
};

export function parseKey(key: string): DemoCommand | undefined {
  return KEYS[key.toLowerCase()];
}

/** A command line, or an error message for the terminal. */
export function parseLine(line: string): DemoCommand | string | undefined {
  const [word, arg, ...extra] = line.trim().toLowerCase().split(/\s+/);
  if (!word) return undefined;
  if (extra.length > 0) return `'${line.trim()}': too many words`;
  const number = arg === undefined ? undefined : Number(arg);
  const needsNumber = word === 'slow' || word === 'rate';
  if (needsNumber && (number === undefined || !Number.isFinite(number) || number < 0)) {
    return `'${word}' needs a number, e.g. '${word} ${word === 'slow' ? 200 : 50}'`;
  }
  if (!needsNumber && arg !== undefined) return `'${word}' takes no argument`;
  switch (word) {
    case 'slow':
      return { kind: 'settlement', command: { type: 'slow', ms: number as number } };
    case 'rate':
      return (number as number) > 0 ? { kind: 'rate', rate: number as number } : 'rate must be > 0';
    case 'pause':
    case 'stop':
    case 'resume':
    case 'crash':
    case 'timeout':
      return { kind: 'settlement', command: { type: word } };
    case 'bad-send':
      return { kind: 'bad-send' };
    case 'fail-connector':
      return { kind: 'fail-connector' };
    case 'help':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return `unknown command '${word}' (try 'help')`;
  }
}
