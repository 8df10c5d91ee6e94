//! CSV export (RFC 4180, <https://www.rfc-editor.org/rfc/rfc4180>): a folder of three UTF-8 tables
//! with a header row and CRLF line ends, for spreadsheets, Gephi's spreadsheet import, R and pandas.
//!
//! - `nodes.csv`: one row per entity (`id` + the node attributes).
//! - `edges.csv`: one row per edge (`id`, `source`, `target`, then `type` = `Directed` and `kind` =
//!   the predicate, which Gephi's spreadsheet import reads as direction and edge type, then the
//!   edge attributes); several claims' values share a cell, joined with `" | "`.
//! - `claims.csv`: one row per claim and evidence quote, so each quote has its own row with its
//!   source, qualifiers and position in the source text: the tidy table for analysis.

use std::path::{Path, PathBuf};

use super::{ExportError, Table, EDGE_ATTRS, NODE_ATTRS};
use crate::model::Model;

/// CSV rows in memory, written by the `csv` crate: a field is quoted only when it holds a comma,
/// a double quote or a line break, its quotes doubled.
pub struct Rows(csv::Writer<Vec<u8>>);

impl Rows {
    /// Rows ended by CRLF, as RFC 4180 says (the export tables).
    pub fn crlf() -> Rows {
        Rows::new(csv::Terminator::CRLF)
    }

    /// Rows ended by LF, as most tools expect (the analysis tables).
    pub fn lf() -> Rows {
        Rows::new(csv::Terminator::Any(b'\n'))
    }

    fn new(terminator: csv::Terminator) -> Rows {
        let builder = csv::WriterBuilder::new()
            .terminator(terminator)
            .flexible(true)
            .from_writer(Vec::new());
        Rows(builder)
    }

    /// Appends one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.0
            .write_record(cells.iter().map(|c| c.as_ref()))
            .expect("writing to memory cannot fail");
    }

    /// The rows written so far.
    pub fn into_string(self) -> String {
        let bytes = self.0.into_inner().expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("UTF-8 fields make UTF-8 rows")
    }
}

/// Column names of `claims.csv`.
pub const CLAIM_COLUMNS: &[&str] = &[
    "edge_id",
    "source",
    "source_title",
    "source_date",
    "source_url",
    "statement_id",
    "subject",
    "predicate",
    "object",
    "certainty",
    "attributed_to",
    "stance",
    "role",
    "date",
    "quantity",
    "quantity_lower",
    "quantity_upper",
    "quantity_approximate",
    "quantity_wording",
    "note",
    "quote",
    "quote_start",
    "quote_end",
    "quote_line",
];

/// The three tables as (file name, contents), in a fixed order.
pub fn files(model: &Model) -> Vec<(&'static str, String)> {
    let table = Table::new(model);
    let mut nodes = Rows::crlf();
    let header: Vec<&str> = std::iter::once("id")
        .chain(NODE_ATTRS.iter().map(|a| a.name))
        .collect();
    nodes.row(&header);
    for n in &table.nodes {
        let mut cells = vec![n.id.clone()];
        cells.extend(NODE_ATTRS.iter().map(|a| n.text(a.name)));
        nodes.row(&cells);
    }

    let mut edges = Rows::crlf();
    let header: Vec<&str> = ["id", "source", "target", "type", "kind"]
        .into_iter()
        .chain(EDGE_ATTRS.iter().map(|a| a.name))
        .collect();
    edges.row(&header);
    let mut claims = Rows::crlf();
    claims.row(CLAIM_COLUMNS);
    for e in &table.edges {
        let (s, o) = e.source_target();
        let mut cells = vec![
            e.id.clone(),
            s.clone(),
            o.clone(),
            "Directed".to_string(),
            e.text("predicate"),
        ];
        cells.extend(EDGE_ATTRS.iter().map(|a| e.text(a.name)));
        edges.row(&cells);

        for c in e.claims {
            let st = &c.statement();
            let src = model.source(c.source());
            let q = st.quantity.as_ref();
            let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
            let head = [
                e.id.clone(),
                c.source().to_string(),
                src.map(|s| s.source.title.clone()).unwrap_or_default(),
                src.map(|s| s.date.to_string()).unwrap_or_default(),
                src.and_then(|s| s.source.url.clone()).unwrap_or_default(),
                c.statement_id().to_string(),
                s.clone(),
                st.predicate.slug().to_string(),
                o.clone(),
                st.certainty.slug().to_string(),
                st.attributed_to.clone().unwrap_or_default(),
                st.stance.map(|s| s.slug()).unwrap_or_default().to_string(),
                st.role.clone().unwrap_or_default(),
                st.date.clone().unwrap_or_default(),
                num(q.map(|q| q.value)),
                num(q.and_then(|q| q.lower)),
                num(q.and_then(|q| q.upper)),
                q.map(|q| q.approximate.to_string()).unwrap_or_default(),
                q.and_then(|q| q.wording.clone()).unwrap_or_default(),
                st.note.clone().unwrap_or_default(),
            ];
            for p in c.evidence() {
                let mut cells = head.to_vec();
                cells.extend([
                    p.exact.clone(),
                    p.start.to_string(),
                    p.end.to_string(),
                    p.line.to_string(),
                ]);
                claims.row(&cells);
            }
        }
    }
    vec![
        ("nodes.csv", nodes.into_string()),
        ("edges.csv", edges.into_string()),
        ("claims.csv", claims.into_string()),
    ]
}

/// Writes the tables into `dir` (created if missing) and returns the paths written.
pub fn write_dir(model: &Model, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, contents) in files(model) {
        let path = dir.join(name);
        std::fs::write(&path, contents).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::Rows;

    #[test]
    fn quotes_only_what_needs_it() {
        let mut rows = Rows::crlf();
        rows.row(&["plain «é»", "a,b", "say \"hi\"\nbye", "cr\r", ""]);
        let want = "plain «é»,\"a,b\",\"say \"\"hi\"\"\nbye\",\"cr\r\",\r\n";
        assert_eq!(rows.into_string(), want);
        let mut rows = Rows::lf();
        rows.row(&["a", "b"]);
        assert_eq!(rows.into_string(), "a,b\n");
    }
}
