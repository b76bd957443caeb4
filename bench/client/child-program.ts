/**
 * The child's code, compiled from TypeScript to plain CommonJS once per bench, so that children
 * run on bare `node` like a production app. Under a loader such as tsx every `require()` goes
 * through the loader's resolver; KafkaJS requires its protocol modules on every Fetch and
 * OffsetCommit, and with require-in-the-middle (which every OpenTelemetry instrumentation
 * installs) resolving on each call, the instrumented variants would pay the loader's cost too.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** bench/client/: the child's files and the modules they share with the bench. */
const SOURCE_DIR = __dirname;

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/**
 * Transpiles bench/client/ into `outDir` (inside the repository, so the output resolves kafkajs
 * and OpenTelemetry from the same node_modules) and returns the child's entry point.
 */
export function compileChildProgram(outDir: string): string {
  for (const file of typeScriptFiles(SOURCE_DIR)) {
    const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const problem = output.diagnostics?.[0];
    if (problem) {
      throw new Error(
        `Cannot compile ${file}: ${ts.flattenDiagnosticMessageText(problem.messageText, '\n')}`,
      );
    }
    const target = path.join(outDir, path.relative(SOURCE_DIR, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, output.outputText);
  }
  return path.join(outDir, 'child', 'main.js');
}
