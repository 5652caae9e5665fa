// The settings the server reads (camelCase keys, as in ../shared/design.md). Sent as
// initializationOptions at start; later changes reach the running server through
// workspace/didChangeConfiguration (synchronize.configurationSection) and workspace/configuration.
import * as vscode from 'vscode';

export interface ServerSettings {
  targetLevel?: number;
  select: string[];
  ignore: string[];
  relevance: string;
}

export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration('mlaudit', scope);
  const settings: ServerSettings = {
    select: config.get<string[]>('select', []),
    ignore: config.get<string[]>('ignore', []),
    relevance: config.get<string>('relevance', 'auto'),
  };
  const target = config.get<number | null>('targetLevel', null);
  if (typeof target === 'number') settings.targetLevel = target;
  return settings;
}
