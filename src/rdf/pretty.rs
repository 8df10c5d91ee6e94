//! Pretty-printing of a large JSON array (<https://www.rfc-editor.org/rfc/rfc8259>) one element
//! at a time: the same bytes as `serde_json::to_vec_pretty` of the whole document, without
//! holding the whole document as a `serde_json::Value` (for a 10⁶-quad JSON-LD file, that value
//! alone took gigabytes).

use std::fmt;

use serde::de::{Deserializer, Error as _, SeqAccess, Visitor};

/// `serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(json)?)`, element by element when
/// the document is an array.
pub fn pretty(json: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    let first = json.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'[') {
        let v: serde_json::Value = serde_json::from_slice(json)?;
        return serde_json::to_vec_pretty(&v);
    }
    let mut out = Vec::with_capacity(json.len() + json.len() / 2);
    let mut de = serde_json::Deserializer::from_slice(json);
    de.deserialize_seq(Elements { out: &mut out })?;
    de.end()?;
    Ok(out)
}

struct Elements<'a> {
    out: &'a mut Vec<u8>,
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut empty = true;
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            self.out
                .extend_from_slice(if empty { b"[\n  " } else { b",\n  " });
            empty = false;
            let element = serde_json::to_vec_pretty(&v).map_err(A::Error::custom)?;
            // Strings hold no raw newline (JSON escapes it), so every newline is layout.
            for b in element {
                self.out.push(b);
                if b == b'\n' {
                    self.out.extend_from_slice(b"  ");
                }
            }
        }
        self.out
            .extend_from_slice(if empty { b"[]" } else { b"\n]" });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_as_serde_json() {
        for json in [
            r#"[]"#,
            r#"  [ ]"#,
            r#"{"b": 1, "a": [1, {"y": [], "x": {}}]}"#,
            r#"[{"@id": "x", "b": [{"@value": "a\nb \"q\" é \u0001"}], "a": [[], {}, 1.5, null]}]"#,
            r#"[1, "two", [3, [4]], {"z": {"y": {"x": []}}}, true]"#,
        ] {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            let expected = serde_json::to_vec_pretty(&v).unwrap();
            let got = pretty(json.as_bytes()).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        assert!(pretty(b"[1, 2").is_err());
        assert!(pretty(b"[1] 2").is_err());
    }
}
