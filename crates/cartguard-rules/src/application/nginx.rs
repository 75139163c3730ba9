//! What the nginx rules share: the configurations that can be judged (a
//! scan without any, or one that cannot be parsed, is not assessed), the
//! shape of a finding on a configuration line, and probing request paths.

use cartguard_files::nginx::eval::{Effective, Route, Server, refusal};
use cartguard_files::nginx::servers;
use cartguard_inventory::files::{NginxConfig, NginxDirective};
use serde_json::{Value, json};

use crate::{Context, Emitter, Failure};

/// Findings on files have no region.
pub(crate) const REGION: &str = "global";

/// The configurations the rules can judge. Without any nginx configuration
/// among the files, or for one that cannot be parsed, the rule says it
/// could not assess, naming the paths or the file and line.
pub(crate) fn configs<'c>(ctx: &Context<'c>, out: &mut Emitter) -> Vec<&'c NginxConfig> {
    let files = ctx.server_files();
    if files.nginx.is_empty() {
        out.not_assessed(
            &files.roots.join(", "),
            REGION,
            format!(
                "no nginx configuration among the files read under {} (nginx.conf, sites-enabled/*, conf.d/*.conf or a file with a server block)",
                files.roots.join(", ")
            ),
        );
        return Vec::new();
    }
    let mut usable = Vec::new();
    for config in &files.nginx {
        match config.fatal() {
            Some(issue) => out.not_assessed(
                &format!("{}:{}", issue.file, issue.line),
                REGION,
                format!(
                    "the nginx configuration {} cannot be read: {}",
                    config.main, issue
                ),
            ),
            None => usable.push(config),
        }
    }
    usable
}

/// Every server of the configurations that can be judged.
pub(crate) fn all_servers<'c>(ctx: &Context<'c>, out: &mut Emitter) -> Vec<Server<'c>> {
    configs(ctx, out).into_iter().flat_map(servers).collect()
}

/// Every directive of a configuration, nested ones included, in order.
pub(crate) fn walk<'c>(directives: &'c [NginxDirective], out: &mut Vec<&'c NginxDirective>) {
    for directive in directives {
        out.push(directive);
        walk(directive.children(), out);
    }
}

/// The evidence of a finding: the configuration lines decided on, as they
/// are written, each with its place.
pub(crate) fn lines(directives: &[&NginxDirective]) -> Value {
    Value::Array(
        directives
            .iter()
            .map(|d| json!({"at": d.place(), "line": d.source}))
            .collect(),
    )
}

/// A failure on a configuration line.
pub(crate) fn failure(
    at: &NginxDirective,
    detail: String,
    evidence: Value,
    remediation: String,
) -> Failure {
    Failure {
        resource: at.place(),
        region: REGION.to_string(),
        detail,
        evidence,
        remediation,
        ..Failure::default()
    }
}

/// Reports that a directive inherited from `http` could not be judged for a
/// site file read without its `nginx.conf`.
pub(crate) fn outer_unknown(
    out: &mut Emitter,
    server: &Server,
    directive: &str,
    discriminator: Option<String>,
) {
    out.not_assessed_as(Failure {
        resource: server.directive.place(),
        region: REGION.to_string(),
        detail: format!(
            "{} does not set {directive}, and the http block that may set it (in nginx.conf) was not among the files read; scan nginx.conf too",
            server.label()
        ),
        evidence: json!({"server": lines(&[server.directive])}),
        discriminator,
        ..Failure::default()
    });
}

/// What serving a probe path comes to.
pub(crate) enum Probe<'c> {
    /// The request is refused by this directive (or a `return` at the server
    /// level answers every request).
    Refused(&'c NginxDirective),
    /// The Magento root is `…/pub`: the path is outside the document root.
    OutsideRoot(&'c NginxDirective),
    /// Served by this location (or by the server when `None`).
    Served(Option<&'c NginxDirective>),
    /// The route depends on a regex this build cannot evaluate.
    Unknown(&'c NginxDirective, String),
}

/// How `server` answers a request for `path`. `outside_pub` says whether a
/// document root ending in `/pub` keeps the path out of reach (true for
/// Magento's own files, which live above `pub/`).
pub(crate) fn probe<'c>(server: &Server<'c>, path: &str, outside_pub: bool) -> Probe<'c> {
    if let Some(answer) = server.returns_everything() {
        return Probe::Refused(answer);
    }
    let (levels, location) = match server.route(path) {
        Route::Location(l) => (l.levels.clone(), Some(l.directive)),
        Route::Server => (server.levels(), None),
        Route::Unknown { location, reason } => return Probe::Unknown(location, reason),
    };
    if let Some(refused) = refusal(&levels, server.complete()) {
        return Probe::Refused(refused);
    }
    if outside_pub
        && let Effective::Set(roots) =
            cartguard_files::nginx::eval::effective(&levels, "root", server.complete())
        && let Some(root) = roots.last()
        && root.arg(0).trim_end_matches('/').ends_with("/pub")
    {
        return Probe::OutsideRoot(root);
    }
    Probe::Served(location)
}

/// Whether a server passes requests to PHP (FastCGI), as a Magento store does.
pub(crate) fn runs_php(server: &Server) -> bool {
    let mut all = Vec::new();
    walk(server.directive.children(), &mut all);
    all.iter()
        .any(|d| d.name == "fastcgi_pass" || d.args.iter().any(|a| a.contains("MAGE_ROOT")))
}
