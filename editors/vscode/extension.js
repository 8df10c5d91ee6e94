// Starts `coalition lsp` (a language server over stdio) for the YAML fact files of the workspace.
// See docs/EDITORS.md.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("coalition").get("path") || "coalition";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "coalition",
    "Coalition fact files",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "yaml" }],
      synchronize: {
        // Saved or replaced fact files and source texts re-run the checker.
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{yaml,yml,txt}"),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
