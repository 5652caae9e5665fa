// Which mlaudit binary to start: the `mlaudit.path` setting, else the binary bundled in the
// extension's bin/ (a release .vsix may carry one), else `mlaudit` found on PATH by the OS.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface ServerBinary {
  command: string;
  origin: 'setting' | 'bundled' | 'PATH';
}

export function resolveServerBinary(extensionPath: string): ServerBinary {
  const configured = vscode.workspace.getConfiguration('mlaudit').get<string>('path', '').trim();
  if (configured) return { command: expandPath(configured), origin: 'setting' };
  const bundled = path.join(extensionPath, 'bin', process.platform === 'win32' ? 'mlaudit.exe' : 'mlaudit');
  if (fs.existsSync(bundled)) {
    ensureExecutable(bundled);
    return { command: bundled, origin: 'bundled' };
  }
  return { command: 'mlaudit', origin: 'PATH' };
}

// `~/bin/mlaudit` and paths relative to the first workspace folder, as users type them.
function expandPath(p: string): string {
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  if (!path.isAbsolute(p) && p.includes('/')) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder && folder.uri.scheme === 'file') p = path.join(folder.uri.fsPath, p);
  }
  return p;
}

// A .vsix is a zip; not every tool that unpacks it keeps the executable bit.
function ensureExecutable(file: string): void {
  if (process.platform === 'win32') return;
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try { fs.chmodSync(file, 0o755); } catch { /* the start error will say why */ }
  }
}
