//! Exports for the tools researchers already use: GraphML (Gephi, yEd, Cytoscape), GEXF 1.3
//! (Gephi), CSV tables (spreadsheets, Gephi, R, pandas), Kumu blueprints and Cytoscape.js JSON.
//! Attribute meanings are documented in `docs/INTEROP.md`.
//!
//! Every format is written from one [`Table`]: a node per entity of the registry and an edge per
//! statement edge of the [`Model`](crate::model::Model) (same subject, predicate and object across
//! sources merged, with one claim per source statement). Sources and quotes become edge attributes
//! rather than nodes, so the graph a tool lays out is the network of actors, not a bibliography.
//! Statements whose object is a literal value have no edge and are left out (they are in the RDF
//! export).
//!
//! Output is deterministic: nodes sorted by id, edges in the model's sorted order, attributes in
//! the declared order of [`NODE_ATTRS`] and [`EDGE_ATTRS`].

pub mod csv;
pub mod cytoscape;
pub mod error;
pub mod gexf;
pub mod graphml;
pub mod kumu;

mod table;

pub use error::ExportError;
pub use table::{
    group_color, Attr, AttrType, Row, Table, Value, EDGE_ATTRS, LIST_SEPARATOR, NODE_ATTRS,
};

pub use crate::xml::{xml_attr, xml_text};

/// A JSON object that keeps its keys in insertion order (serde_json's own map sorts them).
#[derive(Clone, Debug, Default)]
pub struct JsonObject(pub Vec<(String, Json)>);

/// A value inside a [`JsonObject`].
#[derive(Clone, Debug)]
pub enum Json {
    /// A plain JSON value.
    Value(serde_json::Value),
    /// A nested ordered object.
    Object(JsonObject),
    /// An array of ordered objects.
    Objects(Vec<JsonObject>),
}

impl<T: Into<serde_json::Value>> From<T> for Json {
    fn from(v: T) -> Self {
        Json::Value(v.into())
    }
}

impl JsonObject {
    /// Appends a key.
    pub fn put(&mut self, key: &str, value: impl Into<Json>) {
        self.0.push((key.to_string(), value.into()));
    }

    /// Appends a nested object.
    pub fn put_object(&mut self, key: &str, value: JsonObject) {
        self.0.push((key.to_string(), Json::Object(value)));
    }

    /// Appends an array of objects.
    pub fn put_objects(&mut self, key: &str, value: Vec<JsonObject>) {
        self.0.push((key.to_string(), Json::Objects(value)));
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Value(v) => v.serialize(s),
            Json::Object(o) => o.serialize(s),
            Json::Objects(v) => v.serialize(s),
        }
    }
}

impl serde::Serialize for JsonObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Pretty-prints a serialisable value as JSON, with a final newline.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serialising maps of strings and JSON values cannot fail.
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}
