//! The closed vocabulary of the fact files: entity kinds and predicates, each with its label,
//! meaning, allowed subject and object kinds, and the IRI it maps to in `ontology/coalition.ttl`.
//!
//! The tables here are the single source of truth for the checker, the RDF mapping, the diagrams and
//! the authoring guide; a test keeps them and the ontology in step.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Broad families of entity kinds, used by predicate constraints and diagram styling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Organisations of every sort.
    Organisation,
    /// Natural persons.
    Person,
    /// Countries, states, cities.
    Place,
    /// Technologies, products and services.
    Technology,
    /// Letters, articles, record sets.
    Document,
    /// Communities and population groups.
    Community,
}

impl Group {
    /// Lower-case English name.
    pub fn name(self) -> &'static str {
        match self {
            Group::Organisation => "organisation",
            Group::Person => "person",
            Group::Place => "place",
            Group::Technology => "technology",
            Group::Document => "document",
            Group::Community => "community",
        }
    }
}

macro_rules! kinds {
    ($( $(#[doc = $doc:literal])* $variant:ident = $slug:literal, $class:literal, $group:ident, $label:literal, $fr:literal; )*) => {
        /// What sort of thing an entity is.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum EntityKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl EntityKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [EntityKind] = &[$(EntityKind::$variant),*];

            /// The `snake_case` name used in fact files.
            pub fn slug(self) -> &'static str {
                match self { $(EntityKind::$variant => $slug,)* }
            }
            /// Local name of the ontology class (`coalition:AdvocacyGroup`).
            pub fn class(self) -> &'static str {
                match self { $(EntityKind::$variant => $class,)* }
            }
            /// The family this kind belongs to.
            pub fn group(self) -> Group {
                match self { $(EntityKind::$variant => Group::$group,)* }
            }
            /// English label.
            pub fn label(self) -> &'static str {
                match self { $(EntityKind::$variant => $label,)* }
            }
            /// French label.
            pub fn label_fr(self) -> &'static str {
                match self { $(EntityKind::$variant => $fr,)* }
            }
            /// One-line meaning, from the doc comment.
            pub fn description(self) -> &'static str {
                match self { $(EntityKind::$variant => concat!($($doc),*).trim_ascii(),)* }
            }
            /// Parses a `snake_case` slug.
            pub fn from_slug(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.slug() == s)
            }
        }
    };
}

kinds! {
    /// A non-profit group that campaigns for a cause (civil liberties, racial justice, press freedom).
    AdvocacyGroup = "advocacy_group", "AdvocacyGroup", Organisation, "advocacy group", "groupe militant";
    /// A business (Amazon).
    Company = "company", "Company", Organisation, "company", "entreprise";
    /// A government, ministry or public authority.
    GovernmentBody = "government_body", "GovernmentBody", Organisation, "government body", "autorité publique";
    /// A police department or other law-enforcement agency.
    LawEnforcementAgency = "law_enforcement_agency", "LawEnforcementAgency", Organisation, "law-enforcement agency", "force de l'ordre";
    /// A news agency or other news organisation (AFP).
    NewsAgency = "news_agency", "NewsAgency", Organisation, "news agency", "agence de presse";
    /// A group of organisations acting together, such as the signatories of a letter.
    Coalition = "coalition", "Coalition", Organisation, "coalition", "coalition";
    /// A branch, chapter or division of a larger organisation.
    OrganisationUnit = "organisation_unit", "OrganisationUnit", Organisation, "organisation unit", "branche";
    /// A natural person.
    Person = "person", "Person", Person, "person", "personne";
    /// A sovereign country.
    Country = "country", "Country", Place, "country", "pays";
    /// A state or province of a federal country.
    State = "state", "State", Place, "state", "État";
    /// A city or municipality.
    City = "city", "City", Place, "city", "ville";
    /// A technique or family of technologies (facial recognition).
    Technology = "technology", "Technology", Technology, "technology", "technologie";
    /// A product sold or distributed by an organisation.
    Product = "product", "Product", Technology, "product", "produit";
    /// A service operated by an organisation (Amazon Rekognition).
    Service = "service", "Service", Technology, "service", "service";
    /// A letter, open or private.
    Letter = "letter", "Letter", Document, "letter", "lettre";
    /// A news article or dispatch.
    Article = "article", "Article", Document, "article", "article";
    /// A set of records or documents, such as records obtained by public-records requests.
    RecordSet = "record_set", "RecordSet", Document, "set of records", "ensemble de documents";
    /// A community or population group (immigrants, people of colour).
    Community = "community", "Community", Community, "community", "communauté";
}

/// What a predicate's object is: entities of some groups, or a literal value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectRange {
    /// An entity whose kind belongs to one of these groups.
    Entities(&'static [Group]),
    /// A literal value.
    Literal,
}

use Group::{
    Community as Com, Document as Doc, Organisation as Org, Person as Per, Place as Pla,
    Technology as Tec,
};

const ACTORS: &[Group] = &[Org, Per];
const ANY: &[Group] = &[Org, Per, Pla, Tec, Doc, Com];

macro_rules! predicates {
    ($( $(#[doc = $doc:literal])* $variant:ident = $slug:literal, $prop:literal, $label:literal, $fr:literal, $subj:expr, $obj:expr; )*) => {
        /// Relations a statement may state. The vocabulary is closed and maps one-to-one onto
        /// properties of the `coalition:` ontology.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Predicate {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Predicate {
            /// Every predicate, in declaration order.
            pub const ALL: &'static [Predicate] = &[$(Predicate::$variant),*];

            /// The `snake_case` name used in fact files.
            pub fn slug(self) -> &'static str {
                match self { $(Predicate::$variant => $slug,)* }
            }
            /// Local name of the ontology property (`coalition:addressedTo`).
            pub fn property(self) -> &'static str {
                match self { $(Predicate::$variant => $prop,)* }
            }
            /// English label, used on diagram edges.
            pub fn label(self) -> &'static str {
                match self { $(Predicate::$variant => $label,)* }
            }
            /// French label.
            pub fn label_fr(self) -> &'static str {
                match self { $(Predicate::$variant => $fr,)* }
            }
            /// One-line meaning, from the doc comment.
            pub fn description(self) -> &'static str {
                match self { $(Predicate::$variant => concat!($($doc),*).trim_ascii(),)* }
            }
            /// Groups the subject's kind must belong to.
            pub fn subjects(self) -> &'static [Group] {
                match self { $(Predicate::$variant => $subj,)* }
            }
            /// What the object must be.
            pub fn objects(self) -> ObjectRange {
                match self { $(Predicate::$variant => $obj,)* }
            }
            /// Parses a `snake_case` slug.
            pub fn from_slug(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|p| p.slug() == s)
            }
        }
    };
}

use ObjectRange::{Entities as E, Literal as L};

predicates! {
    /// The subject (an organisation or a person) signed the object document.
    Signed = "signed", "signed", "signed", "a signé", ACTORS, E(&[Doc]);
    /// The subject document is addressed to the object.
    AddressedTo = "addressed_to", "addressedTo", "addressed to", "adressé à", &[Doc], E(ACTORS);
    /// The subject wrote or published the object document.
    Published = "published", "published", "published", "a publié", ACTORS, E(&[Doc]);
    /// The subject document is about, or reports on, the object.
    Concerns = "concerns", "concerns", "concerns", "concerne", &[Doc], E(ANY);
    /// The subject is a member of the object organisation or coalition.
    MemberOf = "member_of", "memberOf", "member of", "membre de", ACTORS, E(&[Org]);
    /// The subject organisation or place is a part of the object.
    PartOf = "part_of", "partOf", "part of", "partie de", &[Org, Pla], E(&[Org, Pla]);
    /// The subject person leads or directs the object organisation.
    Leads = "leads", "leads", "leads", "dirige", &[Per], E(&[Org]);
    /// The subject person founded the object organisation.
    Founded = "founded", "founded", "founded", "a fondé", &[Per], E(&[Org]);
    /// The subject organisation develops or owns the object technology, product or service.
    Develops = "develops", "develops", "develops", "développe", &[Org], E(&[Tec]);
    /// The subject organisation provides (sells, operates) the object product or service.
    Provides = "provides", "provides", "provides", "fournit", &[Org], E(&[Tec]);
    /// The subject organisation puts the object technology to use, for itself or for others.
    Deploys = "deploys", "deploys", "deploys", "déploie", &[Org], E(&[Tec]);
    /// The subject product or service is an implementation of the object technology.
    Implements = "implements", "implements", "implements", "met en œuvre", &[Tec], E(&[Tec]);
    /// The subject organisation works with the object organisation.
    CollaboratesWith = "collaborates_with", "collaboratesWith", "works with", "travaille avec", &[Org], E(&[Org]);
    /// The subject organisation or community is located in the object place.
    LocatedIn = "located_in", "locatedIn", "located in", "situé en", &[Org, Com], E(&[Pla]);
    /// The subject organisation is active in the object place.
    OperatesIn = "operates_in", "operatesIn", "operates in", "opère en", &[Org], E(&[Pla]);
    /// The subject (a technology or an actor) is said to threaten the object.
    Threatens = "threatens", "threatens", "threatens", "menace", &[Org, Per, Tec, Doc], E(&[Com, Org, Per, Pla]);
    /// The subject technology or practice is said to harm or single out the object community.
    Affects = "affects", "affects", "affects", "affecte", &[Tec], E(&[Com]);
    /// The subject actor criticises the object.
    Criticizes = "criticizes", "criticizes", "criticizes", "critique", ACTORS, E(ANY);
    /// The subject (an actor or a technology) watches the object population.
    Surveils = "surveils", "surveils", "surveils", "surveille", &[Org, Tec], E(&[Com, Pla]);
    /// The subject asked the object for comment or a reaction.
    SoughtCommentFrom = "sought_comment_from", "soughtCommentFrom", "sought comment from", "a sollicité", ACTORS, E(ACTORS);
    /// The subject revealed or uncovered the object (an activity, a deal, a technology's use).
    Revealed = "revealed", "revealed", "revealed", "a révélé", ACTORS, E(ANY);
    /// Number of members of the subject organisation or coalition (an integer literal).
    NumberOfMembers = "number_of_members", "numberOfMembers", "number of members", "nombre de membres", &[Org], L;
}
