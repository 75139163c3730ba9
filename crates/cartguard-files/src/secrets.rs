//! Credentials written in files: every text file of a scanned tree, and
//! `.env` files read as `KEY=VALUE` lines.
//!
//! A file is first searched for the few byte strings any credential or any
//! credential's name must contain (token prefixes, `PRIVATE KEY`, `://`,
//! `pass`, `secret`, `token`, `key`…) with one Aho-Corasick automaton; only
//! the lines holding one are looked at further, by the value's shape
//! ([`credentials::by_shape`]) and by name and value together
//! ([`credentials::detect`]). Most lines of a source tree never get past the
//! automaton, which is what makes a scan of a large tree fast.
//!
//! What comes out holds no value: the kind, the line, a redacted form and a
//! short hash ([`SecretFound`]).

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use cartguard_inventory::files::secrets::{Basis, CredentialKind, SecretFound};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::credentials::{by_shape, detect, looks_like_aws_secret_access_key, redact};

/// Byte strings that a line must contain for it to hold a credential:
/// the prefixes of the shapes [`by_shape`] knows, and the words of the names
/// [`detect`] judges. Matched ignoring ASCII case.
const NEEDLES: &[&str] = &[
    // shapes
    "akia",
    "asia",
    "sk_live_",
    "rk_live_",
    "shpat_",
    "shpss_",
    "shpca_",
    "shppa_",
    "pk_",
    "access_token$",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "hooks.slack.com",
    "private key",
    "://",
    // names (every needle from here on is a name's word)
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "credential",
    "salt",
];

/// The index in [`NEEDLES`] of the first word of a name: needles before it are
/// the beginnings of values.
const FIRST_NAME_NEEDLE: usize = 21;

static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .build(NEEDLES)
        .expect("the needles are plain strings")
});

/// Whether the file at `path` is a dotenv file (`.env`, `.env.production`,
/// `production.env`), read as `KEY=VALUE` lines.
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// Whether a file is configuration where a value may stand unquoted
/// (`password: hunter2` in YAML, `password=hunter2` in an ini file). In
/// source code an unquoted value is an expression, not a literal.
fn unquoted_values_are_literal(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some(
            "yml"
                | "yaml"
                | "ini"
                | "cfg"
                | "conf"
                | "cnf"
                | "properties"
                | "txt"
                | "npmrc"
                | "netrc"
                | "pgpass"
        )
    ) || name.starts_with(".npmrc")
        || name == ".netrc"
        || name == ".pgpass"
        || name == ".my.cnf"
}

/// Whether the bytes look like a binary file (a NUL byte in the first 8 KiB),
/// which is not scanned.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// The first twelve hexadecimal digits of a value's SHA-256: enough to tell
/// whether two findings are the same value, too little to recover it.
pub fn value_hash(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    hex::encode(&digest[..6])
}

/// A credential found on a line, before it is given its file.
struct Hit {
    line: u32,
    kind: CredentialKind,
    basis: Basis,
    name: Option<String>,
    redacted: String,
    hash: String,
    key_id: Option<String>,
}

impl Hit {
    fn new(line: u32, kind: CredentialKind, basis: Basis, name: Option<&str>, value: &str) -> Hit {
        Hit {
            line,
            kind,
            basis,
            name: name.map(str::to_string),
            redacted: match kind {
                CredentialKind::PrivateKey => private_key_header(value),
                // A URL's scheme (and a webhook's host) say what it is and
                // reveal nothing of the secret in it.
                CredentialKind::SlackWebhook | CredentialKind::DatabaseUrlWithPassword => {
                    let shown = match value.find("://") {
                        Some(at) if kind == CredentialKind::SlackWebhook => value[at + 3..]
                            .find('/')
                            .map_or(at + 3, |slash| at + 3 + slash + 1),
                        Some(at) => at + 3,
                        None => 0,
                    };
                    format!("{}… ({} chars)", &value[..shown], value.chars().count())
                }
                _ => redact(value),
            },
            hash: value_hash(value),
            key_id: (kind == CredentialKind::AwsAccessKeyId).then(|| value.to_string()),
        }
    }

    fn into_found(self, path: &str) -> SecretFound {
        SecretFound {
            path: path.to_string(),
            line: self.line,
            kind: self.kind,
            basis: self.basis,
            name: self.name,
            redacted: self.redacted,
            hash: self.hash,
            aws_access_key_id: self.key_id,
            introduced: None,
        }
    }
}

/// A private key is shown by its PEM header, which names its type and
/// reveals nothing of the key.
fn private_key_header(value: &str) -> String {
    let Some(start) = value.find("-----BEGIN ") else {
        return redact(value);
    };
    let rest = &value[start..];
    let end = rest[11..]
        .find("-----")
        .map(|i| 11 + i + 5)
        .unwrap_or(rest.len());
    format!("{} (key body not shown)", &rest[..end])
}

/// Every credential written in one file. `path` is how findings name the file.
pub fn scan_file(path: &str, bytes: &[u8]) -> Vec<SecretFound> {
    if is_binary(bytes) {
        return Vec::new();
    }
    let hits = if is_env_file(path) {
        scan_env(bytes)
    } else {
        scan_text(bytes, unquoted_values_are_literal(path))
    };
    hits.into_iter().map(|h| h.into_found(path)).collect()
}

/// Every credential in a set of files (path, content), scanned in parallel;
/// findings in the order of the files, then of lines.
pub fn scan_files<P, B>(files: &[(P, B)]) -> Vec<SecretFound>
where
    P: AsRef<str> + Sync,
    B: AsRef<[u8]> + Sync,
{
    files
        .par_iter()
        .flat_map_iter(|(path, bytes)| scan_file(path.as_ref(), bytes.as_ref()))
        .collect()
}

/// A line holding a needle: where values may start, and whether a name's
/// word is on it.
struct Candidate<'a> {
    /// The 1-based line number.
    number: u32,
    /// The line's bytes.
    text: &'a [u8],
    /// Offsets in the line where a value's beginning was matched.
    shapes: Vec<usize>,
    /// Offsets in the line where a name's word was matched.
    names: Vec<usize>,
}

/// The lines of `bytes` that hold a needle, with what was matched where.
fn candidate_lines(bytes: &[u8]) -> Vec<Candidate<'_>> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut line_number: u32 = 1;
    let mut counted_to = 0usize;
    let mut line_start = 0usize;
    let mut line_end = 0usize;
    for found in PREFILTER.find_iter(bytes) {
        let at = found.start();
        if out.is_empty() || at > line_end {
            line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            line_number +=
                memchr::memchr_iter(b'\n', &bytes[counted_to..line_start]).count() as u32;
            counted_to = line_start;
            out.push(Candidate {
                number: line_number,
                text: &bytes[line_start..line_end],
                shapes: Vec::new(),
                names: Vec::new(),
            });
        }
        let Some(candidate) = out.last_mut() else {
            continue;
        };
        if found.pattern().as_usize() < FIRST_NAME_NEEDLE {
            candidate.shapes.push(at - line_start);
        } else {
            candidate.names.push(at - line_start);
        }
    }
    out
}

/// Whether a byte ends a value: quotes, whitespace, brackets, separators.
fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b','
                | b';'
                | b'('
                | b')'
                | b'<'
                | b'>'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'\\'
                | b'='
        )
}

/// The value around offset `at` of a line: the run of bytes between delimiters.
fn token_at(line: &[u8], at: usize) -> (usize, &[u8]) {
    let start = line[..at]
        .iter()
        .rposition(|b| is_delimiter(*b))
        .map_or(0, |i| i + 1);
    let end = line[at..]
        .iter()
        .position(|b| is_delimiter(*b))
        .map_or(line.len(), |i| at + i);
    (start, &line[start..end])
}

/// A generic text file: shapes where a value's beginning was matched, and
/// named values in assignments on lines holding a name's word.
fn scan_text(bytes: &[u8], bare_values: bool) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut seen: HashSet<(u32, String)> = HashSet::new();
    let mut push = |hits: &mut Vec<Hit>, hit: Hit| {
        if seen.insert((hit.line, hit.hash.clone())) {
            hits.push(hit);
        }
    };
    for candidate in candidate_lines(bytes) {
        let number = candidate.number;
        if !candidate.shapes.is_empty() {
            if memchr::memmem::find(candidate.text, b"-----BEGIN ").is_some() {
                let line = String::from_utf8_lossy(candidate.text);
                if let Some(header) = pem_private_key(&line, bytes, candidate.text) {
                    push(
                        &mut hits,
                        Hit::new(
                            number,
                            CredentialKind::PrivateKey,
                            Basis::ValueShape,
                            None,
                            &header,
                        ),
                    );
                    continue;
                }
            }
            let mut last_start = usize::MAX;
            for at in &candidate.shapes {
                let (start, token) = token_at(candidate.text, *at);
                if start == last_start || token.len() < 8 {
                    continue;
                }
                last_start = start;
                let Ok(token) = std::str::from_utf8(token) else {
                    continue;
                };
                let token = token.trim_end_matches(['.', ':']);
                if let Some(kind) = by_shape(token)
                    && kind != CredentialKind::PrivateKey
                {
                    push(
                        &mut hits,
                        Hit::new(number, kind, Basis::ValueShape, None, token),
                    );
                }
            }
        }
        for (name, value, quoted) in assignments(candidate.text, &candidate.names) {
            if !quoted && (!bare_values || value.contains(['$', '(', '{'])) {
                continue;
            }
            if let Some(credential) = detect(&name, &value)
                && credential.basis == Basis::NameAndValue
            {
                push(
                    &mut hits,
                    Hit::new(
                        number,
                        credential.kind,
                        credential.basis,
                        Some(&name),
                        value.trim(),
                    ),
                );
            }
        }
    }
    beside_key_ids(bytes, &mut hits, &mut |hits, hit| push(hits, hit));
    hits.sort_by_key(|h| h.line);
    hits
}

/// A byte of a name: `STRIPE_SECRET_KEY`, `shop.api-key`, `$dbPassword`.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'$')
}

/// A byte that ends an unquoted value.
fn ends_bare_value(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b','
                | b';'
                | b')'
                | b']'
                | b'}'
                | b'('
                | b'<'
                | b'>'
                | b'['
                | b'{'
        )
}

/// The assignments on a line whose names hold a word matched at one of
/// `positions`: `name = value`, `name: value`, `'name' => 'value'`,
/// `"name": "value"`, `name := value`, and PHP's `define('NAME', 'value')`.
/// Each is (name, value, whether the value was quoted).
fn assignments(line: &[u8], positions: &[usize]) -> Vec<(String, String, bool)> {
    let text = |range: &[u8]| String::from_utf8_lossy(range).into_owned();
    let skip_spaces = |mut i: usize| {
        while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut last_start = usize::MAX;
    for &at in positions {
        let start = line[..at]
            .iter()
            .rposition(|b| !is_name_byte(*b))
            .map_or(0, |i| i + 1);
        if start == last_start {
            continue;
        }
        last_start = start;
        let end = line[at..]
            .iter()
            .position(|b| !is_name_byte(*b))
            .map_or(line.len(), |i| at + i);
        let name = text(&line[start..end]);
        let mut i = end;
        // `define('NAME', 'value')`
        let quoted_name = start > 0 && matches!(line[start - 1], b'\'' | b'"');
        if quoted_name {
            let before = &line[..start - 1];
            let before = before.trim_ascii_end();
            if before.len() >= 7 && before[before.len() - 7..].eq_ignore_ascii_case(b"define(") {
                if i < line.len() && line[i] == line[start - 1] {
                    i = skip_spaces(i + 1);
                    if i < line.len() && line[i] == b',' {
                        i = skip_spaces(i + 1);
                        if let Some((value, _)) = quoted_value(line, i) {
                            out.push((name, text(value), true));
                        }
                    }
                }
                continue;
            }
        }
        if i < line.len() && matches!(line[i], b'"' | b'\'' | b']') {
            i += 1;
        }
        i = skip_spaces(i);
        let rest = &line[i.min(line.len())..];
        let separator = if rest.starts_with(b"=>") || rest.starts_with(b":=") {
            2
        } else if (rest.starts_with(b"=") && !rest.starts_with(b"=="))
            || (rest.starts_with(b":") && !rest.starts_with(b"::"))
        {
            1
        } else {
            continue;
        };
        i = skip_spaces(i + separator);
        if i >= line.len() {
            continue;
        }
        if let Some((value, _)) = quoted_value(line, i) {
            out.push((name, text(value), true));
        } else if !ends_bare_value(line[i]) && line[i] != b'=' {
            let stop = line[i..]
                .iter()
                .position(|b| ends_bare_value(*b))
                .map_or(line.len(), |j| i + j);
            out.push((name, text(&line[i..stop]), false));
        }
    }
    out
}

/// A quoted value starting at `i` (its quote): its content and the offset
/// after its closing quote. A value with escapes is not judged.
fn quoted_value(line: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let quote = *line.get(i)?;
    if !matches!(quote, b'"' | b'\'' | b'`') {
        return None;
    }
    let close = line[i + 1..]
        .iter()
        .position(|b| *b == quote || *b == b'\\')?
        + i
        + 1;
    (line[close] == quote).then(|| (&line[i + 1..close], close + 1))
}

/// A PEM private key header on this line with a key body after it (the next
/// line, or `\n` escapes in a string): the header alone in code that looks
/// for it is not a key.
fn pem_private_key(line: &str, bytes: &[u8], raw: &[u8]) -> Option<String> {
    let start = line.find("-----BEGIN ")?;
    let header_end = line[start + 11..].find("-----")? + start + 11;
    if !line[start..header_end].ends_with("PRIVATE KEY") {
        return None;
    }
    let after_header = &line[header_end + 5..];
    let body_on_line = after_header
        .strip_prefix("\\n")
        .or_else(|| after_header.strip_prefix("\\r\\n"));
    let has_body = match body_on_line {
        Some(rest) => is_key_body(rest.split("\\n").next().unwrap_or("")),
        None => {
            // The line after this one, within the file.
            let offset = raw.as_ptr() as usize - bytes.as_ptr() as usize + raw.len() + 1;
            let next = bytes.get(offset..).unwrap_or_default();
            let end = memchr::memchr(b'\n', next).unwrap_or(next.len());
            let next_line = String::from_utf8_lossy(&next[..end]);
            is_key_body(next_line.trim().trim_start_matches(['"', '\'']))
        }
    };
    has_body.then(|| line[start..header_end + 5].to_string())
}

/// A line of a PEM body: base64, at least 40 characters (or a `Proc-Type:`
/// header of an encrypted key).
fn is_key_body(line: &str) -> bool {
    let line = line.trim().trim_end_matches(['"', '\'', ',']);
    line.starts_with("Proc-Type:")
        || (line.len() >= 40
            && line
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
}

/// How many lines around an AWS access key id a secret access key of no
/// telling name is looked for.
const KEY_PAIR_DISTANCE: u32 = 3;

/// A forty-character value of an AWS secret key's shape within a few lines of
/// an AWS access key id is its secret, whatever it is named.
fn beside_key_ids(bytes: &[u8], hits: &mut Vec<Hit>, push: &mut dyn FnMut(&mut Vec<Hit>, Hit)) {
    let key_lines: Vec<u32> = hits
        .iter()
        .filter(|h| h.kind == CredentialKind::AwsAccessKeyId)
        .map(|h| h.line)
        .collect();
    if key_lines.is_empty() {
        return;
    }
    let near = |n: u32| key_lines.iter().any(|k| k.abs_diff(n) <= KEY_PAIR_DISTANCE);
    let text = String::from_utf8_lossy(bytes);
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        if !near(number) {
            continue;
        }
        for token in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+')) {
            if token.len() == 40 && looks_like_aws_secret_access_key(token) {
                push(
                    hits,
                    Hit::new(
                        number,
                        CredentialKind::AwsSecretAccessKey,
                        Basis::BesideKeyId,
                        None,
                        token,
                    ),
                );
            }
        }
    }
}

/// A dotenv file: each `KEY=VALUE` line judged by name and value.
fn scan_env(bytes: &[u8]) -> Vec<Hit> {
    let text = String::from_utf8_lossy(bytes);
    let mut pairs: Vec<(u32, &str, String)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        pairs.push((index as u32 + 1, name.trim(), env_value(value)));
    }
    let mut hits = Vec::new();
    for (line, name, value) in &pairs {
        if let Some(credential) = detect(name, value) {
            hits.push(Hit::new(
                *line,
                credential.kind,
                credential.basis,
                Some(name),
                value.trim(),
            ));
        }
    }
    let has_key_id = hits
        .iter()
        .any(|h| h.kind == CredentialKind::AwsAccessKeyId);
    if has_key_id {
        for (line, name, value) in &pairs {
            let value = value.trim();
            if hits.iter().any(|h| h.line == *line) {
                continue;
            }
            if looks_like_aws_secret_access_key(value) {
                hits.push(Hit::new(
                    *line,
                    CredentialKind::AwsSecretAccessKey,
                    Basis::BesideKeyId,
                    Some(name),
                    value,
                ));
            }
        }
        hits.sort_by_key(|h| h.line);
    }
    hits
}

/// The value of a dotenv line: quotes removed, a trailing ` # comment` of
/// an unquoted value dropped.
fn env_value(raw: &str) -> String {
    let raw = raw.trim();
    for quote in ['"', '\'', '`'] {
        if let Some(rest) = raw.strip_prefix(quote) {
            return match rest.find(quote) {
                Some(end) => rest[..end].to_string(),
                None => rest.to_string(),
            };
        }
    }
    match raw.find(" #") {
        Some(at) => raw[..at].trim_end().to_string(),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(path: &str, text: &str) -> Vec<(u32, CredentialKind)> {
        scan_file(path, text.as_bytes())
            .into_iter()
            .map(|f| (f.line, f.kind))
            .collect()
    }

    // Values are assembled at run time so that this file holds none whole.
    fn aws_pair() -> (String, String) {
        (
            format!("AKIA{}", "4QWERTYUIOPASDF2"),
            format!("q8Rz/2Lm+Xv7Kp3Nw9Ty{}", "1Bc5Df0Gh4Jk6Ls8Pa2M"),
        )
    }

    #[test]
    fn every_kind_is_found_in_code_and_config() {
        use CredentialKind::*;
        let (id, secret) = aws_pair();
        let cases: Vec<(&str, String, CredentialKind)> = vec![
            ("app.js", format!("const id = '{id}';"), AwsAccessKeyId),
            (
                "shopify.ts",
                format!(
                    "const token = \"shpat_{}\";",
                    "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
                ),
                ShopifyAccessToken,
            ),
            (
                "a.py",
                format!("X = 'shpca_{}'", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                ShopifyCustomAppToken,
            ),
            (
                "a.py",
                format!("X = 'shppa_{}'", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                ShopifyPrivateAppPassword,
            ),
            (
                "a.py",
                format!("X = 'shpss_{}'", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                ShopifySharedSecret,
            ),
            (
                "pay.rb",
                format!(
                    "Stripe.api_key = \"sk_live_{}\"",
                    "51HaBcDeFgHiJkLmNoPqRsTu"
                ),
                StripeSecretKey,
            ),
            (
                "pay.rb",
                format!("key = \"rk_live_{}\"", "51HaBcDeFgHiJkLmNoPqRsTu"),
                StripeRestrictedKey,
            ),
            (
                "mail.php",
                format!("$k = 'pk_{}';", "0123456789abcdef0123456789abcdef01"),
                KlaviyoPrivateKey,
            ),
            (
                "bt.js",
                format!(
                    "gateway({{ accessToken: 'access_token$production$abc123def456$0123456789abcdef{}' }})",
                    "0123456789abcdef"
                ),
                BraintreeAccessToken,
            ),
            (
                "ci.yml",
                format!("token: ghp_{}", "Ab3dEf6hIj9lMn2pQr5tUv8xYz1BcD4fGh7J"),
                GitHubToken,
            ),
            (
                "ci.yml",
                format!(
                    "token: github_pat_{}",
                    "11ABCDEFG0123456789_abcdefghijklmnop"
                ),
                GitHubToken,
            ),
            (
                "ci.yml",
                format!("gitlab: glpat-{}", "xY3zA1bC2dE3fG4hI5jK"),
                GitLabToken,
            ),
            (
                "notify.py",
                format!(
                    "URL = \"https://hooks.slack.com/services/T0123ABCD/B0123ABCD/{}\"",
                    "aB3dE6gH9jK2mN5pQ8sT1vW4"
                ),
                SlackWebhook,
            ),
            (
                "notify.py",
                format!("t = 'xoxb-{}'", "1234567890-0987654321-AbCdEfGhIjKl"),
                SlackToken,
            ),
            (
                "config.yml",
                format!(
                    "url: postgres://shop:{}@db.internal:5432/shop",
                    "S3cr3t-Pa55"
                ),
                DatabaseUrlWithPassword,
            ),
            (
                "settings.py",
                format!("DB_PASSWORD = '{}'", "Shop2024!db"),
                Password,
            ),
            (
                "settings.php",
                format!(
                    "'paypal_client_secret' => '{}',",
                    "EJk3lM9nP2qR5sT8uV1wX4yZ7aB0cD3e"
                ),
                NamedSecret,
            ),
            (
                "wp-config.php",
                format!("define('DB_PASSWORD', '{}');", "Shop2024!db"),
                Password,
            ),
            (
                "app.json",
                format!(
                    "{{\"braintree_private_key\": \"{}\"}}",
                    "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
                ),
                NamedSecret,
            ),
        ];
        for (path, text, kind) in cases {
            assert_eq!(kinds(path, &text), [(1, kind)], "{path}: {text}");
        }
        // The secret access key beside its key id, under a name that says nothing.
        let text = format!("upload:\n  id: {id}\n  signature: {secret}\n");
        assert_eq!(
            kinds("deploy.yml", &text),
            [(2, AwsAccessKeyId), (3, AwsSecretAccessKey)]
        );
    }

    #[test]
    fn private_keys_need_a_body() {
        let body = "MIIEowIBAAKCAQEAx4Ujb0fVLqLt2q1Cq3wZr4xQ0s7fYb9yZk3j2Uq8c1VvT6eW";
        let pem =
            format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
        let found = scan_file("deploy/key.pem", pem.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, CredentialKind::PrivateKey);
        assert_eq!(
            found[0].redacted,
            "-----BEGIN RSA PRIVATE KEY----- (key body not shown)"
        );
        let json = format!(
            "{{\"key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\"}}"
        );
        assert_eq!(kinds("sa.json", &json), [(1, CredentialKind::PrivateKey)]);
        // Code that looks for the header holds no key.
        let code = "if pem.startswith('-----BEGIN RSA PRIVATE KEY-----'):\n    return parse(pem)\n";
        assert!(kinds("keys.py", code).is_empty());
    }

    #[test]
    fn look_alikes_are_not_credentials() {
        let cases = [
            ("app.js", "const password = getPassword(config);"),
            ("app.js", "password = process.env.DB_PASSWORD"),
            ("app.py", "password = os.environ['DB_PASSWORD']"),
            ("settings.php", "'password' => getenv('DB_PASSWORD'),"),
            ("a.yml", "password: ${DB_PASSWORD}"),
            ("a.yml", "token_url: https://auth.example.com/oauth/token"),
            ("a.md", "Set `STRIPE_SECRET_KEY` to your `sk_live_...` key."),
            ("a.js", "const id = 'AKIAIOSFODNN7EXAMPLE';"),
            ("a.js", "const keyboard = 'qwertyuiopasdfghjkl';"),
            (
                "a.ts",
                "const url = 'postgres://shop@db.internal:5432/shop';",
            ),
            (
                "a.ts",
                "const url = `mysql://shop:${password}@db:3306/shop`;",
            ),
            ("a.py", "klaviyo_public = 'pk_abc123'"),
            ("a.py", "SECRET_KEY = 'changeme-in-production'"),
            ("a.php", "$password = $request->get('password');"),
            ("a.rs", "let key = Key::new(secret, len);"),
            ("tz.txt", "zone: Asia/Tokyo"),
        ];
        for (path, text) in cases {
            assert!(kinds(path, text).is_empty(), "{path}: {text}");
        }
        // Unquoted values count only where configuration is written unquoted.
        assert_eq!(
            kinds("db.ini", "password = Shop2024!db"),
            [(1, CredentialKind::Password)]
        );
        assert!(kinds("db.py", "password = Shop2024db").is_empty());
        // Binary files are skipped.
        assert!(scan_file("x.bin", b"\0\0sk_live_51HaBcDeFgHiJkLmNoPqRsTu").is_empty());
    }

    #[test]
    fn dotenv_files_are_read_as_key_value_lines() {
        let (id, secret) = aws_pair();
        let text = format!(
            "# the app\nexport AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY=\"{secret}\"\nSHOPIFY_API_KEY=0123abcd\nSHOPIFY_API_SECRET='{}' # rotated\nHOST=https://app.example.com\nDB_PASSWORD=${{DB_PASSWORD}}\n",
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
        );
        let found = scan_file("app/.env.production", text.as_bytes());
        let got: Vec<(u32, CredentialKind, Option<&str>)> = found
            .iter()
            .map(|f| (f.line, f.kind, f.name.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, CredentialKind::AwsAccessKeyId, Some("AWS_ACCESS_KEY_ID")),
                (
                    3,
                    CredentialKind::AwsSecretAccessKey,
                    Some("AWS_SECRET_ACCESS_KEY")
                ),
                (5, CredentialKind::NamedSecret, Some("SHOPIFY_API_SECRET")),
            ]
        );
        assert_eq!(found[0].aws_access_key_id.as_deref(), Some(id.as_str()));
        for f in &found {
            assert!(!f.redacted.contains(&secret) && f.redacted.len() < 24);
        }
    }

    #[test]
    fn findings_never_hold_the_value() {
        let (id, secret) = aws_pair();
        let stripe = format!("sk_live_{}", "51HaBcDeFgHiJkLmNoPqRsTu");
        let text = format!("a = '{id}'\nb = '{secret}'\nc = '{stripe}'\n");
        let found = scan_file("x.py", text.as_bytes());
        assert_eq!(found.len(), 3);
        let json = serde_json::to_string(&found).unwrap();
        assert!(!json.contains(&secret) && !json.contains(&stripe));
    }

    #[test]
    fn lines_are_counted_across_the_file() {
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(&format!("line {i} with no credential\n"));
        }
        text.push_str(&format!(
            "stripe = \"sk_live_{}\"\n",
            "51HaBcDeFgHiJkLmNoPqRsTu"
        ));
        text.push_str("tail\n");
        assert_eq!(
            kinds("a.py", &text),
            [(501, CredentialKind::StripeSecretKey)]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            for path in ["a.env", "a.yml", "a.js"] {
                let _ = scan_file(path, &bytes);
            }
        }

        #[test]
        fn never_panics_on_credential_like_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "AKIA4QWERTYUIOPASDF2", "password", " = ", "'", "\"", "=>", ":", "\n",
                    "define(", "-----BEGIN RSA PRIVATE KEY-----", "sk_live_", "0123456789abcdef",
                    "://", "@", "key", "\\", "\u{e9}", " ", ",",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            for path in ["a.env", "a.ini", "a.php"] {
                let _ = scan_file(path, text.as_bytes());
            }
        }
    }

    #[test]
    fn the_first_name_needle_is_pass() {
        assert_eq!(NEEDLES[FIRST_NAME_NEEDLE], "pass");
    }

    #[test]
    fn env_file_names() {
        assert!(is_env_file("app/.env"));
        assert!(is_env_file(".env.local"));
        assert!(is_env_file("prod.env"));
        assert!(!is_env_file("environment.ts"));
    }
}
