"""`coalition lsp` under pytest-lsp, a real LSP client (pygls/lsprotocol), with the capabilities of
VS Code: every feature on a copy of the seed. Run by tests/lsp.rs, which sets COALITION_BIN and
COALITION_ROOT (a temporary folder holding `seeds/`)."""

import asyncio
import os
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(os.environ.get("COALITION_ROOT", ".")).resolve()
SOURCE = ROOT / "seeds/sources/afp-2018-05-rekognition-letter.yaml"
REGISTRY = ROOT / "seeds/entities.yaml"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[os.environ.get("COALITION_BIN", "coalition"), "lsp"])
)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ROOT.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def at(text: str, needle: str, shift: int = 0) -> t.Position:
    i = text.index(needle)
    line = text.count("\n", 0, i)
    col = len(text[text.rfind("\n", 0, i) + 1 : i].encode("utf-16-le")) // 2
    return t.Position(line=line, character=col + shift)


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    return uri


async def diagnostics_after(client: LanguageClient, uri: str):
    """The next diagnostics published for `uri` (the caller popped the previous ones)."""
    for _ in range(600):
        if uri in client.diagnostics:
            return client.diagnostics.pop(uri)
        await asyncio.sleep(0.05)
    raise TimeoutError(f"no diagnostics for {uri}")


@pytest.mark.asyncio
async def test_diagnostics_follow_the_buffers_across_files(client: LanguageClient):
    text = SOURCE.read_text()
    edited = text.replace("  - subject: eff\n", "  - subject: efff\n", 1)
    uri = open_doc(client, SOURCE, edited)
    diags = await diagnostics_after(client, uri)
    assert [d.code for d in diags] == ["C007"]
    assert diags[0].range.start == at(edited, "efff")
    assert diags[0].message.startswith("unknown entity `efff`")
    reg = REGISTRY.read_text() + "\n  - id: efff\n    kind: advocacy_group\n    name: E\n"
    client.diagnostics.pop(uri, None)
    open_doc(client, REGISTRY, reg)
    assert list(await diagnostics_after(client, uri)) == []


@pytest.mark.asyncio
async def test_completion_hover_definition_references_symbols(client: LanguageClient):
    text = SOURCE.read_text()
    uri = open_doc(client, SOURCE, text)
    doc = t.TextDocumentIdentifier(uri=uri)
    items = await client.text_document_completion_async(
        t.CompletionParams(text_document=doc, position=at(text, "subject: aclu\n", 13))
    )
    labels = {i.label: i for i in items}
    assert labels["aclu"].detail == "American Civil Liberties Union (advocacy group)"
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=doc, position=at(text, "subject: aclu\n", 10))
    )
    assert "Q21637" in hover.contents.value
    found = await client.text_document_definition_async(
        t.DefinitionParams(text_document=doc, position=at(text, "subject: aclu\n", 10))
    )
    assert found.uri == REGISTRY.as_uri()
    refs = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=doc,
            position=at(text, "subject: aclu\n", 10),
            context=t.ReferenceContext(include_declaration=False),
        )
    )
    assert len(refs) >= 2 and all(r.uri == uri for r in refs)
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=doc)
    )
    assert "aclu — published → aclu-rekognition-records" in [s.name for s in symbols]


@pytest.mark.asyncio
async def test_quick_fix_and_unsupported_requests(client: LanguageClient):
    text = SOURCE.read_text().replace(
        "quote: Ils ont envoyé une lettre à la direction d'Amazon",
        "quote: Ils ont envoyé une lettre à la direction d’amazon",
        1,
    )
    uri = open_doc(client, SOURCE, text)
    diags = await diagnostics_after(client, uri)
    assert [d.code for d in diags] == ["C010"]
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=diags[0].range,
            context=t.CodeActionContext(diagnostics=diags),
        )
    )
    assert [a.title for a in actions] == ["use the source's exact text"]
    edit = actions[0].edit.changes[uri][0]
    assert edit.new_text == "Ils ont envoyé une lettre à la direction d'Amazon"
    with pytest.raises(Exception, match="does not support"):
        await client.text_document_formatting_async(
            t.DocumentFormattingParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                options=t.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
