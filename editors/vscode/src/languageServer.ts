// Owns the LanguageClient: starts `mlaudit server` over stdio, restarts it (re-resolving the
// binary, so a changed `mlaudit.path` takes effect), and runs the server's workspace commands.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { resolveServerBinary } from './serverPath';
import { serverSettings } from './settings';

// Files the server has an analyzer for (it picks the analyzer by file name, not by languageId,
// so requirements files count even when VS Code calls them plaintext).
const documentSelector = [
  { scheme: 'file', language: 'python' },
  // JS/TS LLM apps (openai, @anthropic-ai/sdk, LangChain.js, the Vercel AI SDK): same rules.
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'typescriptreact' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'file', pattern: '**/{requirements,constraints}*.{txt,in}' },
  { scheme: 'file', pattern: '**/requirements/*.{txt,in}' },
  { scheme: 'file', pattern: '**/pyproject.toml' },
  { scheme: 'file', pattern: '**/{MLproject,dvc.yaml,params.yaml}' },
];

export class LanguageServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly running = new vscode.EventEmitter<void>();
  /** Fires each time a (re)started server has finished initializing. */
  readonly onDidStart = this.running.event;

  constructor(private readonly extensionPath: string, readonly output: vscode.OutputChannel) {}

  async start(): Promise<void> {
    const binary = resolveServerBinary(this.extensionPath);
    this.output.appendLine(`Starting ${binary.command} server (from ${binary.origin})`);
    const serverOptions: ServerOptions = { command: binary.command, args: ['server'] };
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      initializationOptions: serverSettings(),
      synchronize: { configurationSection: 'mlaudit' },
      outputChannel: this.output,
      traceOutputChannel: this.output,
    };
    const client = new LanguageClient('mlaudit', 'mlaudit', serverOptions, clientOptions);
    client.onDidChangeState((e) => { if (e.newState === State.Running) this.running.fire(); });
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.client = undefined;
      const message = binary.origin === 'PATH'
        ? `mlaudit: could not start "mlaudit server" (is mlaudit on PATH?). Set mlaudit.path to the binary. ${e}`
        : `mlaudit: could not start ${binary.command} (from ${binary.origin}): ${e}`;
      this.output.appendLine(message);
      const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'mlaudit.path');
      else if (choice === 'Show Output') this.output.show(true);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try { await client.stop(); } catch (e) { this.output.appendLine(`Stopping the server: ${e}`); }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  /** workspace/executeCommand on the server (mlaudit.audit, mlaudit.maturity). */
  async executeCommand<T>(command: string, argument: object): Promise<T> {
    if (!this.client || !this.isRunning()) throw new Error('the mlaudit server is not running');
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }) as Promise<T>;
  }

  dispose(): void {
    void this.stop();
    this.running.dispose();
  }
}
