//! Finding and reading server files: the paths given with `--path` are
//! walked (honouring `.gitignore` unless told not to) on every core, every
//! text file under the size limit is read, classified ([`classify`]) and
//! scanned for secrets as soon as it is read, and only the texts the joint
//! analysis needs (nginx, Magento, environment files) are kept. [`analyse`]
//! does the same for files held in memory, so tests and fuzzing run it
//! without a disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cartguard_inventory::files::{
    DEFAULT_MAX_FILE_SIZE, FileKind, FileRead, FileSkipped, GitHistory, MagentoRoot, ServerFiles,
    SkipReason,
};

use cartguard_inventory::files::magento::FilePermissions;

use crate::magento::{FileInMemory, root_from_files};
use crate::nginx::load::{included_files, load_config};
use crate::nginx::parse::parse_text;
use crate::paths::{file_name, normalise, parent};

/// How to walk and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Files larger than this are skipped (bytes).
    pub max_file_size: u64,
    /// Honour `.gitignore`, `.ignore` and git's exclude files.
    pub honour_ignore_files: bool,
    /// Scan the history of each path that is a git repository.
    pub git_history: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            honour_ignore_files: true,
            git_history: false,
        }
    }
}

/// A text file as read, before analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileText {
    /// Its path (the root joined with the path below it, normalised).
    pub path: String,
    /// The root it was found under, as given.
    pub root: String,
    /// Its content.
    pub text: String,
    /// Its Unix permission bits, where the file system has them.
    pub mode: Option<u32>,
    /// Its owning user and group ids, where the file system has them.
    pub owner: Option<(u32, u32)>,
}

/// Why the paths given cannot be scanned.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path does not exist or cannot be opened.
    #[error("{path}: {error}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// The operating system's error.
        error: String,
    },
    /// A path holds no file that can be read as text.
    #[error("{path}: {why}")]
    Nothing {
        /// The path as given.
        path: String,
        /// What was found instead.
        why: String,
    },
}

/// Walks and reads the paths given, analysing each file as it is read (the
/// secret scan and classification run on the walking threads, and only the
/// texts of nginx, Magento and environment files are kept), then joins what
/// was found. A path that does not exist, or holds no text file that could be
/// read, is an error naming it.
pub fn read_server_files(
    roots: &[PathBuf],
    options: Options,
) -> Result<ServerFiles, DiscoverError> {
    let mut examined = Vec::new();
    let mut skipped = Vec::new();
    let mut names = Vec::new();
    for root in roots {
        let name = normalise(&root.display().to_string());
        let (mut read, mut not_read) = read_root(root, &name, options)?;
        if read.is_empty() {
            let why = if not_read.is_empty() {
                "no file to scan (an empty folder, or every file is ignored; --no-ignore reads ignored files)".to_string()
            } else {
                let listed: Vec<String> = not_read
                    .iter()
                    .take(3)
                    .map(|s: &FileSkipped| format!("{} ({})", s.path, s.reason.describe()))
                    .collect();
                let more = match not_read.len() {
                    n if n > 3 => format!(" and {} more", n - 3),
                    _ => String::new(),
                };
                format!("no text file could be read: {}{more}", listed.join(", "))
            };
            return Err(DiscoverError::Nothing { path: name, why });
        }
        examined.append(&mut read);
        skipped.append(&mut not_read);
        names.push(name);
    }
    let mut files = assemble(names, options, examined, skipped, Reread::FromDisk);
    if options.git_history {
        for root in roots {
            let name = normalise(&root.display().to_string());
            files
                .git_history
                .push(history_of(root, &name, options, &mut files.secrets));
        }
    }
    Ok(files)
}

/// Scans the history of one path given, adding what it finds to `secrets`.
fn history_of(
    root: &Path,
    name: &str,
    options: Options,
    secrets: &mut Vec<cartguard_inventory::files::SecretFound>,
) -> GitHistory {
    let mut record = GitHistory {
        root: name.to_string(),
        ..GitHistory::default()
    };
    if !crate::git_history::is_repository(root) {
        record.error = Some("not the top of a git repository".to_string());
        return record;
    }
    match crate::git_history::scan_history(root, name, options.max_file_size) {
        Ok(scan) => {
            record.commits = scan.commits;
            record.blobs = scan.blobs;
            record.skipped_blobs = scan.skipped_blobs;
            crate::git_history::merge_into(secrets, scan.secrets);
        }
        Err(e) => record.error = Some(e.message),
    }
    record
}

/// Reads and examines every file under one root, on as many threads as
/// there are cores, and puts them back in the walk's order.
fn read_root(
    root: &Path,
    name: &str,
    options: Options,
) -> Result<(Vec<Examined>, Vec<FileSkipped>), DiscoverError> {
    std::fs::metadata(root).map_err(|e| DiscoverError::Unreadable {
        path: name.to_string(),
        error: e.to_string(),
    })?;
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        .follow_links(false)
        // Git's own folder holds history, not files of the site.
        .filter_entry(|entry| entry.file_name() != ".git");
    if options.honour_ignore_files {
        walker.require_git(false);
    } else {
        walker
            .ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false);
    }
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    walker.build_parallel().run(|| {
        Box::new(|entry| {
            // The file is examined before the lock is taken, so that the
            // threads scan in parallel and only take turns to store.
            let outcome = read_entry(entry, name, options).map(|read| read.map(examine));
            if outcome.is_none() {
                return ignore::WalkState::Continue;
            }
            // A poisoned lock means another thread panicked: stop walking.
            let Ok(mut found) = found.lock() else {
                return ignore::WalkState::Quit;
            };
            match outcome {
                Some(Ok(examined)) => found.0.push(examined),
                Some(Err(skip)) => found.1.push(skip),
                None => {}
            }
            ignore::WalkState::Continue
        })
    });
    let (mut read, mut skipped): (Vec<Examined>, Vec<FileSkipped>) = found
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    read.sort_by(|a, b| walk_order(&a.read.path).cmp(&walk_order(&b.read.path)));
    skipped.sort_by(|a, b| walk_order(&a.path).cmp(&walk_order(&b.path)));
    Ok((read, skipped))
}

/// Reads one entry of the walk: its text, why it was skipped, or `None` for
/// what is not a file.
fn read_entry(
    entry: Result<ignore::DirEntry, ignore::Error>,
    name: &str,
    options: Options,
) -> Option<Result<FileText, FileSkipped>> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error_path(&error).unwrap_or_else(|| name.to_string());
            return Some(Err(FileSkipped {
                path,
                root: name.to_string(),
                reason: SkipReason::Unreadable {
                    error: error.to_string(),
                },
            }));
        }
    };
    let is_file = entry.file_type().is_some_and(|t| t.is_file())
        || (entry.path_is_symlink() && entry.path().is_file());
    if !is_file {
        return None;
    }
    let path = normalise(&entry.path().display().to_string());
    let skip = |reason| {
        Some(Err(FileSkipped {
            path: path.clone(),
            root: name.to_string(),
            reason,
        }))
    };
    let metadata = match std::fs::metadata(entry.path()) {
        Ok(m) => m,
        Err(e) => {
            return skip(SkipReason::Unreadable {
                error: e.to_string(),
            });
        }
    };
    if metadata.len() > options.max_file_size {
        return skip(SkipReason::TooLarge {
            size: metadata.len(),
            limit: options.max_file_size,
        });
    }
    let bytes = match std::fs::read(entry.path()) {
        Ok(bytes) => bytes,
        Err(e) => {
            return skip(SkipReason::Unreadable {
                error: e.to_string(),
            });
        }
    };
    match text_of(bytes) {
        Some(text) => Some(Ok(FileText {
            path,
            root: name.to_string(),
            text,
            mode: mode_of(&metadata),
            owner: owner_of(&metadata),
        })),
        None => skip(SkipReason::Binary),
    }
}

/// A file as examined when read: what it was read as, the secrets in it,
/// and its text when the analysis after the walk needs it.
struct Examined {
    read: FileRead,
    owner: Option<(u32, u32)>,
    /// Kept for nginx, Magento and environment files, which are analysed
    /// together once every file is read.
    text: Option<String>,
    secrets: Vec<cartguard_inventory::files::SecretFound>,
}

fn examine(file: FileText) -> Examined {
    let kind = classify(&file.path, &file.text);
    let secrets = crate::secrets::scan_file(&file.path, file.text.as_bytes());
    Examined {
        read: FileRead {
            size: file.text.len() as u64,
            path: file.path,
            root: file.root,
            kind,
            mode: file.mode,
        },
        owner: file.owner,
        text: (kind != FileKind::Other).then_some(file.text),
        secrets,
    }
}

fn error_path(error: &ignore::Error) -> Option<String> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(normalise(&path.display().to_string())),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// The text of a file, or `None` for binary data: a NUL byte early on, or
/// bytes that are not UTF-8.
pub fn text_of(bytes: Vec<u8>) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

#[cfg(unix)]
fn mode_of(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(metadata.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> Option<u32> {
    None
}

#[cfg(unix)]
fn owner_of(metadata: &std::fs::Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.uid(), metadata.gid()))
}

#[cfg(not(unix))]
fn owner_of(_: &std::fs::Metadata) -> Option<(u32, u32)> {
    None
}

/// What a file is read as, from its path; `text` decides for files whose
/// name says nothing (a configuration with a `server` block is nginx).
pub fn classify(path: &str, text: &str) -> FileKind {
    let name = file_name(path);
    let folder = parent(path);
    let folder_name = file_name(&folder);
    if path.ends_with("app/etc/env.php") {
        return FileKind::MagentoEnvPhp;
    }
    if path.ends_with("app/etc/config.php") {
        return FileKind::MagentoConfigPhp;
    }
    if name == "composer.lock" {
        return FileKind::ComposerLock;
    }
    if name == ".env" || name.starts_with(".env.") {
        return FileKind::DotEnv;
    }
    if name == "nginx.conf" || folder_name == "sites-enabled" || folder_name == "sites-available" {
        return FileKind::NginxConfig;
    }
    if folder_name == "conf.d" && name.ends_with(".conf") && parse_text(path, text).is_ok() {
        return FileKind::NginxConfig;
    }
    if looks_like_nginx_site(path, text) {
        return FileKind::NginxConfig;
    }
    FileKind::Other
}

/// Whether a file parses as nginx and has a `server` block (at the top, or
/// in `http`).
fn looks_like_nginx_site(path: &str, text: &str) -> bool {
    if !(text.contains("server") && text.contains('{')) {
        return false;
    }
    let Ok(directives) = parse_text(path, text) else {
        return false;
    };
    directives.iter().any(|d| {
        (d.name == "server" && d.block.is_some())
            || (d.name == "http"
                && d.children()
                    .iter()
                    .any(|c| c.name == "server" && c.block.is_some()))
    })
}

/// What was read, analysed: each file classified, nginx configurations
/// loaded with their includes, Magento installations found. For files held
/// in memory (tests, fuzzing); a scan examines each file as it reads it.
pub fn analyse(
    roots: Vec<String>,
    options: Options,
    texts: Vec<FileText>,
    skipped: Vec<FileSkipped>,
) -> ServerFiles {
    use rayon::prelude::*;
    let all: BTreeMap<String, String> = texts
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let examined = texts.into_par_iter().map(examine).collect();
    assemble(roots, options, examined, skipped, Reread::From(all))
}

/// Where the text of a file that was not kept comes from, when an nginx
/// configuration includes it under a name that says nothing (`mime.types`,
/// `fastcgi_params`).
enum Reread {
    /// Read it again from the disk.
    FromDisk,
    /// Every text, held in memory.
    From(BTreeMap<String, String>),
}

/// The files read, as nginx's includes see them.
struct ReadFiles<'a> {
    kept: BTreeMap<String, &'a str>,
    paths: Vec<&'a str>,
    reread: &'a Reread,
}

impl crate::nginx::load::IncludeSource for ReadFiles<'_> {
    fn has(&self, path: &str) -> bool {
        self.paths.binary_search(&path).is_ok()
    }

    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.paths.iter().copied())
    }

    fn text(&self, path: &str) -> Option<std::borrow::Cow<'_, str>> {
        if let Some(text) = self.kept.get(path) {
            return Some(std::borrow::Cow::Borrowed(text));
        }
        if !self.has(path) {
            return None;
        }
        match self.reread {
            Reread::FromDisk => std::fs::read(path)
                .ok()
                .and_then(text_of)
                .map(std::borrow::Cow::Owned),
            Reread::From(all) => all
                .get(path)
                .map(|t| std::borrow::Cow::Borrowed(t.as_str())),
        }
    }
}

/// The order of the walk: by path, one component after another (`a/b`
/// before `a.txt`).
fn walk_order(path: &str) -> Vec<&str> {
    path.split('/').collect()
}

/// Joins the files examined, in the order given: nginx configurations
/// loaded with their includes, Magento roots found, secrets listed.
fn assemble(
    roots: Vec<String>,
    options: Options,
    examined: Vec<Examined>,
    skipped: Vec<FileSkipped>,
    reread: Reread,
) -> ServerFiles {
    let mut paths: Vec<&str> = examined.iter().map(|e| e.read.path.as_str()).collect();
    paths.sort_unstable();
    let source = ReadFiles {
        kept: examined
            .iter()
            .filter_map(|e| Some((e.read.path.clone(), e.text.as_deref()?)))
            .collect(),
        paths,
        reread: &reread,
    };
    let nginx = nginx_configs(&examined, &source);
    let magento = magento_roots(&examined);
    drop(source);
    // A file an nginx configuration includes is nginx, whatever its name.
    let mut files: Vec<FileRead> = Vec::with_capacity(examined.len());
    let mut secrets = Vec::new();
    let included: std::collections::BTreeSet<&str> =
        nginx.iter().flat_map(included_files).collect();
    for e in examined {
        let mut read = e.read;
        if included.contains(read.path.as_str()) {
            read.kind = FileKind::NginxConfig;
        }
        files.push(read);
        secrets.extend(e.secrets);
    }
    ServerFiles {
        roots,
        max_file_size: options.max_file_size,
        honoured_ignore_files: options.honour_ignore_files,
        files,
        skipped,
        nginx,
        magento,
        secrets,
        git_history: Vec::new(),
    }
}

/// The configurations: each `nginx.conf`, then each other nginx file that
/// none of them includes. A site in `sites-available` that nothing includes
/// is not served when an `nginx.conf` was read, and is left out.
fn nginx_configs(
    examined: &[Examined],
    source: &ReadFiles<'_>,
) -> Vec<cartguard_inventory::files::NginxConfig> {
    let candidates: Vec<&str> = examined
        .iter()
        .filter(|e| e.read.kind == FileKind::NginxConfig)
        .map(|e| e.read.path.as_str())
        .collect();
    let mut configs = Vec::new();
    let mut included: Vec<String> = Vec::new();
    for main in candidates.iter().filter(|p| file_name(p) == "nginx.conf") {
        let config = load_config(main, source);
        included.extend(included_files(&config).map(str::to_string));
        configs.push(config);
    }
    let have_main = !configs.is_empty();
    for path in candidates {
        if file_name(path) == "nginx.conf" || included.iter().any(|i| i == path) {
            continue;
        }
        if have_main && file_name(&parent(path)) == "sites-available" {
            continue;
        }
        let config = load_config(path, source);
        included.extend(included_files(&config).map(str::to_string));
        configs.push(config);
    }
    // A site loaded as a main file before the file including it was seen.
    configs.retain(|c| !included.contains(&c.main) || file_name(&c.main) == "nginx.conf");
    configs
}

/// The Magento roots: the folder three levels above each `app/etc/env.php`
/// or `app/etc/config.php`, read from the files as read (modes and owners
/// included).
fn magento_roots(examined: &[Examined]) -> Vec<MagentoRoot> {
    let mut roots: Vec<String> = Vec::new();
    for e in examined {
        if matches!(
            e.read.kind,
            FileKind::MagentoEnvPhp | FileKind::MagentoConfigPhp
        ) {
            let root = parent(&parent(&parent(&e.read.path)));
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    roots
        .into_iter()
        .map(|root| {
            let file = |relative: &str| {
                let path = if root.is_empty() {
                    relative.to_string()
                } else {
                    format!("{root}/{relative}")
                };
                let e = examined.iter().find(|e| e.read.path == path)?;
                Some(FileInMemory {
                    path: &e.read.path,
                    text: e.text.as_deref()?,
                    permissions: e.read.mode.map(|mode| FilePermissions {
                        mode,
                        uid: e.owner.map(|(uid, _)| uid),
                        gid: e.owner.map(|(_, gid)| gid),
                    }),
                })
            };
            root_from_files(
                &root,
                file(crate::magento::ENV_PHP),
                file(crate::magento::CONFIG_PHP),
                file(crate::magento::COMPOSER_LOCK),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &str, text: &str) -> FileText {
        FileText {
            path: path.into(),
            root: "r".into(),
            text: text.into(),
            mode: None,
            owner: None,
        }
    }

    #[test]
    fn files_are_classified_by_name_then_content() {
        assert_eq!(
            classify("r/etc/nginx/nginx.conf", ""),
            FileKind::NginxConfig
        );
        assert_eq!(classify("r/sites-enabled/shop", ""), FileKind::NginxConfig);
        assert_eq!(
            classify("r/conf.d/shop.conf", "server { }"),
            FileKind::NginxConfig
        );
        assert_eq!(
            classify("r/conf.d/php.conf", "<Directory>"),
            FileKind::Other
        );
        assert_eq!(
            classify("r/shop/app/etc/env.php", ""),
            FileKind::MagentoEnvPhp
        );
        assert_eq!(
            classify("r/shop/app/etc/config.php", ""),
            FileKind::MagentoConfigPhp
        );
        assert_eq!(classify("r/composer.lock", ""), FileKind::ComposerLock);
        assert_eq!(classify("r/.env", ""), FileKind::DotEnv);
        assert_eq!(classify("r/.env.production", ""), FileKind::DotEnv);
        assert_eq!(classify("r/.envrc", ""), FileKind::Other);
        assert_eq!(
            classify("r/deploy/store", "server {\n listen 80;\n}\n"),
            FileKind::NginxConfig
        );
        assert_eq!(
            classify("r/notes.txt", "the server {is} down"),
            FileKind::Other
        );
    }

    #[test]
    fn included_files_are_nginx_and_not_main_configurations() {
        let files = analyse(
            vec!["r".into()],
            Options::default(),
            vec![
                text("r/nginx.conf", "http { include sites-enabled/*; }"),
                text("r/sites-enabled/shop", "server { include snippets/h.inc; }"),
                text("r/sites-available/old", "server { }"),
                text("r/snippets/h.inc", "server_tokens off;"),
                text("r/shop/app/etc/env.php", "<?php return [];"),
                text("r/shop/app/etc/config.php", "<?php return [];"),
            ],
            vec![],
        );
        assert_eq!(files.nginx.len(), 1);
        assert_eq!(files.nginx[0].main, "r/nginx.conf");
        let kinds: Vec<FileKind> = files.files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FileKind::NginxConfig,
                FileKind::NginxConfig,
                FileKind::NginxConfig,
                FileKind::NginxConfig,
                FileKind::MagentoEnvPhp,
                FileKind::MagentoConfigPhp
            ]
        );
        assert_eq!(files.magento.len(), 1);
        let root: &MagentoRoot = &files.magento[0];
        assert_eq!(root.path, "r/shop");
        assert_eq!(root.env_php.path(), Some("r/shop/app/etc/env.php"));
        assert_eq!(root.config_php.path(), Some("r/shop/app/etc/config.php"));
    }

    #[test]
    fn site_files_without_a_main_file_are_each_a_configuration() {
        let files = analyse(
            vec!["r".into()],
            Options::default(),
            vec![
                text("r/sites-available/a", "server { }"),
                text("r/sites-available/b", "server { }"),
            ],
            vec![],
        );
        assert_eq!(files.nginx.len(), 2);
        assert!(files.nginx.iter().all(|c| !c.complete));
    }

    #[test]
    fn walking_reads_text_skips_binary_large_and_ignored_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sites-enabled")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(
            root.join("sites-enabled/shop.conf"),
            "server { listen 80; }\n",
        )
        .unwrap();
        std::fs::write(root.join(".env"), "A=1\n").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.txt\n").unwrap();
        std::fs::write(root.join("ignored.txt"), "x\n").unwrap();
        std::fs::write(root.join(".git/config"), "[core]\n").unwrap();
        std::fs::write(root.join("logo.png"), [0x89u8, b'P', 0, 0]).unwrap();
        std::fs::write(root.join("big.log"), "x".repeat(100)).unwrap();
        let options = Options {
            max_file_size: 50,
            honour_ignore_files: true,
            git_history: false,
        };
        let files = read_server_files(&[root.to_path_buf()], options).unwrap();
        let read: Vec<&str> = files.files.iter().map(|f| file_name(&f.path)).collect();
        assert_eq!(read, [".env", ".gitignore", "shop.conf"]);
        let skipped: Vec<(&str, &SkipReason)> = files
            .skipped
            .iter()
            .map(|s| (file_name(&s.path), &s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "big.log",
                    &SkipReason::TooLarge {
                        size: 100,
                        limit: 50
                    }
                ),
                ("logo.png", &SkipReason::Binary)
            ]
        );
        let everything = read_server_files(
            &[root.to_path_buf()],
            Options {
                honour_ignore_files: false,
                ..options
            },
        )
        .unwrap();
        assert!(
            everything
                .files
                .iter()
                .any(|f| f.path.ends_with("ignored.txt"))
        );
    }

    #[test]
    fn a_path_with_nothing_to_read_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let error =
            read_server_files(std::slice::from_ref(&empty), Options::default()).unwrap_err();
        assert!(
            error.to_string().contains("empty: no file to scan"),
            "{error}"
        );
        let missing = dir.path().join("missing");
        let error = read_server_files(&[missing], Options::default()).unwrap_err();
        assert!(error.to_string().contains("missing: "), "{error}");
        std::fs::write(empty.join("a.bin"), [0u8, 1, 2]).unwrap();
        let error = read_server_files(&[empty], Options::default()).unwrap_err();
        assert!(error.to_string().contains("a.bin (binary)"), "{error}");
    }
}
