//! Wildcard patterns with policy variables, shared by actions, resources,
//! principals and string/ARN conditions.
//!
//! AWS's rules implemented here (IAM User Guide, "IAM JSON policy elements:
//! Resource" and "IAM policy elements: Variables and tags"):
//! - `*` matches any run of characters and `?` any single character; in the
//!   `Resource` element a `*` may run across the `:` and `/` separators.
//! - Policy variables `${key}` are replaced by the request's value for `key`
//!   (key names are case-insensitive); `${key, 'default'}` uses `default` when
//!   the key has no value; `${*}`, `${?}` and `${$}` stand for the literal
//!   characters. Variables exist only in documents with `Version` 2012-10-17;
//!   elsewhere `${…}` is literal text.
//! - A variable whose key has no value in the request makes the element match
//!   nothing (the statement does not apply); a variable whose value the auditor
//!   does not know yields [`Tri::Unknown`], never a silent match.

use crate::Tri;
use crate::context::{Lookup, VariableSource};

/// One compiled matching step over bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Byte(u8),
    Star,
    One,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Star,
    One,
    Var {
        key: String,
        default: Option<String>,
    },
}

/// A compiled pattern: literal text, wildcards and policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    source: String,
    parts: Box<[Part]>,
    /// The program with every variable widened to `*`: exact when there are no
    /// variables, an over-approximation otherwise.
    widened: Box<[Tok]>,
    has_vars: bool,
    case_insensitive: bool,
}

/// How a pattern's syntax is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// `*` and `?` are wildcards (false for `StringEquals`, where they are literal).
    pub wildcards: bool,
    /// `${…}` is a policy variable (Version 2012-10-17 only).
    pub variables: bool,
    /// Compare case-insensitively (actions, `StringEqualsIgnoreCase`).
    pub case_insensitive: bool,
}

/// Outcome of resolving a pattern's variables against a request.
enum Resolved {
    Program(Vec<Tok>),
    /// Some variables are unknown: the widened program over-approximates.
    Unknown,
    /// A variable has no value and no default: the pattern matches nothing.
    Nothing,
}

impl Pattern {
    /// Compiles `source` under `syntax`.
    pub fn new(source: &str, syntax: Syntax) -> Pattern {
        let text = if syntax.case_insensitive {
            source.to_ascii_lowercase()
        } else {
            source.to_string()
        };
        let parts = parse_parts(&text, syntax);
        let has_vars = parts.iter().any(|p| matches!(p, Part::Var { .. }));
        let widened = compile(&parts, None);
        Pattern {
            source: source.to_string(),
            parts: parts.into_boxed_slice(),
            widened: widened.into_boxed_slice(),
            has_vars,
            case_insensitive: syntax.case_insensitive,
        }
    }

    /// The text as written in the policy.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern holds policy variables.
    pub fn has_variables(&self) -> bool {
        self.has_vars
    }

    /// Whether the pattern is exactly `*`.
    pub fn is_star(&self) -> bool {
        !self.has_vars && self.widened.as_ref() == [Tok::Star]
    }

    /// Whether the pattern holds wildcards (after compilation).
    pub fn has_wildcards(&self) -> bool {
        self.widened.iter().any(|t| !matches!(t, Tok::Byte(_)))
    }

    /// The policy-variable keys (lower case) the pattern refers to.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    pub(crate) fn widened(&self) -> &[Tok] {
        &self.widened
    }

    /// The literal text when the pattern has neither wildcards nor variables.
    pub fn literal(&self) -> Option<String> {
        if self.has_vars {
            return None;
        }
        let mut bytes = Vec::with_capacity(self.widened.len());
        for t in self.widened.iter() {
            match t {
                Tok::Byte(b) => bytes.push(*b),
                _ => return None,
            }
        }
        String::from_utf8(bytes).ok()
    }

    fn resolve(&self, vars: &dyn VariableSource) -> Resolved {
        if !self.has_vars {
            return Resolved::Program(self.widened.to_vec());
        }
        let mut unknown = false;
        let mut values: Vec<Option<String>> = Vec::new();
        for part in self.parts.iter() {
            if let Part::Var { key, default } = part {
                match vars.variable(key) {
                    Lookup::Values(v) if v.len() == 1 => values.push(Some(v[0].clone())),
                    // Multivalued keys cannot be used as variables: treated as no value.
                    Lookup::Values(_) | Lookup::Absent => match default {
                        Some(d) => values.push(Some(d.clone())),
                        None => return Resolved::Nothing,
                    },
                    Lookup::Unknown => {
                        unknown = true;
                        values.push(None);
                    }
                }
            }
        }
        if unknown {
            return Resolved::Unknown;
        }
        let substituted: Vec<String> = values
            .into_iter()
            .map(|v| {
                let v = v.unwrap_or_default();
                if self.case_insensitive {
                    v.to_lowercase()
                } else {
                    v
                }
            })
            .collect();
        Resolved::Program(compile(&self.parts, Some(&substituted)))
    }

    /// Matches `text` (already lower-cased by the caller when the pattern is
    /// case-insensitive) after resolving variables.
    pub fn matches(&self, text: &str, vars: &dyn VariableSource) -> Tri {
        match self.resolve(vars) {
            Resolved::Program(prog) => Tri::from_bool(glob(&prog, text.as_bytes())),
            Resolved::Nothing => Tri::False,
            Resolved::Unknown => {
                if glob(&self.widened, text.as_bytes()) {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
        }
    }

    /// Matches an ARN field by field (`ArnLike`), after resolving variables.
    pub(crate) fn matches_arn(&self, text: &str, vars: &dyn VariableSource) -> Tri {
        match self.resolve(vars) {
            Resolved::Program(prog) => Tri::from_bool(arn_like(&prog, text)),
            Resolved::Nothing => Tri::False,
            Resolved::Unknown => {
                if arn_like(&self.widened, text) {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
        }
    }

    /// Matches `text` with no request at hand (variables count as unknown).
    pub fn matches_static(&self, text: &str) -> Tri {
        if !self.has_vars {
            return Tri::from_bool(glob(&self.widened, text.as_bytes()));
        }
        if glob(&self.widened, text.as_bytes()) {
            Tri::Unknown
        } else {
            Tri::False
        }
    }

    /// Whether every string `other` matches is also matched by `self`.
    /// Sound (never claims coverage that does not hold); variables in `self`
    /// make it cover nothing but identical text, variables in `other` widen it.
    pub fn covers(&self, other: &Pattern) -> bool {
        if self.has_vars {
            return self.source == other.source;
        }
        covers(&self.widened, &other.widened)
    }

    /// Whether some string is matched by both patterns (variables widened).
    pub fn intersects(&self, other: &Pattern) -> bool {
        intersects(&self.widened, &other.widened)
    }

    /// Resolves variables against `vars` into a pattern without variables,
    /// keeping those whose value is unknown as `*` (an over-approximation).
    pub fn specialise(&self, vars: &dyn VariableSource) -> Option<Pattern> {
        if !self.has_vars {
            return Some(self.clone());
        }
        let prog = match self.resolve(vars) {
            Resolved::Program(p) => p,
            Resolved::Unknown => self.widened.to_vec(),
            Resolved::Nothing => return None,
        };
        Some(Pattern {
            source: self.source.clone(),
            parts: Box::new([]),
            widened: prog.into_boxed_slice(),
            has_vars: false,
            case_insensitive: self.case_insensitive,
        })
    }
}

fn parse_parts(text: &str, syntax: Syntax) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if syntax.variables
            && rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            let inner = &rest[2..end];
            match parse_variable(inner) {
                Some(VariableText::Literal(ch)) => literal.push(ch),
                Some(VariableText::Key(key, default)) => {
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Var { key, default });
                }
                None => literal.push_str(&rest[..=end]),
            }
            rest = &rest[end + 1..];
            continue;
        }
        if syntax.wildcards && (c == '*' || c == '?') {
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(if c == '*' { Part::Star } else { Part::One });
        } else {
            literal.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    parts
}

enum VariableText {
    Literal(char),
    Key(String, Option<String>),
}

fn parse_variable(inner: &str) -> Option<VariableText> {
    match inner.trim() {
        "*" => return Some(VariableText::Literal('*')),
        "?" => return Some(VariableText::Literal('?')),
        "$" => return Some(VariableText::Literal('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))?;
            (key.trim(), Some(quoted.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some(VariableText::Key(key.to_ascii_lowercase(), default))
}

fn compile(parts: &[Part], values: Option<&[String]>) -> Vec<Tok> {
    let mut prog = Vec::new();
    let mut var_index = 0;
    for part in parts {
        match part {
            Part::Text(t) => prog.extend(t.bytes().map(Tok::Byte)),
            Part::Star => push_star(&mut prog),
            Part::One => prog.push(Tok::One),
            Part::Var { .. } => {
                match values.and_then(|v| v.get(var_index)) {
                    // A substituted value is literal text: its `*` is not a wildcard.
                    Some(value) => prog.extend(value.bytes().map(Tok::Byte)),
                    None => push_star(&mut prog),
                }
                var_index += 1;
            }
        }
    }
    prog
}

fn push_star(prog: &mut Vec<Tok>) {
    if prog.last() != Some(&Tok::Star) {
        prog.push(Tok::Star);
    }
}

fn char_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Glob match of a byte program against text; `*` backtracks to the last star.
pub(crate) fn glob(prog: &[Tok], text: &[u8]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < text.len() {
        if let Some(tok) = prog.get(p) {
            match *tok {
                Tok::Byte(b) if b == text[i] => {
                    p += 1;
                    i += 1;
                    continue;
                }
                Tok::One => {
                    p += 1;
                    i = (i + char_len(text[i])).min(text.len());
                    continue;
                }
                Tok::Star => {
                    star = Some((p, i));
                    p += 1;
                    continue;
                }
                Tok::Byte(_) => {}
            }
        }
        match star {
            Some((sp, si)) => {
                let next = si + 1;
                star = Some((sp, next));
                p = sp + 1;
                i = next;
            }
            None => return false,
        }
    }
    prog[p.min(prog.len())..].iter().all(|t| *t == Tok::Star)
}

/// Whether every string matched by `inner` is matched by `outer`: `outer` is
/// matched against `inner`'s tokens, where a star in `inner` can only be
/// absorbed by a star in `outer` and a `?` by a `?` or a star.
pub(crate) fn covers(outer: &[Tok], inner: &[Tok]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < inner.len() {
        if let Some(tok) = outer.get(p) {
            let step = match (*tok, inner[i]) {
                (Tok::Byte(a), Tok::Byte(b)) => a == b,
                (Tok::One, Tok::Byte(_)) | (Tok::One, Tok::One) => true,
                (Tok::Star, _) => {
                    star = Some((p, i));
                    p += 1;
                    continue;
                }
                _ => false,
            };
            if step {
                p += 1;
                i += 1;
                continue;
            }
        }
        match star {
            Some((sp, si)) => {
                star = Some((sp, si + 1));
                p = sp + 1;
                i = si + 1;
            }
            None => return false,
        }
    }
    outer[p.min(outer.len())..].iter().all(|t| *t == Tok::Star)
}

/// Whether two glob programs match a common string (search over position pairs).
pub(crate) fn intersects(a: &[Tok], b: &[Tok]) -> bool {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut seen = vec![false; (n + 1) * (m + 1)];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if seen[i * width + j] {
            continue;
        }
        seen[i * width + j] = true;
        if i == n && j == m {
            return true;
        }
        let mut push = |x: usize, y: usize| {
            if !seen[x * width + y] {
                stack.push((x, y));
            }
        };
        if i < n && a[i] == Tok::Star {
            push(i + 1, j);
        }
        if j < m && b[j] == Tok::Star {
            push(i, j + 1);
        }
        if i < n && j < m {
            let compatible = match (a[i], b[j]) {
                (Tok::Byte(x), Tok::Byte(y)) => x == y,
                _ => true,
            };
            if compatible {
                let ni = if a[i] == Tok::Star { i } else { i + 1 };
                let nj = if b[j] == Tok::Star { j } else { j + 1 };
                if (ni, nj) != (i, j) {
                    push(ni, nj);
                }
            }
        }
    }
    false
}

/// Splits an ARN into its six colon-separated fields (the last keeps its colons).
pub(crate) fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let f = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (f[0] == "arn").then_some(f)
}

/// `ArnLike`/`ArnEquals` semantics: each of the six colon-delimited fields is
/// matched separately (AWS User Guide, "Amazon Resource Name (ARN) condition
/// operators"); a pattern that is not a six-field ARN is matched as a whole.
pub(crate) fn arn_like(pattern: &[Tok], text: &str) -> bool {
    let pattern_fields = split_prog_fields(pattern);
    match (pattern_fields, arn_fields(text)) {
        (Some(pf), Some(tf)) => pf.iter().zip(tf.iter()).all(|(p, t)| glob(p, t.as_bytes())),
        (Some(_), None) => false,
        (None, _) => glob(pattern, text.as_bytes()),
    }
}

fn split_prog_fields(prog: &[Tok]) -> Option<Vec<&[Tok]>> {
    let mut fields = Vec::with_capacity(6);
    let mut start = 0;
    for (i, t) in prog.iter().enumerate() {
        if fields.len() == 5 {
            break;
        }
        if *t == Tok::Byte(b':') {
            fields.push(&prog[start..i]);
            start = i + 1;
        }
    }
    if fields.len() < 5 {
        return None;
    }
    fields.push(&prog[start..]);
    Some(fields)
}

/// Plain wildcard match of `pattern` against `text` (no variables).
pub(crate) fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let syntax = Syntax {
        wildcards: true,
        variables: false,
        case_insensitive,
    };
    let p = Pattern::new(pattern, syntax);
    if case_insensitive {
        glob(&p.widened, text.to_ascii_lowercase().as_bytes())
    } else {
        glob(&p.widened, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RequestContext;

    fn pat(s: &str) -> Pattern {
        Pattern::new(
            s,
            Syntax {
                wildcards: true,
                variables: true,
                case_insensitive: false,
            },
        )
    }

    #[test]
    fn glob_basics() {
        assert!(wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b",
            false
        ));
        assert!(!wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket",
            false
        ));
        assert!(wildcard_match("s3:Get*", "s3:getobject", true));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject", true));
        assert!(!wildcard_match("s3:?etObject", "s3:etObject", true));
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("a*b*c", "aXXbYYc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYY", false));
        assert!(wildcard_match(
            "arn:aws:iam::*",
            "arn:aws:iam::1:role/x",
            false
        ));
        assert!(!wildcard_match("Arn:aws:s3:::b", "arn:aws:s3:::b", false));
    }

    #[test]
    fn variables_resolve_and_escape() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:username", ["alice"]);
        let p = pat("arn:aws:s3:::b/${aws:username}/*");
        assert_eq!(p.matches("arn:aws:s3:::b/alice/x", &ctx), Tri::True);
        assert_eq!(p.matches("arn:aws:s3:::b/bob/x", &ctx), Tri::False);
        let p = pat("arn:aws:s3:::b/${*}");
        assert_eq!(p.matches("arn:aws:s3:::b/*", &ctx), Tri::True);
        assert_eq!(p.matches("arn:aws:s3:::b/x", &ctx), Tri::False);
        let p = pat("a${aws:PrincipalTag/team, 'none'}b");
        assert_eq!(p.matches("anoneb", &ctx), Tri::Unknown.and(Tri::True));
        ctx.set_absent("aws:PrincipalTag/team");
        assert_eq!(p.matches("anoneb", &ctx), Tri::True);
    }

    #[test]
    fn unknown_variable_is_unknown_not_match() {
        let ctx = RequestContext::new();
        let p = pat("arn:aws:s3:::b/${aws:username}/*");
        assert_eq!(p.matches("arn:aws:s3:::b/alice/x", &ctx), Tri::Unknown);
        assert_eq!(p.matches("arn:aws:s3:::other/alice/x", &ctx), Tri::False);
        let closed = RequestContext::closed();
        assert_eq!(p.matches("arn:aws:s3:::b/alice/x", &closed), Tri::False);
    }

    #[test]
    fn substituted_value_is_literal() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:username", ["*"]);
        let p = pat("arn:aws:s3:::b/${aws:username}");
        assert_eq!(p.matches("arn:aws:s3:::b/alice", &ctx), Tri::False);
        assert_eq!(p.matches("arn:aws:s3:::b/*", &ctx), Tri::True);
    }

    #[test]
    fn coverage_and_intersection() {
        assert!(pat("*").covers(&pat("arn:aws:s3:::b/*")));
        assert!(pat("arn:aws:s3:::b/*").covers(&pat("arn:aws:s3:::b/x/*")));
        assert!(!pat("arn:aws:s3:::b/x/*").covers(&pat("arn:aws:s3:::b/*")));
        assert!(pat("arn:aws:s3:::b?").covers(&pat("arn:aws:s3:::bc")));
        assert!(!pat("arn:aws:s3:::bc").covers(&pat("arn:aws:s3:::b?")));
        assert!(pat("arn:aws:s3:::b/*").intersects(&pat("arn:aws:s3:::*/x")));
        assert!(!pat("arn:aws:s3:::a/*").intersects(&pat("arn:aws:s3:::b/*")));
        assert!(pat("a*").intersects(&pat("*b")));
        assert!(!pat("a?").intersects(&pat("abc")));
    }

    #[test]
    fn arn_like_is_per_field() {
        let p = pat("arn:aws:iam::*:role/*");
        assert!(arn_like(p.widened(), "arn:aws:iam::123:role/x"));
        assert!(!arn_like(p.widened(), "arn:aws:iam::123:user/x"));
        // Fewer than six fields: matched as a whole, like the Resource element.
        let q = pat("arn:aws:*");
        assert!(arn_like(q.widened(), "arn:aws:iam::123:role/x"));
    }
}
