//! A query's final `ORDER BY` (<https://www.w3.org/TR/sparql11-query/#modOrderBy>) sorted here
//! rather than by the engine, when the answer is the same byte for byte.
//!
//! spareval 0.2.9 evaluates the sort keys on every comparison; on the RocksDB store each string
//! key is a disk read, so `who-signed` spent half of its 4–5 s at 10,000 sources comparing. Here
//! each row is decoded once and the keys are compared as the engine compares them (`cmp_terms`
//! in spareval's `eval.rs`: unbound < blank node < IRI < literal; strings by value, then
//! datatype, then language). The engine's sort is unstable, so the order of differing rows whose
//! keys tie is its own: then, and for keys that are not IRIs, blank nodes or strings (numbers,
//! dates: the engine compares them by value), [`Plan::sort`] gives up and the caller asks the
//! engine.

use std::cmp::Ordering;

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::Term;
use oxigraph::sparql::{QuerySolution, Variable};
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::Query;

/// How to sort the rows of a query evaluated without its final `ORDER BY`.
#[derive(Clone, Debug)]
pub struct Plan {
    unordered: Query,
    keys: Vec<Key>,
    /// `OFFSET` and `LIMIT`, applied after the sort.
    slice: Option<(usize, Option<usize>)>,
}

#[derive(Clone, Debug)]
struct Key {
    var: Variable,
    descending: bool,
}

impl Plan {
    /// The plan for `query` when it is a `SELECT` whose solutions are sorted on projected
    /// variables (`SELECT ?a ?b … ORDER BY ?a DESC(?b)`, optionally with `LIMIT`/`OFFSET`).
    pub fn of(query: &Query) -> Option<Plan> {
        let Query::Select {
            dataset,
            pattern,
            base_iri,
        } = query
        else {
            return None;
        };
        let (pattern, slice) = match pattern {
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => (&**inner, Some((*start, *length))),
            p => (p, None),
        };
        let GraphPattern::Project { inner, variables } = pattern else {
            return None;
        };
        let GraphPattern::OrderBy { inner, expression } = &**inner else {
            return None;
        };
        let keys = expression
            .iter()
            .map(|e| match e {
                OrderExpression::Asc(Expression::Variable(v)) => Some((v, false)),
                OrderExpression::Desc(Expression::Variable(v)) => Some((v, true)),
                _ => None,
            })
            .map(|k| {
                let (var, descending) = k.filter(|(v, _)| variables.contains(v))?;
                Some(Key {
                    var: var.clone(),
                    descending,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let unordered = Query::Select {
            dataset: dataset.clone(),
            pattern: GraphPattern::Project {
                inner: inner.clone(),
                variables: variables.clone(),
            },
            base_iri: base_iri.clone(),
        };
        Some(Plan {
            unordered,
            keys,
            slice,
        })
    }

    /// The query without its `ORDER BY`, `LIMIT` and `OFFSET`.
    pub fn unordered(&self) -> &Query {
        &self.unordered
    }

    /// `rows` (of `variables`) in the order the engine would give them, or `None` when that
    /// order cannot be known here (see the module's documentation).
    pub fn sort(
        &self,
        variables: &[Variable],
        mut rows: Vec<QuerySolution>,
    ) -> Option<Vec<QuerySolution>> {
        let keys = self
            .keys
            .iter()
            .map(|k| {
                let i = variables.iter().position(|v| *v == k.var)?;
                Some((i, k.descending))
            })
            .collect::<Option<Vec<_>>>()?;
        let comparable = |r: &QuerySolution| keys.iter().all(|(i, _)| comparable(r.get(*i)));
        if !rows.iter().all(comparable) {
            return None;
        }
        let cmp = |a: &QuerySolution, b: &QuerySolution| {
            keys.iter()
                .map(|&(i, descending)| {
                    let o = cmp_terms(a.get(i), b.get(i));
                    if descending {
                        o.reverse()
                    } else {
                        o
                    }
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        };
        rows.sort_by(cmp);
        let ties = rows
            .windows(2)
            .any(|w| cmp(&w[0], &w[1]).is_eq() && w[0].values() != w[1].values());
        if ties {
            return None;
        }
        Some(match self.slice {
            None => rows,
            Some((start, length)) => rows
                .into_iter()
                .skip(start)
                .take(length.unwrap_or(usize::MAX))
                .collect(),
        })
    }
}

/// Whether the engine's order of `term` is the one [`cmp_terms`] gives.
fn comparable(term: Option<&Term>) -> bool {
    match term {
        None | Some(Term::NamedNode(_) | Term::BlankNode(_)) => true,
        Some(Term::Literal(l)) => l.datatype() == xsd::STRING || l.datatype() == rdf::LANG_STRING,
        #[allow(unreachable_patterns)]
        Some(_) => false,
    }
}

/// The engine's order of two [`comparable`] terms.
fn cmp_terms(a: Option<&Term>, b: Option<&Term>) -> Ordering {
    fn rank(t: Option<&Term>) -> u8 {
        match t {
            None => 0,
            Some(Term::BlankNode(_)) => 1,
            Some(Term::NamedNode(_)) => 2,
            Some(_) => 3,
        }
    }
    match (a, b) {
        (Some(Term::BlankNode(a)), Some(Term::BlankNode(b))) => a.as_str().cmp(b.as_str()),
        (Some(Term::NamedNode(a)), Some(Term::NamedNode(b))) => a.as_str().cmp(b.as_str()),
        (Some(Term::Literal(a)), Some(Term::Literal(b))) => {
            (a.value(), a.datatype(), a.language()).cmp(&(b.value(), b.datatype(), b.language()))
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode};
    use spargebra::SparqlParser;

    fn plan(q: &str) -> Option<Plan> {
        Plan::of(&SparqlParser::new().parse_query(q).unwrap())
    }

    #[test]
    fn plans_only_a_final_sort_on_projected_variables() {
        assert!(plan("SELECT ?a ?b { ?a ?p ?b } ORDER BY ?b DESC(?a)").is_some());
        assert!(plan("SELECT ?a { ?a ?p ?b } ORDER BY ?a LIMIT 3 OFFSET 1").is_some());
        assert!(plan("SELECT ?a { ?a ?p ?b } ORDER BY ?b").is_none());
        assert!(plan("SELECT ?a { ?a ?p ?b } ORDER BY STR(?a)").is_none());
        assert!(plan("SELECT DISTINCT ?a { ?a ?p ?b } ORDER BY ?a").is_none());
        assert!(plan("SELECT ?a { ?a ?p ?b }").is_none());
        assert!(plan("ASK { ?a ?p ?b }").is_none());
    }

    #[test]
    fn orders_terms_as_the_engine_does() {
        let iri = |s: &str| Some(Term::from(NamedNode::new_unchecked(s)));
        let blank = Some(Term::from(BlankNode::new_unchecked("b1")));
        let plain = |s: &str| Some(Term::from(Literal::new_simple_literal(s)));
        let fr = Some(Term::from(
            Literal::new_language_tagged_literal("a", "fr").unwrap(),
        ));
        let sorted = [
            None,
            blank,
            iri("http://a"),
            iri("http://b"),
            fr,
            plain("a"),
            plain("b"),
        ];
        for w in sorted.windows(2) {
            assert_eq!(cmp_terms(w[0].as_ref(), w[1].as_ref()), Ordering::Less);
        }
        assert!(!comparable(Some(&Literal::from(3).into())));
    }
}
