/**
 * Reads the terminal's commands: keypresses in raw mode on a TTY, lines otherwise. The end of a
 * piped stdin is not `quit`: `printf 'stop\n' | ...` keeps the demo running until --duration or
 * Ctrl-C. In raw mode Ctrl-C arrives as a key, so it is turned back into SIGINT.
 */
import readline from 'node:readline';
import { parseKey, parseLine, type DemoCommand } from './commands';

export interface CommandInput {
  close(): void;
}

export function readCommands(
  onCommand: (command: DemoCommand) => void,
  onError: (message: string) => void,
): CommandInput {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    readline.emitKeypressEvents(stdin);
    stdin.setRawMode(true);
    const onKey = (text: string | undefined, key: { ctrl?: boolean; name?: string }) => {
      if (key.ctrl && (key.name === 'c' || key.name === 'd')) {
        process.kill(process.pid, 'SIGINT');
        return;
      }
      const command = text === undefined ? undefined : parseKey(text);
      if (command) onCommand(command);
    };
    stdin.on('keypress', onKey);
    stdin.resume();
    return {
      close() {
        stdin.off('keypress', onKey);
        stdin.setRawMode(false);
        stdin.pause();
      },
    };
  }
  const lines = readline.createInterface({ input: stdin });
  lines.on('line', (line) => {
    const parsed = parseLine(line);
    if (typeof parsed === 'string') onError(parsed);
    else if (parsed) onCommand(parsed);
  });
  return {
    close() {
      lines.close();
      stdin.destroy();
    },
  };
}
