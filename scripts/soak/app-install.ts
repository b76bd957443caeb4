/**
 * Lays the soak's application out as a user's service: its own folder with a package.json and
 * kafka-otel in node_modules, so `node --require kafka-otel/register` resolves through the
 * package's "exports" exactly as in a user's install. The package is a private copy of dist/:
 * a rebuild during a long soak (`npm test` starts with one, which first deletes dist/) can
 * neither break the run nor swap the code under it.
 *
 * The folder lies inside the repository, so the copy and the app find kafkajs and the
 * OpenTelemetry packages in the repository's node_modules, as a hoisted install would. The app's
 * own package.json matters: without it the repository's (also named kafka-otel) would be the
 * nearest one, and Node would resolve `kafka-otel/register` to the repository's dist/ instead.
 *
 * The app is TypeScript (scripts/soak/app/), transpiled here to plain CommonJS, so it runs on
 * bare `node` like a production service rather than under a loader such as tsx.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT, SOAK_DIR } from './paths';

const APP_SOURCES = path.join(__dirname, 'app');

export interface AppInstall {
  /** The service's folder: its cwd. */
  appDir: string;
  /** main.js, the service's entry point. */
  entry: string;
  /** Removes the install. */
  dispose(): void;
}

function transpile(file: string): string {
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
    const text = ts.flattenDiagnosticMessageText(problem.messageText, '\n');
    throw new Error(`Cannot compile ${path.relative(REPO_ROOT, file)}: ${text}`);
  }
  return output.outputText;
}

/** Installs the built package and the transpiled app under .local/soak/run-<id>/. */
export function installApp(runId: string): AppInstall {
  const root = path.join(SOAK_DIR, `run-${runId}`);
  const dispose = (): void => fs.rmSync(root, { recursive: true, force: true });
  try {
    const packageDir = path.join(root, 'node_modules', 'kafka-otel');
    fs.mkdirSync(packageDir, { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(packageDir, 'package.json'));
    fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(packageDir, 'dist'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'package.json'),
      `${JSON.stringify({ name: 'kafka-otel-soak-app', private: true }, null, 2)}\n`,
    );
    const appDir = path.join(root, 'app');
    fs.mkdirSync(appDir);
    for (const name of fs.readdirSync(APP_SOURCES).filter((n) => n.endsWith('.ts'))) {
      const output = transpile(path.join(APP_SOURCES, name));
      fs.writeFileSync(path.join(appDir, name.replace(/\.ts$/, '.js')), output);
    }
    return { appDir, entry: path.join(appDir, 'main.js'), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
