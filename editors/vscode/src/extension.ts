// The mlaudit extension: the language client for `mlaudit server`, the audit report command and
// the maturity status bar item.
import * as vscode from 'vscode';
import { AuditArguments, AuditReport } from './auditReport';
import { LanguageServer } from './languageServer';
import { MaturityStatus } from './maturityStatus';

let server: LanguageServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('mlaudit');
  server = new LanguageServer(context.extensionPath, output);
  const report = new AuditReport(server, context.globalStorageUri);
  const status = new MaturityStatus(server, 'mlaudit.auditWorkspace');
  context.subscriptions.push(
    output,
    server,
    status,
    vscode.commands.registerCommand('mlaudit.auditWorkspace', (args?: AuditArguments) => report.run(args)),
    vscode.commands.registerCommand('mlaudit.restartServer', () => server?.restart()),
    vscode.commands.registerCommand('mlaudit.showOutput', () => output.show(true)),
    // The binary is chosen at start; other settings reach the running server without a restart.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mlaudit.path')) void server?.restart();
    }),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
