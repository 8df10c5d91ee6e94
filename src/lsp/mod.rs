//! `coalition lsp`: a Language Server Protocol server for the fact files, over stdio
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/>),
//! built on `lsp-server` (synchronous, as in rust-analyzer).
//!
//! One thread: messages are handled in order; after a burst of edits (every message already
//! queued), the corpus is checked once with the open buffers laid over the disk, and the
//! diagnostics of every file are published. A request after an edit sees the fresh check.
//! A handler that panics answers `InternalError`; the server goes on.

mod actions;
mod completion;
mod cursor;
mod definition;
mod diagnostics;
mod hover;
mod symbols;
pub mod workspace;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as n, Notification as _};
use lsp_types::request::{self as r, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, HoverProviderCapability,
    InitializeParams, MessageType, OneOf, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use workspace::{path_to_uri, uri_to_path, Workspace};

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client broke the protocol (for instance, no `initialize` first).
    #[error("LSP protocol error")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// Reading or writing stdio failed.
    #[error("LSP stdio")]
    Io(#[from] std::io::Error),
    /// A message could not be encoded.
    #[error("LSP message")]
    Json(#[from] serde_json::Error),
}

/// Serves the client on stdin/stdout until it says `exit` or closes the pipe.
pub fn run_stdio() -> Result<(), LspError> {
    let (conn, io) = Connection::stdio();
    serve(&conn)?;
    drop(conn);
    io.join()?;
    Ok(())
}

/// The capabilities this server announces.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Runs the protocol on `conn`: the handshake, then the message loop.
pub fn serve(conn: &Connection) -> Result<(), LspError> {
    let init = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo { name: "coalition".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    let (id, params) = conn.initialize_start().map_err(|e| {
        if e.channel_is_disconnected() {
            closed()
        } else {
            LspError::Protocol(e)
        }
    })?;
    conn.initialize_finish(id, init)?;
    let params: Option<InitializeParams> = serde_json::from_value(params).ok();
    let mut server = Server {
        ws: Workspace::new(params.as_ref().and_then(root_of)),
        published: BTreeSet::new(),
        stale: true,
        unpublished: true,
        conn,
    };
    if server.ws.facts.is_none() {
        server.notify::<n::ShowMessage>(ShowMessageParams {
            typ: MessageType::WARNING,
            message: diagnostics::no_facts_message(&server.ws),
        })?;
    }
    while let Ok(msg) = conn.receiver.recv() {
        if server.handle(msg)? {
            return Ok(());
        }
        // Apply every edit already queued before checking: fast typing costs one check.
        while let Ok(msg) = conn.receiver.try_recv() {
            if server.handle(msg)? {
                return Ok(());
            }
        }
        if server.unpublished {
            server.publish()?;
        }
    }
    Ok(())
}

#[allow(deprecated)] // `root_uri` and `root_path` are what older clients send
fn root_of(p: &InitializeParams) -> Option<PathBuf> {
    let folder = p.workspace_folders.as_ref().and_then(|f| f.first());
    folder
        .and_then(|f| uri_to_path(&f.uri))
        .or_else(|| p.root_uri.as_ref().and_then(uri_to_path))
        .or_else(|| p.root_path.as_ref().map(PathBuf::from))
}

struct Server<'c> {
    ws: Workspace,
    /// Files that were last sent non-empty diagnostics.
    published: BTreeSet<PathBuf>,
    /// The buffers or files changed since the last check.
    stale: bool,
    /// The last check's diagnostics were not sent yet.
    unpublished: bool,
    conn: &'c Connection,
}

impl Server<'_> {
    /// Handles one message; `true` when the client asked to exit.
    fn handle(&mut self, msg: Message) -> Result<bool, LspError> {
        match msg {
            Message::Request(req) => {
                if self.conn.handle_shutdown(&req)? {
                    return Ok(true);
                }
                self.refresh();
                let resp = self.answer(req);
                self.conn
                    .sender
                    .send(Message::Response(resp))
                    .map_err(|_| closed())?;
            }
            Message::Notification(note) => {
                if note.method == n::Exit::METHOD {
                    return Ok(true);
                }
                self.notification(note);
            }
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn refresh(&mut self) {
        if self.stale {
            self.ws.recheck();
            self.stale = false;
        }
    }

    fn changed(&mut self) {
        self.stale = true;
        self.unpublished = true;
    }

    fn notification(&mut self, note: Notification) {
        match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(note.params) {
                    if let Some(path) = uri_to_path(&p.text_document.uri) {
                        self.ws.set_buffer(path, p.text_document.text);
                        self.changed();
                    }
                }
            }
            n::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(note.params) {
                    let path = uri_to_path(&p.text_document.uri);
                    // Full sync: the last change holds the whole text.
                    if let (Some(path), Some(c)) = (path, p.content_changes.into_iter().last()) {
                        self.ws.set_buffer(path, c.text);
                        self.changed();
                    }
                }
            }
            n::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(note.params) {
                    if let Some(path) = uri_to_path(&p.text_document.uri) {
                        self.ws.buffers.remove(&path);
                        self.changed();
                    }
                }
            }
            // The disk changed under the buffers: saved files, files changed by other tools.
            n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => self.changed(),
            _ => {}
        }
    }

    fn answer(&self, req: Request) -> Response {
        let id = req.id.clone();
        let ws = &self.ws;
        let result = catch_unwind(AssertUnwindSafe(|| match req.method.as_str() {
            r::Completion::METHOD => {
                with_position(req, |path, p| completion::complete(ws, &path, p.position))
            }
            r::HoverRequest::METHOD => {
                with_position(req, |path, p| hover::hover(ws, &path, p.position))
            }
            r::GotoDefinition::METHOD => {
                with_position(req, |path, p| definition::definition(ws, &path, p.position))
            }
            r::References::METHOD => params(req, |p: lsp_types::ReferenceParams| {
                let tdp = p.text_document_position;
                let path = uri_to_path(&tdp.text_document.uri)?;
                let decl = p.context.include_declaration;
                definition::references(ws, &path, tdp.position, decl)
            }),
            r::CodeActionRequest::METHOD => params(req, |p: lsp_types::CodeActionParams| {
                let path = uri_to_path(&p.text_document.uri)?;
                Some(actions::actions(ws, &path, &p))
            }),
            r::DocumentSymbolRequest::METHOD => {
                params(req, |p: lsp_types::DocumentSymbolParams| {
                    let path = uri_to_path(&p.text_document.uri)?;
                    Some(symbols::symbols(ws, &path))
                })
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("coalition lsp does not support `{other}`"),
            )),
        }));
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, msg))) => Response::new_err(id, code as i32, msg),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "coalition lsp failed on this request (a bug: please report it)".into(),
            ),
        }
    }

    /// Checks the corpus and publishes every file's diagnostics (empty lists clear old ones).
    fn publish(&mut self) -> Result<(), LspError> {
        self.refresh();
        self.unpublished = false;
        let all = diagnostics::by_file(&self.ws, &self.published);
        self.published.clear();
        for (path, diags) in all {
            let Some(uri) = path_to_uri(&path) else {
                continue;
            };
            if !diags.is_empty() {
                self.published.insert(path);
            }
            self.notify::<n::PublishDiagnostics>(PublishDiagnosticsParams {
                uri,
                diagnostics: diags,
                version: None,
            })?;
        }
        Ok(())
    }

    fn notify<N: n::Notification>(&self, params: N::Params) -> Result<(), LspError>
    where
        N::Params: Serialize,
    {
        let note = Notification::new(N::METHOD.to_string(), params);
        self.conn
            .sender
            .send(Message::Notification(note))
            .map_err(|_| closed())
    }
}

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

/// Decodes the request's parameters and encodes the handler's result (`null` for `None`).
fn params<P: DeserializeOwned, R: Serialize>(
    req: Request,
    f: impl FnOnce(P) -> Option<R>,
) -> Answer {
    let p: P = serde_json::from_value(req.params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))?;
    serde_json::to_value(f(p)).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn with_position<R: Serialize>(
    req: Request,
    f: impl FnOnce(PathBuf, TextDocumentPositionParams) -> Option<R>,
) -> Answer {
    params(req, |p: TextDocumentPositionParams| {
        let path = uri_to_path(&p.text_document.uri)?;
        f(path, p)
    })
}

fn closed() -> LspError {
    LspError::Io(std::io::Error::new(
        std::io::ErrorKind::BrokenPipe,
        "the client closed the connection",
    ))
}
