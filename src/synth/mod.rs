//! A deterministic synthetic corpus shaped like real curation work, for benchmarks and scale tests:
//! a shared registry whose reuse across sources is heavy-tailed (Zipf), about 40 statements and 10
//! quotations per source, and generated source texts that contain every quote exactly once.
//!
//! The output uses the same fact-file format as `seeds/`, so `check`, `build` and `query` run on it
//! unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use crate::facts::schema::{
    Certainty, Entity, Evidence, FactFile, Quantity, Quotation, Source, Statement,
};
use crate::facts::vocab::{EntityKind, Group, ObjectRange, Predicate};

/// Sizes of the generated corpus.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Number of sources.
    pub sources: usize,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// Statements per source.
    pub statements: usize,
    /// Quotations per source.
    pub quotations: usize,
}

impl Config {
    /// `sources` sources with the default shape (40 statements, 10 quotations each).
    pub fn new(sources: usize, seed: u64) -> Self {
        Config {
            sources,
            seed,
            statements: 40,
            quotations: 10,
        }
    }
}

/// SplitMix64: small, fast, and stable across platforms and versions (unlike `rand`'s defaults).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Samples ranks 0..n with probability ∝ 1/(rank+1): a few entities appear everywhere.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut acc = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                acc += 1.0 / (r as f64 + 1.0);
                acc
            })
            .collect();
        Zipf { cumulative }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().expect("non-empty pool");
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len() - 1)
    }
}

const WORDS: &[&str] = &[
    "North", "River", "Civic", "Liberty", "Open", "Harbor", "Summit", "Union", "Pioneer", "Clear",
    "Beacon", "Granite", "Maple", "Cedar", "Delta", "Horizon", "Prairie", "Coastal", "Metro",
    "Valley",
];

fn kind_pool_size(kind: EntityKind, sources: usize) -> usize {
    let scale = (sources as f64).sqrt().ceil() as usize;
    match kind.group() {
        Group::Organisation | Group::Person => 8 + 4 * scale,
        Group::Technology | Group::Community => 4 + scale,
        Group::Place | Group::Document => 4 + 2 * scale,
    }
}

fn entity_name(kind: EntityKind, i: usize) -> String {
    let a = WORDS[i % WORDS.len()];
    let b = WORDS[(i / WORDS.len() + 7) % WORDS.len()];
    format!("{a} {b} {} {i}", kind.label())
}

/// The synthetic registry: entities, each group's pool of entity indexes (shuffled, so the
/// popular ranks are spread over the kinds of a group) and its Zipf sampler.
struct Registry {
    entities: Vec<Entity>,
    pools: BTreeMap<Group, Vec<usize>>,
    zipf: BTreeMap<Group, Zipf>,
    publisher: usize,
}

impl Registry {
    fn new(cfg: &Config, rng: &mut Rng) -> Registry {
        let mut entities = Vec::new();
        let mut pools: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
        for &kind in EntityKind::ALL {
            for i in 0..kind_pool_size(kind, cfg.sources) {
                pools.entry(kind.group()).or_default().push(entities.len());
                entities.push(synthetic_entity(kind, i));
            }
        }
        for pool in pools.values_mut() {
            for i in (1..pool.len()).rev() {
                let j = rng.below(i + 1);
                pool.swap(i, j);
            }
        }
        let zipf = pools
            .iter()
            .map(|(g, p)| (*g, Zipf::new(p.len())))
            .collect();
        let publisher = entities
            .iter()
            .position(|e| e.kind == EntityKind::NewsAgency)
            .expect("the registry has news agencies");
        Registry {
            entities,
            pools,
            zipf,
            publisher,
        }
    }

    /// An entity of one of `groups`, popular ones more often.
    fn pick(&self, rng: &mut Rng, groups: &[Group]) -> usize {
        let g = groups[rng.below(groups.len())];
        self.pools[&g][self.zipf[&g].sample(rng)]
    }

    fn name(&self, i: usize) -> &str {
        &self.entities[i].name
    }

    fn id(&self, i: usize) -> String {
        self.entities[i].id.clone()
    }
}

fn synthetic_entity(kind: EntityKind, i: usize) -> Entity {
    let id = format!("{}-{i}", kind.slug().replace('_', "-"));
    Entity {
        aliases: if i % 5 == 0 {
            vec![format!("{}{i}", kind.slug()[..2].to_uppercase())]
        } else {
            Vec::new()
        },
        wikidata: (i % 7 == 0).then(|| format!("Q{}", 1000 + i)),
        description: Some(format!("A synthetic {}.", kind.label())),
        ..Entity::new(id, kind, entity_name(kind, i))
    }
}

/// Writes one source: its statements and quotations, each quoting a sentence it appends to
/// the source's text; `used` collects the entities they name.
struct SourceWriter<'a> {
    reg: &'a Registry,
    predicates: &'a [Predicate],
    used: &'a mut BTreeSet<usize>,
    text: String,
}

impl SourceWriter<'_> {
    fn statements(&mut self, rng: &mut Rng, s: usize, count: usize) -> Vec<Statement> {
        let mut statements = Vec::new();
        let mut seen = BTreeSet::new();
        while statements.len() < count {
            let p = self.predicates[rng.below(self.predicates.len())];
            let ObjectRange::Entities(objects) = p.objects() else {
                continue;
            };
            let (subj, obj) = (
                self.reg.pick(rng, p.subjects()),
                self.reg.pick(rng, objects),
            );
            if subj == obj || !seen.insert((subj, p, obj)) {
                continue;
            }
            self.used.extend([subj, obj]);
            let k = statements.len();
            let sentence = format!(
                "In report {s}, item {k}: {} {} {}.",
                self.reg.name(subj),
                p.label(),
                self.reg.name(obj)
            );
            self.text.push_str(&sentence);
            self.text.push(if k % 4 == 3 { '\n' } else { ' ' });
            statements.push(self.statement(k, subj, p, obj, sentence));
        }
        statements
    }

    fn statement(
        &self,
        k: usize,
        subj: usize,
        p: Predicate,
        obj: usize,
        quote: String,
    ) -> Statement {
        let attributed = k % 9 == 4;
        Statement {
            id: None,
            subject: self.reg.id(subj),
            predicate: p,
            object: Some(self.reg.id(obj)),
            value: None,
            date: None,
            role: None,
            quantity: (k % 13 == 0).then_some(Quantity {
                value: 30,
                approximate: true,
                lower: Some(25),
                upper: Some(35),
                wording: None,
            }),
            certainty: if attributed {
                Certainty::Attributed
            } else {
                Certainty::Stated
            },
            attributed_to: attributed.then(|| self.reg.id(self.reg.publisher)),
            stance: None,
            evidence: vec![Evidence {
                quote,
                prefix: None,
                suffix: None,
            }],
            note: None,
        }
    }

    fn quotations(&mut self, rng: &mut Rng, id: &str, s: usize, count: usize) -> Vec<Quotation> {
        let mut quotations = Vec::new();
        for q in 0..count {
            let speaker = self.reg.pick(rng, &[Group::Person, Group::Organisation]);
            let about = self
                .reg
                .pick(rng, &[Group::Technology, Group::Organisation]);
            self.used.extend([speaker, about]);
            let words = format!(
                "Quotation {q} of report {s} is about {} and what it means for everyone",
                self.reg.name(about)
            );
            self.text
                .push_str(&format!("\n«{words}», said {}.", self.reg.name(speaker)));
            quotations.push(Quotation {
                id: format!("{id}-q{q}"),
                speaker: self.reg.id(speaker),
                document: None,
                text: words,
                prefix: None,
                suffix: None,
                translations: BTreeMap::new(),
                about: vec![self.reg.id(about)],
                note: None,
            });
        }
        quotations
    }
}

/// Generates the corpus in memory: the registry and one (fact file, text) per source.
pub fn generate(cfg: &Config) -> (FactFile, Vec<(String, FactFile, String)>) {
    let mut rng = Rng(cfg.seed ^ 0xC0A1_1710);
    let reg = Registry::new(cfg, &mut rng);
    let mut used = BTreeSet::from([reg.publisher]);
    let predicates: Vec<Predicate> = Predicate::ALL
        .iter()
        .copied()
        .filter(|p| matches!(p.objects(), ObjectRange::Entities(_)))
        .collect();
    let mut sources = Vec::with_capacity(cfg.sources);
    for s in 0..cfg.sources {
        let id = format!("synth-{s:05}");
        let mut writer = SourceWriter {
            reg: &reg,
            predicates: &predicates,
            used: &mut used,
            text: format!("Synthetic report {s}.\n\n"),
        };
        let statements = writer.statements(&mut rng, s, cfg.statements);
        let quotations = writer.quotations(&mut rng, &id, s, cfg.quotations);
        let mut text = writer.text;
        text.push('\n');
        let file = FactFile {
            source: Some(synthetic_source(&id, s, reg.id(reg.publisher))),
            statements,
            quotations,
            ..FactFile::default()
        };
        sources.push((id, file, text));
    }
    // Entities that no source uses would only produce W001 warnings: leave them out.
    let entities = reg
        .entities
        .into_iter()
        .enumerate()
        .filter(|(i, _)| used.contains(i))
        .map(|(_, e)| e)
        .collect();
    let registry = FactFile {
        entities,
        ..FactFile::default()
    };
    (registry, sources)
}

fn synthetic_source(id: &str, s: usize, publisher: String) -> Source {
    let year = 2015 + s % 10;
    let month = 1 + (s / 10) % 12;
    Source {
        id: id.to_string(),
        title: format!("Synthetic report {s}"),
        publisher,
        date: format!("{year}-{month:02}"),
        language: "en".into(),
        text: format!("{id}.txt"),
        url: None,
        note: None,
    }
}

const HEADER: &str = "# yaml-language-server: $schema=https://coalition.example/schema/facts.schema.json\n# Synthetic corpus generated by `coalition synth`; not real data.\n";

/// Writes the corpus under `out` (`entities.yaml` and `sources/ID.{yaml,txt}`).
pub fn write(cfg: &Config, out: &Path) -> io::Result<(usize, usize)> {
    let (registry, sources) = generate(cfg);
    fs::create_dir_all(out.join("sources"))?;
    let yaml = |f: &FactFile| {
        serde_yaml::to_string(f)
            .map(|s| format!("{HEADER}{s}"))
            .map_err(io::Error::other)
    };
    fs::write(out.join("entities.yaml"), yaml(&registry)?)?;
    let mut statements = 0;
    for (id, file, text) in &sources {
        statements += file.statements.len();
        fs::write(out.join("sources").join(format!("{id}.yaml")), yaml(file)?)?;
        fs::write(out.join("sources").join(format!("{id}.txt")), text)?;
    }
    Ok((sources.len(), statements))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_heavy_tailed() {
        let cfg = Config::new(20, 7);
        let (r1, s1) = generate(&cfg);
        let (r2, s2) = generate(&cfg);
        assert_eq!(
            serde_yaml::to_string(&r1).unwrap(),
            serde_yaml::to_string(&r2).unwrap()
        );
        assert_eq!(s1.len(), 20);
        assert_eq!(s1[3].2, s2[3].2);
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, f, _) in &s1 {
            assert_eq!(f.statements.len(), 40);
            assert_eq!(f.quotations.len(), 10);
            for st in &f.statements {
                *uses.entry(st.subject.as_str()).or_default() += 1;
            }
        }
        let mut counts: Vec<usize> = uses.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        // The most used subject appears far more often than the median one.
        assert!(counts[0] >= 5 * counts[counts.len() / 2], "{counts:?}");
    }
}
