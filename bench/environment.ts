/**
 * What a reader needs to judge or reproduce the figures: the machine, and the exact kafka-otel
 * code (commit, and whether the tree had changes). Each benchmark adds the versions on its path.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
}

export interface CodeVersion {
  packageVersion: string;
  commit: string;
  /** The git ref the package was built from, when not the working tree (--git-ref). */
  gitRef: string | undefined;
  /** Files with uncommitted changes (git status --porcelain), when the tree is dirty. */
  changedFiles: string[];
  /** Whether any of those are under src/, i.e. the measured code differs from the commit. */
  sourcesChanged: boolean;
}

/** The version npm installed (read from node_modules: some packages do not export package.json). */
export function installedVersion(name: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', ...name.split('/'), 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
}

/**
 * The commit and working-tree state of the code measured; call it right before building, when
 * the code is captured. Built from a git ref, the code is that commit's, changes or not.
 */
export function readCodeVersion(gitRef: string | undefined): CodeVersion {
  const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  try {
    if (gitRef !== undefined) {
      return {
        packageVersion: packageJson.version,
        commit: git(['rev-parse', '--short', `${gitRef}^{commit}`]).trim(),
        gitRef,
        changedFiles: [],
        sourcesChanged: false,
      };
    }
    const changedFiles = git(['status', '--porcelain'])
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(3));
    return {
      packageVersion: packageJson.version,
      commit: git(['rev-parse', '--short', 'HEAD']).trim(),
      gitRef: undefined,
      changedFiles,
      sourcesChanged: changedFiles.some((file) => file.startsWith('src/')),
    };
  } catch {
    return {
      packageVersion: packageJson.version,
      commit: 'unknown (no git)',
      gitRef,
      changedFiles: [],
      sourcesChanged: false,
    };
  }
}

function operatingSystem(): string {
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
    if (pretty) return `${pretty}, ${os.type()} ${os.release()} ${os.arch()}`;
  } catch {
    // Not Linux, or a minimal container: the kernel line below is all there is.
  }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

export function readMachineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: operatingSystem(),
  };
}
