//! Finds an entity from what a person types: its id, name, a label in any language or an alias,
//! compared case-insensitively. Unknown names get suggestions; names shared by several entities
//! are reported as ambiguous rather than guessed.

use crate::facts::schema::Entity;
use crate::model::Model;

use super::error::AnalysisError;

/// Every name an entity answers to: id, name, labels and aliases.
fn names(e: &Entity) -> impl Iterator<Item = &str> {
    [e.id.as_str(), e.name.as_str()]
        .into_iter()
        .chain(e.labels.values().map(String::as_str))
        .chain(e.aliases.iter().map(String::as_str))
}

fn show(e: &Entity) -> String {
    format!("`{}` ({})", e.id, e.name)
}

/// Resolves `name` to an entity of `model`'s registry.
pub fn resolve<'a>(model: &'a Model, name: &str) -> Result<&'a Entity, AnalysisError> {
    let wanted = name.trim().to_lowercase();
    if let Some(e) = model.entity_record(name.trim()) {
        return Ok(e);
    }
    let hits: Vec<&Entity> = model
        .entities()
        .filter(|e| names(e).any(|n| n.to_lowercase() == wanted))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(AnalysisError::UnknownEntity {
            name: name.to_string(),
            suggestions: suggest(model, &wanted),
        }),
        many => Err(AnalysisError::AmbiguousEntity {
            name: name.to_string(),
            candidates: many.iter().map(|e| show(e)).collect(),
        }),
    }
}

/// Up to three entities whose names contain the query or are close to it.
fn suggest(model: &Model, wanted: &str) -> Vec<String> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &Entity)> = model
        .entities()
        .filter_map(|e| {
            let best = names(e)
                .map(|n| {
                    let n = n.to_lowercase();
                    if n.contains(wanted) {
                        1.0
                    } else {
                        strsim::jaro_winkler(wanted, &n)
                    }
                })
                .fold(0.0, f64::max);
            (best >= 0.85).then_some((best, e))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    scored.into_iter().take(3).map(|(_, e)| show(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::vocab::EntityKind;

    fn entity(id: &str, name: &str, aliases: &[&str]) -> (String, Entity) {
        (
            id.to_string(),
            Entity {
                aliases: aliases.iter().map(|a| a.to_string()).collect(),
                ..Entity::new(id, EntityKind::AdvocacyGroup, name)
            },
        )
    }

    fn registry() -> Model {
        let entities = [
            entity("eff", "Electronic Frontier Foundation", &["EFF"]),
            entity(
                "aclu",
                "American Civil Liberties Union",
                &["ACLU", "the Union"],
            ),
            entity("nu", "National Union", &["the Union"]),
        ]
        .into();
        Model::build(crate::facts::Corpus {
            entities,
            ..Default::default()
        })
    }

    #[test]
    fn by_id_name_or_alias_ignoring_case() {
        let r = registry();
        assert_eq!(resolve(&r, "eff").unwrap().id, "eff");
        assert_eq!(resolve(&r, "EFF").unwrap().id, "eff");
        assert_eq!(
            resolve(&r, "electronic frontier foundation").unwrap().id,
            "eff"
        );
        assert_eq!(resolve(&r, "Aclu").unwrap().id, "aclu");
    }

    #[test]
    fn ambiguous_and_unknown() {
        let r = registry();
        let e = resolve(&r, "THE UNION").unwrap_err().to_string();
        assert!(
            e.contains("ambiguous") && e.contains("`aclu`") && e.contains("`nu`"),
            "{e}"
        );
        let e = resolve(&r, "Electronic Frontier").unwrap_err().to_string();
        assert!(e.contains("did you mean `eff`"), "{e}");
        let e = resolve(&r, "zzzz").unwrap_err().to_string();
        assert_eq!(e, "no entity is called `zzzz`");
    }
}
