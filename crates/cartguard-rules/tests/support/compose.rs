//! Rule fixtures: evidence folders put together from layers, so that no
//! evidence file is stored twice. `tests/fixtures/README.md` describes the
//! layout and the directives of `compose.txt`.
//!
//! Used by the rule tests of `cartguard-rules` and, included by path, by the
//! command-line tests of `cartguard`.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file, at the root of the fixtures, that says how layers are composed.
pub const COMPOSE_FILE: &str = "compose.txt";

/// One case: the layer `rules/<rule-id>/<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Case {
    /// The rule the case is for.
    pub rule_id: String,
    /// `fires…`, `quiet…` or `undecided…`.
    pub name: String,
}

impl Case {
    /// The case's layer name, such as `rules/iam-root-no-mfa/fires`.
    pub fn layer(&self) -> String {
        format!("rules/{}/{}", self.rule_id, self.name)
    }
}

/// What `compose.txt` says about one layer.
#[derive(Debug, Default)]
struct Directives {
    /// `on LAYER` (`Some(Some(..))`) or `on none` (`Some(None)`).
    on: Option<Option<String>>,
    /// `remove PATH`: files of the starting evidence to drop.
    remove: Vec<String>,
    /// `same PATH FILE`: evidence files with the content of another fixture file.
    same: Vec<(String, String)>,
}

/// The fixture tree.
pub struct Fixtures {
    root: PathBuf,
    directives: BTreeMap<String, Directives>,
}

impl Fixtures {
    /// Reads `compose.txt` of the fixture tree at `root`.
    pub fn open(root: &Path) -> Result<Fixtures, String> {
        let path = root.join(COMPOSE_FILE);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut directives: BTreeMap<String, Directives> = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let at = || format!("{}:{}", path.display(), n + 1);
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let layer = words[0];
            check_layer_name(layer).map_err(|e| format!("{}: {e}", at()))?;
            let entry = directives.entry(layer.to_string()).or_default();
            match words[1..] {
                ["on", "none"] if entry.on.is_none() => entry.on = Some(None),
                ["on", base] if entry.on.is_none() => {
                    check_layer_name(base).map_err(|e| format!("{}: {e}", at()))?;
                    entry.on = Some(Some(base.to_string()));
                }
                ["on", _] => return Err(format!("{}: {layer} is put on two layers", at())),
                ["remove", file] => {
                    check_relative(file).map_err(|e| format!("{}: {e}", at()))?;
                    entry.remove.push(file.to_string());
                }
                ["same", file, source] => {
                    check_relative(file).map_err(|e| format!("{}: {e}", at()))?;
                    check_relative(source).map_err(|e| format!("{}: {e}", at()))?;
                    if !(source.starts_with("bases/") || source.starts_with("rules/")) {
                        return Err(format!("{}: {source} is not a file of a layer", at()));
                    }
                    entry.same.push((file.to_string(), source.to_string()));
                }
                _ => {
                    return Err(format!(
                        "{}: expected `LAYER on LAYER|none`, `LAYER remove PATH` or `LAYER same PATH FILE`",
                        at()
                    ));
                }
            }
        }
        Ok(Fixtures {
            root: root.to_path_buf(),
            directives,
        })
    }

    /// The folder of the fixture tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every case: each folder `rules/<rule-id>/<case>/`, and each case that
    /// `compose.txt` names (a case made only of other layers' files has no
    /// folder), in order.
    pub fn cases(&self) -> Result<Vec<Case>, String> {
        let mut cases = BTreeSet::new();
        let rules = self.root.join("rules");
        for rule in sorted_entries(&rules)? {
            let rule_id = file_name(&rule)?;
            if !rule.is_dir() {
                return Err(format!("{}: expected a folder per rule", rule.display()));
            }
            for case in sorted_entries(&rule)? {
                if !case.is_dir() {
                    return Err(format!("{}: expected a folder per case", case.display()));
                }
                cases.insert(Case {
                    rule_id: rule_id.clone(),
                    name: file_name(&case)?,
                });
            }
        }
        for layer in self.directives.keys() {
            if let Some(rest) = layer.strip_prefix("rules/") {
                let (rule_id, name) = rest.split_once('/').unwrap_or((rest, ""));
                cases.insert(Case {
                    rule_id: rule_id.to_string(),
                    name: name.to_string(),
                });
            }
        }
        Ok(cases.into_iter().collect())
    }

    /// The base layers: the folders `bases/<name>/`.
    pub fn bases(&self) -> Result<Vec<String>, String> {
        sorted_entries(&self.root.join("bases"))?
            .iter()
            .map(|b| Ok(format!("bases/{}", file_name(b)?)))
            .collect()
    }

    /// The evidence of a layer: relative path (with `/`) → content.
    pub fn evidence(&self, layer: &str) -> Result<BTreeMap<String, String>, String> {
        self.compose(layer, &mut Vec::new())
    }

    /// The layers a layer's evidence starts from, nearest first (the layer
    /// itself not included).
    pub fn ancestors(&self, layer: &str) -> Result<Vec<String>, String> {
        let mut chain = Vec::new();
        let mut current = self.start_of(layer)?;
        while let Some(next) = current {
            if chain.contains(&next) || next == layer {
                return Err(format!("{layer}: its layers form a cycle through {next}"));
            }
            current = self.start_of(&next)?;
            chain.push(next);
        }
        Ok(chain)
    }

    /// Writes a layer's evidence into `dir`, as an evidence folder.
    pub fn materialise(&self, layer: &str, dir: &Path) -> Result<(), String> {
        for (rel, text) in self.evidence(layer)? {
            let path = dir.join(&rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Every file under the fixture tree, as path relative to it → bytes.
    pub fn stored_files(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let mut out = BTreeMap::new();
        for rel in files_under(&self.root)? {
            let path = self.root.join(&rel);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(rel, bytes);
        }
        Ok(out)
    }

    /// The layer a layer starts from: its `on` directive, else for a case the
    /// base of its rule's area, else nothing.
    fn start_of(&self, layer: &str) -> Result<Option<String>, String> {
        if let Some(on) = self.directives.get(layer).and_then(|d| d.on.clone()) {
            return Ok(on);
        }
        let Some(rest) = layer.strip_prefix("rules/") else {
            return Ok(None);
        };
        let rule_id = rest.split('/').next().unwrap_or(rest);
        let rule = cartguard_rules::find_rule(rule_id)
            .ok_or_else(|| format!("{layer}: {rule_id} is not a registered rule"))?;
        Ok(Some(format!("bases/{}", rule.area.name())))
    }

    fn compose(
        &self,
        layer: &str,
        composing: &mut Vec<String>,
    ) -> Result<BTreeMap<String, String>, String> {
        if composing.iter().any(|l| l == layer) {
            return Err(format!(
                "the layers form a cycle: {} → {layer}",
                composing.join(" → ")
            ));
        }
        let folder = self.root.join(layer);
        let empty = Directives::default();
        let directives = match self.directives.get(layer) {
            Some(directives) => directives,
            None if folder.is_dir() => &empty,
            None => return Err(format!("there is no layer {layer}")),
        };
        composing.push(layer.to_string());
        let mut evidence = match self.start_of(layer)? {
            Some(start) => self.compose(&start, composing)?,
            None => BTreeMap::new(),
        };
        composing.pop();
        for file in &directives.remove {
            if evidence.remove(file).is_none() {
                return Err(format!(
                    "{layer}: removes {file}, which the layer it starts from does not hold"
                ));
            }
        }
        let own = if folder.is_dir() {
            files_under(&folder)?
        } else {
            Vec::new()
        };
        let server_files = holds_server_files(layer);
        for rel in &own {
            if !(server_files
                || rel.starts_with("server/")
                || rel.ends_with(".json")
                || rel.ends_with(".csv"))
            {
                return Err(format!(
                    "{layer}/{rel}: evidence files end in .json or .csv"
                ));
            }
            evidence.insert(rel.clone(), read_text(&folder.join(rel))?);
        }
        for (file, source) in &directives.same {
            if own.contains(file) {
                return Err(format!(
                    "{layer}: holds {file} and also takes it from {source}"
                ));
            }
            evidence.insert(file.clone(), read_text(&self.root.join(source))?);
        }
        Ok(evidence)
    }
}

/// Whether a layer holds server files (an nginx configuration, a Magento
/// root) rather than evidence: `bases/application…` and the cases of the
/// application rules.
pub fn holds_server_files(layer: &str) -> bool {
    if layer.starts_with("bases/application") {
        return true;
    }
    layer
        .strip_prefix("rules/")
        .and_then(|rest| rest.split('/').next())
        .and_then(cartguard_rules::find_rule)
        .is_some_and(|rule| rule.area == cartguard_rules::Area::Application)
}

/// `bases/<name>` or `rules/<rule-id>/<case>`.
fn check_layer_name(layer: &str) -> Result<(), String> {
    let parts: Vec<&str> = layer.split('/').collect();
    match parts.as_slice() {
        ["bases", name] if !name.is_empty() => Ok(()),
        ["rules", rule, case] if !rule.is_empty() && !case.is_empty() => Ok(()),
        _ => Err(format!(
            "{layer:?} is not a layer (bases/<name> or rules/<rule-id>/<case>)"
        )),
    }
}

/// A relative path with `/` separators that stays inside its folder.
fn check_relative(path: &str) -> Result<(), String> {
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
    {
        return Err(format!("{path:?} is not a relative path with / separators"));
    }
    Ok(())
}

/// Every file under a folder (an evidence folder outside the fixtures, such as
/// the demo's): relative path (with `/`) → content.
pub fn read_folder(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    files_under(dir)?
        .into_iter()
        .map(|rel| {
            let text = read_text(&dir.join(&rel))?;
            Ok((rel, text))
        })
        .collect()
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(String::from)
        .ok_or_else(|| format!("{}: not a UTF-8 name", path.display()))
}

/// The entries of a folder, sorted; none if it does not exist.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    entries.sort();
    Ok(entries)
}

/// The files under a folder, as sorted paths relative to it with `/` separators.
fn files_under(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        for entry in sorted_entries(&folder)? {
            let name = format!("{prefix}{}", file_name(&entry)?);
            if entry.is_dir() {
                stack.push((entry, format!("{name}/")));
            } else {
                out.push(name);
            }
        }
    }
    out.sort();
    Ok(out)
}
