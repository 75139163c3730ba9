//! What a configuration means: its servers, the effective value of an
//! inherited directive at each level, and which location serves a request
//! path, following nginx's rules.
//!
//! Inheritance: an array-like directive (`add_header`, `allow`/`deny`, …) or
//! a simple one takes its value from the innermost level that sets it at all;
//! a level with one `add_header` drops every `add_header` of the levels
//! around it (ngx_http_headers_module). Location matching
//! (ngx_http_core_module): an exact `=` match wins; otherwise the longest
//! prefix is remembered, its nested locations are searched, and unless it is
//! `^~` the regex locations are tried in the order they appear, the first
//! match winning; with no regex match the longest prefix serves. Regexes are
//! PCRE in nginx; one the `regex` crate cannot read (look-around,
//! back-references) makes a route unknown rather than guessed.

use cartguard_inventory::files::{NginxConfig, NginxDirective};

/// One `server` block and the levels around it.
#[derive(Debug, Clone, Copy)]
pub struct Server<'c> {
    /// The configuration it belongs to.
    pub config: &'c NginxConfig,
    /// The `server` directive.
    pub directive: &'c NginxDirective,
    /// The `http` block around it, when the configuration has one.
    pub http: Option<&'c NginxDirective>,
}

/// Every `server` block of a configuration (in `http`, or at the top of a
/// site file that nginx reads inside `http`).
pub fn servers(config: &NginxConfig) -> Vec<Server<'_>> {
    let mut out = Vec::new();
    for directive in &config.directives {
        if directive.name == "http" {
            for child in directive.children() {
                if child.name == "server" && child.block.is_some() {
                    out.push(Server {
                        config,
                        directive: child,
                        http: Some(directive),
                    });
                }
            }
        } else if directive.name == "server" && directive.block.is_some() && !config.complete {
            out.push(Server {
                config,
                directive,
                http: None,
            });
        }
    }
    out
}

/// The effective value of a directive at some level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effective<'c> {
    /// Set at this level or one around it: the directives of the innermost
    /// level that sets it.
    Set(Vec<&'c NginxDirective>),
    /// Set nowhere: nginx's default applies.
    Default,
    /// Not set in the blocks read, and the `http` block (in an `nginx.conf`
    /// that was not among the files read) may set it.
    Unknown,
}

impl<'c> Effective<'c> {
    /// The directives, when set.
    pub fn directives(&self) -> &[&'c NginxDirective] {
        match self {
            Effective::Set(d) => d,
            _ => &[],
        }
    }
}

/// `name`'s effective value for a block whose levels, outermost first, are
/// `levels` (a level's own directives only: nested blocks are not looked in).
/// `complete` says whether the outermost level is the `http` block, so that
/// "set nowhere" means the default.
pub fn effective<'c>(levels: &[&'c NginxDirective], name: &str, complete: bool) -> Effective<'c> {
    for level in levels.iter().rev() {
        let own: Vec<&NginxDirective> =
            level.children().iter().filter(|d| d.name == name).collect();
        if !own.is_empty() {
            return Effective::Set(own);
        }
    }
    if complete {
        Effective::Default
    } else {
        Effective::Unknown
    }
}

/// Like [`effective`], for the access module's `allow` and `deny`, which
/// form one list.
pub fn effective_access<'c>(levels: &[&'c NginxDirective], complete: bool) -> Effective<'c> {
    for level in levels.iter().rev() {
        let own: Vec<&NginxDirective> = level
            .children()
            .iter()
            .filter(|d| d.name == "allow" || d.name == "deny")
            .collect();
        if !own.is_empty() {
            return Effective::Set(own);
        }
    }
    if complete {
        Effective::Default
    } else {
        Effective::Unknown
    }
}

/// How a location's pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// `location = /x`.
    Exact,
    /// `location /x`.
    Prefix,
    /// `location ^~ /x`: a prefix that stops the regex search.
    PrefixNoRegex,
    /// `location ~ re`.
    Regex,
    /// `location ~* re`.
    RegexCaseless,
    /// `location @name`.
    Named,
}

/// A `location` block with the levels around it.
#[derive(Debug, Clone)]
pub struct Location<'c> {
    /// The `location` directive.
    pub directive: &'c NginxDirective,
    /// How it matches.
    pub modifier: Modifier,
    /// Its pattern (a path prefix, an exact path or a regex).
    pub pattern: &'c str,
    /// The levels from `http` (when read) through `server` to this location.
    pub levels: Vec<&'c NginxDirective>,
}

/// A location's modifier and pattern.
pub fn location_pattern(directive: &NginxDirective) -> (Modifier, &str) {
    match directive.args.as_slice() {
        [m, pattern, ..] if m == "=" => (Modifier::Exact, pattern),
        [m, pattern, ..] if m == "^~" => (Modifier::PrefixNoRegex, pattern),
        [m, pattern, ..] if m == "~" => (Modifier::Regex, pattern),
        [m, pattern, ..] if m == "~*" => (Modifier::RegexCaseless, pattern),
        [pattern, ..] if pattern.starts_with('@') => (Modifier::Named, pattern),
        // `location =/x` and `location ~/x` are written without a space too.
        [pattern, ..] if pattern.starts_with("~*") => (Modifier::RegexCaseless, &pattern[2..]),
        [pattern, ..] if pattern.starts_with("^~") => (Modifier::PrefixNoRegex, &pattern[2..]),
        [pattern, ..] if pattern.starts_with('~') => (Modifier::Regex, &pattern[1..]),
        [pattern, ..] if pattern.starts_with('=') => (Modifier::Exact, &pattern[1..]),
        [pattern, ..] => (Modifier::Prefix, pattern),
        [] => (Modifier::Prefix, ""),
    }
}

/// Which block serves a request path.
#[derive(Debug, Clone)]
pub enum Route<'c> {
    /// This location.
    Location(Location<'c>),
    /// No location matches: the server's own settings apply.
    Server,
    /// A regex location that had to be tried could not be read, so the
    /// route is unknown.
    Unknown {
        /// The location.
        location: &'c NginxDirective,
        /// Why its regex could not be read.
        reason: String,
    },
}

impl<'c> Server<'c> {
    /// The levels of the server: `http` (when read) and `server`.
    pub fn levels(&self) -> Vec<&'c NginxDirective> {
        self.http.into_iter().chain([self.directive]).collect()
    }

    /// Whether the levels read reach up to `http`: then "set nowhere" means
    /// nginx's default rather than "maybe set in a file not read".
    pub fn complete(&self) -> bool {
        self.http.is_some()
    }

    /// The effective value of `name` at the server level.
    pub fn effective(&self, name: &str) -> Effective<'c> {
        effective(&self.levels(), name, self.complete())
    }

    /// Its `server_name`s.
    pub fn names(&self) -> Vec<&'c str> {
        self.directive
            .children()
            .iter()
            .filter(|d| d.name == "server_name")
            .flat_map(|d| d.args.iter().map(String::as_str))
            .collect()
    }

    /// A short name for messages: its first server name, or its place.
    pub fn label(&self) -> String {
        match self.names().first() {
            Some(name) if !name.is_empty() && *name != "_" => format!("server {name}"),
            _ => format!("the server at {}", self.directive.place()),
        }
    }

    /// Whether it answers HTTPS: a `listen … ssl` (or `quic`, or port 443), or `ssl on`.
    pub fn answers_https(&self) -> bool {
        self.directive.children().iter().any(|d| {
            (d.name == "listen"
                && (d.args.iter().skip(1).any(|a| a == "ssl" || a == "quic")
                    || d.args
                        .first()
                        .is_some_and(|a| a == "443" || a.ends_with(":443"))))
                || (d.name == "ssl" && d.arg(0) == "on")
        })
    }

    /// The `return` at the server level, if any: it answers every request
    /// before a location is chosen (a redirect to HTTPS, say).
    pub fn returns_everything(&self) -> Option<&'c NginxDirective> {
        self.directive
            .children()
            .iter()
            .find(|d| d.name == "return")
    }

    /// Every location, nested ones included, in the order they appear.
    pub fn locations(&self) -> Vec<Location<'c>> {
        let mut out = Vec::new();
        collect_locations(self.directive.children(), &self.levels(), &mut out);
        out
    }

    /// The block that serves `path`.
    pub fn route(&self, path: &str) -> Route<'c> {
        match find_location(self.directive.children(), &self.levels(), path) {
            Found::Location(l) => Route::Location(l),
            Found::None => Route::Server,
            Found::Unknown(location, reason) => Route::Unknown { location, reason },
        }
    }
}

fn collect_locations<'c>(
    block: &'c [NginxDirective],
    levels: &[&'c NginxDirective],
    out: &mut Vec<Location<'c>>,
) {
    for directive in block
        .iter()
        .filter(|d| d.name == "location" && d.block.is_some())
    {
        let (modifier, pattern) = location_pattern(directive);
        let mut inner = levels.to_vec();
        inner.push(directive);
        out.push(Location {
            directive,
            modifier,
            pattern,
            levels: inner.clone(),
        });
        collect_locations(directive.children(), &inner, out);
    }
}

enum Found<'c> {
    Location(Location<'c>),
    None,
    Unknown(&'c NginxDirective, String),
}

fn find_location<'c>(
    block: &'c [NginxDirective],
    levels: &[&'c NginxDirective],
    path: &str,
) -> Found<'c> {
    let locations: Vec<(&'c NginxDirective, Modifier, &'c str)> = block
        .iter()
        .filter(|d| d.name == "location" && d.block.is_some())
        .map(|d| {
            let (m, p) = location_pattern(d);
            (d, m, p)
        })
        .collect();
    let make = |directive: &'c NginxDirective, modifier, pattern| {
        let mut inner = levels.to_vec();
        inner.push(directive);
        Location {
            directive,
            modifier,
            pattern,
            levels: inner,
        }
    };
    if let Some((d, m, p)) = locations
        .iter()
        .find(|(_, m, p)| *m == Modifier::Exact && *p == path)
    {
        return Found::Location(make(d, *m, p));
    }
    let longest = locations
        .iter()
        .filter(|(_, m, p)| {
            matches!(m, Modifier::Prefix | Modifier::PrefixNoRegex) && path.starts_with(*p)
        })
        .max_by_key(|(_, _, p)| p.len());
    let mut fallback = Found::None;
    if let Some((d, m, p)) = longest {
        let prefix = make(d, *m, p);
        match find_location(d.children(), &prefix.levels, path) {
            Found::Location(nested)
                if matches!(
                    nested.modifier,
                    Modifier::Regex | Modifier::RegexCaseless | Modifier::Exact
                ) =>
            {
                return Found::Location(nested);
            }
            Found::Unknown(d, r) => return Found::Unknown(d, r),
            Found::Location(nested) => fallback = Found::Location(nested),
            Found::None => fallback = Found::Location(prefix.clone()),
        }
        if *m == Modifier::PrefixNoRegex {
            return fallback;
        }
    }
    for (d, m, p) in &locations {
        let caseless = match m {
            Modifier::Regex => false,
            Modifier::RegexCaseless => true,
            _ => continue,
        };
        match regex_matches(p, caseless, path) {
            Ok(true) => {
                let location = make(d, *m, p);
                // A regex location's own nested locations are searched too.
                return match find_location(d.children(), &location.levels, path) {
                    Found::Location(nested) => Found::Location(nested),
                    Found::Unknown(d, r) => Found::Unknown(d, r),
                    Found::None => Found::Location(location),
                };
            }
            Ok(false) => {}
            Err(reason) => return Found::Unknown(d, reason),
        }
    }
    fallback
}

/// Whether an nginx (PCRE) regex matches `path`; an error when the `regex`
/// crate cannot read it.
pub fn regex_matches(pattern: &str, caseless: bool, path: &str) -> Result<bool, String> {
    let regex = regex::RegexBuilder::new(pattern)
        .case_insensitive(caseless)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            let first = e.to_string();
            let line = first.lines().last().unwrap_or("").trim().to_string();
            format!("the regex {pattern:?} uses a construct this build cannot evaluate ({line})")
        })?;
    Ok(regex.is_match(path))
}

/// Whether the block that serves a request refuses it: `deny all` in force,
/// a `return` of a 4xx status, or `internal`. Returns the directive that
/// refuses.
pub fn refusal<'c>(levels: &[&'c NginxDirective], complete: bool) -> Option<&'c NginxDirective> {
    let innermost = levels.last()?;
    let own = innermost.children();
    if let Some(d) = own.iter().find(|d| d.name == "internal") {
        return Some(d);
    }
    if let Some(d) = own
        .iter()
        .find(|d| d.name == "return" && d.arg(0).starts_with('4'))
    {
        return Some(d);
    }
    // Access rules are checked in order; the first that matches every
    // client decides. `deny all` before any `allow` refuses everyone.
    if let Effective::Set(rules) = effective_access(levels, complete) {
        for rule in rules {
            if rule.arg(0) == "all" {
                return (rule.name == "deny").then_some(rule);
            }
            if rule.name == "allow" {
                return None;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nginx::parse::parse_text;

    fn config(text: &str) -> NginxConfig {
        NginxConfig {
            main: "nginx.conf".into(),
            complete: true,
            files: vec!["nginx.conf".into()],
            directives: parse_text("nginx.conf", text).expect("parses"),
            issues: vec![],
        }
    }

    fn served_by(text: &str, path: &str) -> String {
        let config = config(text);
        let server = servers(&config)[0];
        match server.route(path) {
            Route::Location(l) => l.directive.source.clone(),
            Route::Server => "server".into(),
            Route::Unknown { reason, .. } => format!("unknown: {reason}"),
        }
    }

    const SITE: &str = r#"
http {
  server {
    listen 443 ssl;
    location / { try_files $uri /index.php; }
    location = /exact { }
    location /static/ { }
    location ^~ /.well-known/ { allow all; }
    location ~ /\. { deny all; }
    location ~* \.php$ { fastcgi_pass php; }
    location /media/ {
      location ~ \.php$ { deny all; }
    }
  }
}
"#;

    #[test]
    fn location_matching_follows_nginx_order() {
        assert_eq!(served_by(SITE, "/exact"), "location = /exact {");
        assert_eq!(served_by(SITE, "/exact/more"), "location / {");
        assert_eq!(served_by(SITE, "/.git/config"), "location ~ /\\. {");
        assert_eq!(served_by(SITE, "/static/.env"), "location ~ /\\. {");
        assert_eq!(
            served_by(SITE, "/.well-known/acme"),
            "location ^~ /.well-known/ {"
        );
        assert_eq!(served_by(SITE, "/index.PHP"), "location ~* \\.php$ {");
        assert_eq!(served_by(SITE, "/media/x.php"), "location ~ \\.php$ {");
        assert_eq!(served_by(SITE, "/static/app.js"), "location /static/ {");
        assert_eq!(
            served_by("http { server { location /a { } } }", "/b"),
            "server"
        );
    }

    #[test]
    fn a_regex_the_build_cannot_read_makes_the_route_unknown() {
        let text = r"http { server { location ~ ^/(?!public) { deny all; } } }";
        assert!(served_by(text, "/x").starts_with("unknown: the regex"));
    }

    #[test]
    fn add_header_is_inherited_only_by_levels_without_their_own() {
        let config = config(
            "http {\n add_header A 1;\n server {\n  location / { }\n  location /x { add_header B 2; }\n }\n}",
        );
        let server = servers(&config)[0];
        let locations = server.locations();
        let names = |l: &Location| -> Vec<String> {
            effective(&l.levels, "add_header", true)
                .directives()
                .iter()
                .map(|d| d.arg(0).to_string())
                .collect()
        };
        assert_eq!(names(&locations[0]), ["A"]);
        assert_eq!(names(&locations[1]), ["B"]);
        assert_eq!(server.effective("server_tokens"), Effective::Default);
    }

    #[test]
    fn refusals_are_deny_all_a_4xx_return_or_internal() {
        let config = config(
            "http { server {\n location /a { deny all; }\n location /b { allow 10.0.0.0/8; deny all; }\n location /c { return 404; }\n location /d { internal; }\n location /e { return 301 /; }\n } }",
        );
        let server = servers(&config)[0];
        let refused: Vec<bool> = server
            .locations()
            .iter()
            .map(|l| refusal(&l.levels, true).is_some())
            .collect();
        assert_eq!(refused, [true, false, true, true, false]);
    }

    #[test]
    fn https_servers_and_site_files() {
        let site = NginxConfig {
            main: "sites-enabled/shop".into(),
            complete: false,
            files: vec![],
            directives: parse_text(
                "s",
                "server { listen [::]:443 ssl http2; }\nserver { listen 80; }",
            )
            .expect("parses"),
            issues: vec![],
        };
        let servers = servers(&site);
        assert_eq!(servers.len(), 2);
        assert!(servers[0].answers_https());
        assert!(!servers[1].answers_https());
        assert_eq!(servers[0].effective("ssl_protocols"), Effective::Unknown);
    }
}
