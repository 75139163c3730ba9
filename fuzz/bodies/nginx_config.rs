//! The body of the `nginx_config` fuzz target, kept here so that the stable
//! test `crates/cartguard-files/tests/fuzz_bodies.rs` runs the very same check
//! on generated inputs.
//!
//! The input is split at NUL bytes into the files of a small configuration
//! tree (`nginx.conf`, a site, a snippet, a conf.d file), which is analysed as
//! a scan would (classified, includes resolved) and then evaluated: every
//! server's locations, inherited directives and the route of a few request
//! paths. No input may panic, and a configuration that cannot be read must
//! name one of the files and a line inside it.

use cartguard_files::discover::{FileText, Options, analyse};
use cartguard_files::nginx::servers;

/// The files the input is split into, in order.
pub const FILES: &[&str] = &[
    "srv/nginx.conf",
    "srv/sites-enabled/shop.conf",
    "srv/snippets/headers.conf",
    "srv/conf.d/extra.conf",
];

/// Request paths every server is asked to route.
const PATHS: &[&str] = &[
    "/",
    "/.git/config",
    "/app/etc/env.php",
    "/static/x.js",
    "/a/../b",
];

pub fn run(data: &[u8]) {
    let texts: Vec<FileText> = data
        .split(|b| *b == 0)
        .zip(FILES)
        .map(|(bytes, path)| FileText {
            path: (*path).to_string(),
            root: "srv".into(),
            text: String::from_utf8_lossy(bytes).into_owned(),
            mode: None,
            owner: None,
        })
        .collect();
    let line_counts: Vec<(String, usize)> = texts
        .iter()
        .map(|t| (t.path.clone(), t.text.lines().count() + 1))
        .collect();
    let files = analyse(vec!["srv".into()], Options::default(), texts, Vec::new());
    for config in &files.nginx {
        for issue in &config.issues {
            let Some((_, lines)) = line_counts.iter().find(|(p, _)| *p == issue.file) else {
                panic!("an issue names a file that was not given: {issue}");
            };
            assert!(
                issue.line as usize <= *lines,
                "an issue names a line past the end: {issue}"
            );
        }
        if config.fatal().is_some() {
            continue;
        }
        for server in servers(config) {
            let _ = server.answers_https();
            let _ = server.effective("add_header");
            let _ = server.label();
            for location in server.locations() {
                let _ = cartguard_files::nginx::eval::refusal(&location.levels, server.complete());
            }
            for path in PATHS {
                let _ = server.route(path);
            }
        }
    }
}
