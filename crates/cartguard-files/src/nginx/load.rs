//! A configuration from its main file: `include`s resolved against the main
//! file's folder (nginx's configuration prefix), globs expanded in sorted
//! order, cycles refused.
//!
//! Only the files a scan read are included ([`IncludeSource`]), so a
//! configuration copied out of `/etc/nginx` still finds its includes. An
//! absolute include (`/etc/nginx/snippets/x.conf`) that is not among them is
//! looked for under the prefix by its trailing components (`snippets/x.conf`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use cartguard_inventory::files::{NginxConfig, NginxDirective, NginxIssue};
use globset::{GlobBuilder, GlobMatcher};

use super::parse::parse_text;
use crate::paths::{file_name, join, normalise, parent};

/// The files a configuration may include: the files a scan read, by
/// normalised path.
pub trait IncludeSource {
    /// Whether `path` was read.
    fn has(&self, path: &str) -> bool;
    /// Every path read, in byte order.
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_>;
    /// The text of `path`, if it was read (and can still be).
    fn text(&self, path: &str) -> Option<Cow<'_, str>>;
}

/// Texts held in memory, by normalised path.
impl IncludeSource for BTreeMap<String, String> {
    fn has(&self, path: &str) -> bool {
        self.contains_key(path)
    }

    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.keys().map(String::as_str))
    }

    fn text(&self, path: &str) -> Option<Cow<'_, str>> {
        self.get(path).map(|t| Cow::Borrowed(t.as_str()))
    }
}

/// The configuration whose main file is `main`, from the files read. Never
/// fails: what cannot be read is an issue of the configuration, fatal for
/// syntax errors and include cycles.
pub fn load_config<S: IncludeSource + ?Sized>(main: &str, texts: &S) -> NginxConfig {
    let main = normalise(main);
    let prefix = parent(&main);
    let mut loader = Loader {
        texts,
        prefix,
        files: Vec::new(),
        issues: Vec::new(),
        stack: Vec::new(),
    };
    let directives = match loader.file(&main) {
        Ok(directives) => directives,
        Err(issue) => {
            loader.issues.push(issue);
            Vec::new()
        }
    };
    let complete = file_name(&main) == "nginx.conf" || directives.iter().any(|d| d.name == "http");
    NginxConfig {
        main,
        complete,
        files: loader.files,
        directives,
        issues: loader.issues,
    }
}

/// The files `main` includes, directly or not, without building the tree:
/// used to tell main files from included ones.
pub fn included_files(config: &NginxConfig) -> impl Iterator<Item = &str> {
    config.files.iter().skip(1).map(String::as_str)
}

/// How deep includes may nest (nginx's own configurations use two or three).
const MAX_INCLUDE_DEPTH: usize = 16;

struct Loader<'t, S: IncludeSource + ?Sized> {
    texts: &'t S,
    prefix: String,
    files: Vec<String>,
    issues: Vec<NginxIssue>,
    /// The files being read, outermost first, with the include line that
    /// entered each (for cycles).
    stack: Vec<String>,
}

impl<S: IncludeSource + ?Sized> Loader<'_, S> {
    fn file(&mut self, path: &str) -> Result<Vec<NginxDirective>, NginxIssue> {
        let Some(text) = self.texts.text(path) else {
            return Err(NginxIssue {
                file: path.to_string(),
                line: 0,
                message: "not among the files read".into(),
                fatal: true,
            });
        };
        if !self.files.iter().any(|f| f == path) {
            self.files.push(path.to_string());
        }
        let directives = parse_text(path, &text).map_err(|e| e.in_file(path))?;
        self.stack.push(path.to_string());
        let resolved = self.resolve(directives);
        self.stack.pop();
        resolved
    }

    /// Replaces each `include` with the directives of the files it names.
    fn resolve(
        &mut self,
        directives: Vec<NginxDirective>,
    ) -> Result<Vec<NginxDirective>, NginxIssue> {
        let mut out = Vec::with_capacity(directives.len());
        for mut directive in directives {
            if directive.name == "include" && directive.block.is_none() {
                let targets = self.targets(&directive);
                for target in targets {
                    if self.stack.len() >= MAX_INCLUDE_DEPTH {
                        return Err(NginxIssue {
                            file: directive.file.clone(),
                            line: directive.line,
                            message: format!("includes nested more than {MAX_INCLUDE_DEPTH} deep"),
                            fatal: true,
                        });
                    }
                    if let Some(at) = self.stack.iter().position(|f| *f == target) {
                        let mut cycle: Vec<&str> =
                            self.stack[at..].iter().map(String::as_str).collect();
                        cycle.push(&target);
                        return Err(NginxIssue {
                            file: directive.file.clone(),
                            line: directive.line,
                            message: format!("include cycle: {}", cycle.join(" → ")),
                            fatal: true,
                        });
                    }
                    out.extend(self.file(&target)?);
                }
                continue;
            }
            if let Some(children) = directive.block.take() {
                directive.block = Some(self.resolve(children)?);
            }
            out.push(directive);
        }
        Ok(out)
    }

    /// The files an `include` names, in the order nginx reads them.
    fn targets(&mut self, include: &NginxDirective) -> Vec<String> {
        let pattern = include.arg(0);
        if pattern.is_empty() {
            self.issues.push(NginxIssue {
                file: include.file.clone(),
                line: include.line,
                message: "include names no file".into(),
                fatal: false,
            });
            return Vec::new();
        }
        let is_glob = pattern.contains(['*', '?', '[']);
        for candidate in self.candidates(pattern) {
            if is_glob {
                let matches = glob_matches(&candidate, self.texts);
                if !matches.is_empty() {
                    return matches;
                }
            } else if self.texts.has(&candidate) {
                return vec![candidate];
            }
        }
        // A glob that matches nothing is no error in nginx; a file that is
        // missing is, but here it is more likely one left out of the scan.
        if !is_glob {
            self.issues.push(NginxIssue {
                file: include.file.clone(),
                line: include.line,
                message: format!(
                    "include {pattern}: no such file among those read; its directives were not assessed"
                ),
                fatal: false,
            });
        }
        Vec::new()
    }

    /// Where an include's pattern may be: relative to the prefix; for an
    /// absolute path, the path itself, then its trailing components under the
    /// prefix, longest first.
    fn candidates(&self, pattern: &str) -> Vec<String> {
        if !pattern.starts_with('/') {
            return vec![join(&self.prefix, pattern)];
        }
        let absolute = normalise(pattern);
        let parts: Vec<&str> = absolute.trim_start_matches('/').split('/').collect();
        let mut out = vec![absolute.clone()];
        for skip in 1..parts.len() {
            out.push(join(&self.prefix, &parts[skip..].join("/")));
        }
        out
    }
}

/// The files read that a glob matches, sorted as glob(3) sorts them. `*` does
/// not cross a `/`, as in nginx.
fn glob_matches<S: IncludeSource + ?Sized>(pattern: &str, texts: &S) -> Vec<String> {
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return Vec::new();
    };
    let matcher: GlobMatcher = glob.compile_matcher();
    texts
        .paths()
        .filter(|path| matcher.is_match(path))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn includes_with_globs_resolve_against_the_prefix_in_sorted_order() {
        let files = texts(&[
            (
                "etc/nginx.conf",
                "http {\n  include mime.types;\n  include sites-enabled/*.conf;\n}\n",
            ),
            ("etc/mime.types", "types { text/html html; }\n"),
            ("etc/sites-enabled/b.conf", "server { server_name b; }\n"),
            (
                "etc/sites-enabled/a.conf",
                "server {\n  include /etc/nginx/snippets/h.conf;\n}\n",
            ),
            (
                "etc/sites-enabled/a.conf.bak",
                "server { server_name bak; }\n",
            ),
            (
                "etc/snippets/h.conf",
                "\n\nadd_header X-Frame-Options DENY always;\n",
            ),
        ]);
        let config = load_config("etc/nginx.conf", &files);
        assert!(config.issues.is_empty(), "{:?}", config.issues);
        assert!(config.complete);
        let http = &config.directives[0];
        let names: Vec<&str> = http.children().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["types", "server", "server"]);
        let a = &http.children()[1];
        assert_eq!(a.file, "etc/sites-enabled/a.conf");
        let header = &a.children()[0];
        assert_eq!(
            (header.file.as_str(), header.line),
            ("etc/snippets/h.conf", 3)
        );
        assert_eq!(
            config.files,
            [
                "etc/nginx.conf",
                "etc/mime.types",
                "etc/sites-enabled/a.conf",
                "etc/snippets/h.conf",
                "etc/sites-enabled/b.conf"
            ]
        );
    }

    #[test]
    fn a_missing_include_is_an_issue_not_a_failure() {
        let files = texts(&[(
            "n/nginx.conf",
            "include conf/missing.conf;\ninclude none/*.conf;\nuser www;\n",
        )]);
        let config = load_config("n/nginx.conf", &files);
        assert_eq!(config.directives.len(), 1);
        assert_eq!(config.issues.len(), 1);
        assert!(!config.issues[0].fatal);
        assert_eq!(config.issues[0].line, 1);
    }

    #[test]
    fn include_cycles_are_errors_naming_the_include() {
        let files = texts(&[
            ("c/nginx.conf", "http {\n include a.conf;\n}\n"),
            ("c/a.conf", "\ninclude b.conf;\n"),
            ("c/b.conf", "include a.conf;\n"),
        ]);
        let config = load_config("c/nginx.conf", &files);
        let fatal = config.fatal().expect("a cycle");
        assert_eq!((fatal.file.as_str(), fatal.line), ("c/b.conf", 1));
        assert!(
            fatal.message.contains("c/a.conf → c/b.conf → c/a.conf"),
            "{fatal}"
        );
    }

    #[test]
    fn a_syntax_error_in_an_included_file_names_that_file() {
        let files = texts(&[
            ("s/nginx.conf", "http {\n include x.conf;\n}\n"),
            ("s/x.conf", "server {\n listen 80\n}\n"),
        ]);
        let config = load_config("s/nginx.conf", &files);
        let fatal = config.fatal().expect("a syntax error");
        assert_eq!(
            fatal.to_string(),
            "s/x.conf:2: the directive \"listen\" has no \";\" before \"}\""
        );
    }
}
