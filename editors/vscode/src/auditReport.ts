// "mlaudit: Audit workspace": asks the server for the maturity report (mlaudit.audit) and shows
// the Markdown in VS Code's Markdown preview, or the self-contained HTML page in a webview.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageServer } from './languageServer';

export type ReportFormat = 'md' | 'html';

export interface AuditArguments {
  format?: ReportFormat;
  folder?: vscode.Uri;
}

interface AuditResult {
  content: string;
  path: string | null;
}

export class AuditReport {
  private htmlPanel: vscode.WebviewPanel | undefined;

  constructor(private readonly server: LanguageServer, private readonly storage: vscode.Uri) {}

  async run(args: AuditArguments = {}): Promise<void> {
    const folder = args.folder ?? (await pickFolder());
    if (!folder) return;
    const format = args.format ?? (await pickFormat());
    if (!format) return;
    const name = path.basename(folder.fsPath);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `mlaudit: auditing ${name}` },
      () => this.server.executeCommand<AuditResult>('mlaudit.audit', { folder: folder.toString(), format }),
    ).then(undefined, (e) => {
      void vscode.window.showErrorMessage(`mlaudit: the audit of ${name} failed: ${e?.message ?? e}`);
      return undefined;
    });
    if (!result) return;
    if (format === 'md') await this.showMarkdown(name, folder, result.content);
    else this.showHtml(name, result.content);
  }

  // The preview needs a document; a file in the extension's storage keeps the workspace clean
  // and is rewritten in place by the next audit, which refreshes an open preview.
  private async showMarkdown(name: string, folder: vscode.Uri, content: string): Promise<void> {
    const dir = vscode.Uri.joinPath(this.storage, 'reports');
    await vscode.workspace.fs.createDirectory(dir);
    const file = vscode.Uri.joinPath(dir, `${safeName(name)}-${shortHash(folder.toString())}-audit.md`);
    await vscode.workspace.fs.writeFile(file, Buffer.from(content, 'utf8'));
    await vscode.commands.executeCommand('markdown.showPreview', file);
  }

  private showHtml(name: string, content: string): void {
    if (!this.htmlPanel) {
      this.htmlPanel = vscode.window.createWebviewPanel('mlaudit.report', `mlaudit audit: ${name}`,
        vscode.ViewColumn.Active, { enableScripts: false, enableFindWidget: true });
      this.htmlPanel.onDidDispose(() => { this.htmlPanel = undefined; });
    }
    this.htmlPanel.title = `mlaudit audit: ${name}`;
    this.htmlPanel.webview.html = withContentSecurityPolicy(content);
    this.htmlPanel.reveal();
  }
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('mlaudit: open a folder to audit it.');
    return undefined;
  }
  if (folders.length === 1) return folders[0].uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to audit' }))?.uri;
}

async function pickFormat(): Promise<ReportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ReportFormat })[] = [
    { label: 'Markdown', description: 'the audit template filled in, in the Markdown preview', format: 'md' },
    { label: 'HTML', description: 'a self-contained page with a radar chart, in a webview', format: 'html' },
  ];
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Report format' }))?.format;
}

// The report is static (no scripts); only inline styles and data: images may load.
function withContentSecurityPolicy(html: string): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">`;
  return /<head>/i.test(html) ? html.replace(/<head>/i, `<head>\n${csp}`) : csp + html;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'workspace';
}

function shortHash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}
