// A status bar item with the workspace's overall maturity level (server command
// mlaudit.maturity); clicking it opens the Markdown report. Refreshed when the server has
// started and, debounced, after saves and file creations/deletions, and when settings change.
import * as vscode from 'vscode';
import { LanguageServer } from './languageServer';

interface Maturity {
  overall: number | null;
  areas: Record<string, number | null>;
}

// Each refresh audits the folder from disk: saves in quick succession share one.
const DEBOUNCE_MS = 2000;

export class MaturityStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlaudit.maturity', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private again = false;
  private shown: string | undefined; // the folder whose level the item shows

  constructor(private readonly server: LanguageServer, openReportCommand: string) {
    this.item.name = 'mlaudit maturity';
    this.item.command = { title: 'Open the mlaudit report', command: openReportCommand, arguments: [{ format: 'md' }] };
    this.item.text = '$(sync~spin) ML maturity';
    this.item.tooltip = 'mlaudit: computing the maturity level';
    this.disposables.push(
      server.onDidStart(() => this.refreshSoon(0)),
      vscode.workspace.onDidSaveTextDocument(() => this.refreshSoon()),
      vscode.workspace.onDidCreateFiles(() => this.refreshSoon()),
      vscode.workspace.onDidDeleteFiles(() => this.refreshSoon()),
      vscode.workspace.onDidRenameFiles(() => this.refreshSoon()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refreshSoon()),
      // Multi-root: the item follows the folder of the active editor.
      vscode.window.onDidChangeActiveTextEditor(() => { if (currentFolder()?.uri.toString() !== this.shown) this.refreshSoon(0); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('mlaudit')) this.refreshSoon(); }),
    );
  }

  refreshSoon(delay = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, delay);
  }

  // One request at a time; a trigger that arrives meanwhile runs one more afterwards.
  private async refresh(): Promise<void> {
    if (this.inFlight) { this.again = true; return; }
    const folder = currentFolder();
    if (!folder || !this.server.isRunning()) { this.item.hide(); return; }
    this.inFlight = true;
    try {
      const maturity = await this.server.executeCommand<Maturity>('mlaudit.maturity', { folder: folder.uri.toString() });
      this.show(folder, maturity);
    } catch (e) {
      this.item.text = '$(warning) ML maturity';
      this.item.tooltip = `mlaudit: the maturity level is unavailable: ${(e as Error)?.message ?? e}`;
      this.item.show();
    } finally {
      this.inFlight = false;
      if (this.again) { this.again = false; this.refreshSoon(0); }
    }
  }

  private show(folder: vscode.WorkspaceFolder, maturity: Maturity): void {
    this.shown = folder.uri.toString();
    const level = maturity.overall;
    this.item.text = level === null ? '$(circle-slash) ML maturity: n/a' : `$(pulse) ML maturity ${level}/5`;
    const tooltip = new vscode.MarkdownString(`**mlaudit** — ${folder.name}: overall maturity `
      + (level === null ? 'not assessable' : `level ${level} of 5`) + '\n\n| area | level |\n|---|---|\n');
    for (const [area, areaLevel] of Object.entries(maturity.areas)) tooltip.appendMarkdown(`| ${area} | ${areaLevel ?? 'n/a'} |\n`);
    tooltip.appendMarkdown('\nClick to open the report.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function currentFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) || vscode.workspace.workspaceFolders?.[0];
}
