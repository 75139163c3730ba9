//! nginx configurations as parsed: directives in order, blocks nested, every
//! directive with the file and line it came from. `include` is resolved:
//! the included files' directives stand where the `include` stood.

use serde::{Deserialize, Serialize};

/// One nginx configuration: a main file and everything it includes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NginxConfig {
    /// The main file (`nginx.conf`, or a site file no other file includes).
    pub main: String,
    /// Whether the main file is a complete configuration (it has an `http`
    /// block or is `nginx.conf`) rather than a site file that nginx would
    /// read inside `http` (`sites-enabled/*`, `conf.d/*.conf`).
    #[serde(default)]
    pub complete: bool,
    /// Every file the configuration is made of, the main file first.
    #[serde(default)]
    pub files: Vec<String>,
    /// The top-level directives, includes resolved.
    #[serde(default)]
    pub directives: Vec<NginxDirective>,
    /// What could not be read: a syntax error (the configuration is then
    /// unusable), an include that names no file among those scanned.
    #[serde(default)]
    pub issues: Vec<NginxIssue>,
}

impl NginxConfig {
    /// The first error that makes the configuration unusable, if any.
    pub fn fatal(&self) -> Option<&NginxIssue> {
        self.issues.iter().find(|i| i.fatal)
    }
}

/// One directive (`server_tokens off;`) or block (`location / { … }`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NginxDirective {
    /// The directive's name (`add_header`, `location`).
    pub name: String,
    /// Its arguments, quotes removed and escapes resolved.
    #[serde(default)]
    pub args: Vec<String>,
    /// The file it is written in.
    pub file: String,
    /// The line it starts on (1-based).
    pub line: u32,
    /// The directive as written, up to its `;` or `{` (whitespace collapsed
    /// when it spans lines): the evidence a finding shows.
    pub source: String,
    /// The directives inside its block, for a block directive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Vec<NginxDirective>>,
}

impl NginxDirective {
    /// `file:line`, the place a finding names.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// The directives of its block (none for a simple directive).
    pub fn children(&self) -> &[NginxDirective] {
        self.block.as_deref().unwrap_or(&[])
    }

    /// The first argument, or the empty string.
    pub fn arg(&self, index: usize) -> &str {
        self.args.get(index).map(String::as_str).unwrap_or("")
    }
}

/// Something in a configuration that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NginxIssue {
    /// The file.
    pub file: String,
    /// The line (1-based; 0 when the whole file is concerned).
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// Whether the configuration cannot be used at all (a syntax error, an
    /// include cycle), rather than only missing a part (an include not found).
    #[serde(default)]
    pub fatal: bool,
}

impl std::fmt::Display for NginxIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}
