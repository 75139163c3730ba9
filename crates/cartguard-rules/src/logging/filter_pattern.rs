//! CloudWatch Logs filter patterns, parsed into a predicate over a log event.
//!
//! A metric filter on a CloudTrail log group sees each CloudTrail record as a
//! JSON log event. Two kinds of pattern apply to it:
//!
//! - JSON patterns, `{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }`:
//!   comparisons of a property (`$.a.b`, `$.a[0]`) with `=`, `!=` (strings, with
//!   `*` wildcards anywhere, quoted or not; numbers), `<`, `<=`, `>`, `>=`
//!   (numbers), the tests `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, joined by
//!   `&&` and `||` with parentheses. `&&` binds tighter than `||`. A comparison
//!   on a property the event does not have is false, `!=` included; only
//!   `NOT EXISTS` holds for it.
//! - Term patterns, `ConsoleLogin "Failed authentication" ?ERROR -DEBUG`: every
//!   plain term must occur in the event's text, at least one `?` term when there
//!   are any, and no `-` term. An empty pattern matches every event.
//!
//! Space-delimited patterns (`[ip, user, …]`) and regular expressions (`%…%`)
//! do not apply to CloudTrail's JSON records in a way this module decides:
//! they are refused with a reason, and a filter using them is never counted.

use std::fmt;

use serde_json::Value;

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// The empty pattern: every event.
    Everything,
    /// A JSON pattern.
    Json(Expr),
    /// A term pattern.
    Terms(Terms),
}

/// A JSON pattern's expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
    /// A test of one property.
    Test(Selector, Test),
}

/// A property of the event: `$.userIdentity.type`, `$.resources[0].ARN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector(pub Vec<Step>);

/// One step of a selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A member of an object.
    Key(String),
    /// An element of a list.
    Index(usize),
}

/// What is asked of a property.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `=` or `!=` a text (`*` matches any run of characters).
    Text {
        /// `!=`.
        negated: bool,
        /// The text, wildcards included.
        glob: String,
    },
    /// A numeric comparison.
    Number(Comparison, f64),
    /// `IS NULL`.
    IsNull,
    /// `NOT EXISTS`.
    NotExists,
    /// `IS TRUE` or `IS FALSE`.
    Is(bool),
}

/// A numeric comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `=`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
}

/// A term pattern.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Terms {
    /// Terms that must all occur.
    pub all: Vec<String>,
    /// Terms of which one must occur, when there are any.
    pub any: Vec<String>,
    /// Terms that must not occur.
    pub none: Vec<String>,
}

/// Why a pattern cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Character offset in the pattern.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.at + 1, self.message)
    }
}

/// Nesting deeper than this is refused (no real filter comes close).
const MAX_DEPTH: usize = 64;

impl Pattern {
    /// Parses a filter pattern.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let chars: Vec<char> = text.chars().collect();
        let mut parser = Parser { chars, at: 0 };
        parser.skip_space();
        match parser.peek() {
            None => Ok(Pattern::Everything),
            Some('{') => {
                parser.at += 1;
                let expr = parser.expr(0)?;
                parser.skip_space();
                parser.expect('}')?;
                parser.skip_space();
                if parser.peek().is_some() {
                    return Err(parser.error("text after the closing `}`"));
                }
                Ok(Pattern::Json(expr))
            }
            Some('[') => Err(parser.error(
                "a space-delimited pattern (`[…]`) does not apply to CloudTrail's JSON records",
            )),
            Some('%') => Err(parser.error("regular expressions (`%…%`) are not decided")),
            Some(_) => parser.terms().map(Pattern::Terms),
        }
    }

    /// Whether the pattern matches the log event `event` (a CloudTrail record).
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Pattern::Everything => true,
            Pattern::Json(expr) => expr.matches(event),
            Pattern::Terms(terms) => {
                let text = event.to_string();
                terms.all.iter().all(|t| text.contains(t.as_str()))
                    && (terms.any.is_empty() || terms.any.iter().any(|t| text.contains(t.as_str())))
                    && !terms.none.iter().any(|t| text.contains(t.as_str()))
            }
        }
    }
}

impl Expr {
    /// Whether the expression holds for `event`.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Expr::And(a, b) => a.matches(event) && b.matches(event),
            Expr::Or(a, b) => a.matches(event) || b.matches(event),
            Expr::Test(selector, test) => test.holds(selector.find(event)),
        }
    }
}

impl Selector {
    /// The property in `event`, if it has it.
    pub fn find<'v>(&self, event: &'v Value) -> Option<&'v Value> {
        self.0.iter().try_fold(event, |value, step| match step {
            Step::Key(key) => value.as_object()?.get(key),
            Step::Index(i) => value.as_array()?.get(*i),
        })
    }
}

impl Test {
    fn holds(&self, value: Option<&Value>) -> bool {
        let Some(value) = value else {
            return matches!(self, Test::NotExists);
        };
        match self {
            Test::NotExists => false,
            Test::IsNull => value.is_null(),
            Test::Is(expected) => value.as_bool() == Some(*expected),
            Test::Text { negated, glob } => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return false,
                };
                glob_match(glob, &text) != *negated
            }
            Test::Number(op, expected) => {
                let Some(actual) = value.as_f64() else {
                    return false;
                };
                match op {
                    Comparison::Equal => actual == *expected,
                    Comparison::NotEqual => actual != *expected,
                    Comparison::Less => actual < *expected,
                    Comparison::LessOrEqual => actual <= *expected,
                    Comparison::Greater => actual > *expected,
                    Comparison::GreaterOrEqual => actual >= *expected,
                }
            }
        }
    }
}

/// Whether `text` matches `glob`, where `*` stands for any run of characters.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let pattern: Vec<char> = glob.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn starts_with(&self, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.at + i) == Some(&c))
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn error(&self, message: &str) -> PatternError {
        PatternError {
            at: self.at,
            message: message.to_string(),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), PatternError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            let found = match self.peek() {
                Some(other) => format!("`{other}`"),
                None => "the end of the pattern".to_string(),
            };
            Err(self.error(&format!("expected `{c}`, found {found}")))
        }
    }

    /// `and ('||' and)*`
    fn expr(&mut self, depth: usize) -> Result<Expr, PatternError> {
        if depth > MAX_DEPTH {
            return Err(self.error("parentheses nested too deeply"));
        }
        let mut left = self.and(depth)?;
        loop {
            self.skip_space();
            if self.starts_with("||") {
                self.at += 2;
                let right = self.and(depth)?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    /// `unary ('&&' unary)*`
    fn and(&mut self, depth: usize) -> Result<Expr, PatternError> {
        let mut left = self.unary(depth)?;
        loop {
            self.skip_space();
            if self.starts_with("&&") {
                self.at += 2;
                let right = self.unary(depth)?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, PatternError> {
        self.skip_space();
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let inner = self.expr(depth + 1)?;
                self.skip_space();
                self.expect(')')?;
                Ok(inner)
            }
            Some('$') => self.test(),
            Some(other) => Err(self.error(&format!(
                "expected a property (`$.…`) or `(`, found `{other}`"
            ))),
            None => Err(self.error("expected a property (`$.…`), found the end of the pattern")),
        }
    }

    fn selector(&mut self) -> Result<Selector, PatternError> {
        self.expect('$')?;
        let mut steps = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    self.at += 1;
                    let start = self.at;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '@')
                    {
                        self.at += 1;
                    }
                    if self.at == start {
                        return Err(self.error("expected a property name after `.`"));
                    }
                    steps.push(Step::Key(self.chars[start..self.at].iter().collect()));
                }
                Some('[') => {
                    self.at += 1;
                    let start = self.at;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.at += 1;
                    }
                    let digits: String = self.chars[start..self.at].iter().collect();
                    let index = digits
                        .parse::<usize>()
                        .map_err(|_| self.error("expected a list index in `[…]`"))?;
                    self.expect(']')?;
                    steps.push(Step::Index(index));
                }
                _ => break,
            }
        }
        if steps.is_empty() {
            return Err(self.error("expected a property after `$`"));
        }
        Ok(Selector(steps))
    }

    fn test(&mut self) -> Result<Expr, PatternError> {
        let selector = self.selector()?;
        self.skip_space();
        let keyword_test = [
            ("IS NULL", Test::IsNull),
            ("NOT EXISTS", Test::NotExists),
            ("IS TRUE", Test::Is(true)),
            ("IS FALSE", Test::Is(false)),
        ]
        .into_iter()
        .find(|(word, _)| self.starts_with(word));
        if let Some((word, test)) = keyword_test {
            self.at += word.chars().count();
            return Ok(Expr::Test(selector, test));
        }
        let op = if self.starts_with("!=") {
            Comparison::NotEqual
        } else if self.starts_with("<=") {
            Comparison::LessOrEqual
        } else if self.starts_with(">=") {
            Comparison::GreaterOrEqual
        } else if self.starts_with("=") {
            Comparison::Equal
        } else if self.starts_with("<") {
            Comparison::Less
        } else if self.starts_with(">") {
            Comparison::Greater
        } else {
            return Err(self.error(
                "expected a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`), `IS NULL` or `NOT EXISTS`",
            ));
        };
        self.at += match op {
            Comparison::Equal | Comparison::Less | Comparison::Greater => 1,
            _ => 2,
        };
        self.skip_space();
        let (value, quoted) = self.value()?;
        let test = match (op, value.parse::<f64>()) {
            (Comparison::Equal | Comparison::NotEqual, _)
                if quoted || value.parse::<f64>().is_err() =>
            {
                Test::Text {
                    negated: op == Comparison::NotEqual,
                    glob: value,
                }
            }
            (_, Ok(number)) if !quoted && number.is_finite() => Test::Number(op, number),
            _ => {
                return Err(self.error(&format!(
                    "`{value}` is not a number, and only `=` and `!=` compare text"
                )));
            }
        };
        Ok(Expr::Test(selector, test))
    }

    /// A quoted or bare value, and whether it was quoted.
    fn value(&mut self) -> Result<(String, bool), PatternError> {
        if self.peek() == Some('"') {
            self.at += 1;
            let mut out = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.error("a quoted value is not closed")),
                    Some('"') => {
                        self.at += 1;
                        return Ok((out, true));
                    }
                    Some('\\') => {
                        self.at += 1;
                        match self.peek() {
                            Some(c) => {
                                out.push(c);
                                self.at += 1;
                            }
                            None => return Err(self.error("a quoted value is not closed")),
                        }
                    }
                    Some(c) => {
                        out.push(c);
                        self.at += 1;
                    }
                }
            }
        }
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_whitespace()
                || c == ')'
                || c == '('
                || c == '}'
                || self.starts_with("&&")
                || self.starts_with("||")
            {
                break;
            }
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("expected a value"));
        }
        Ok((self.chars[start..self.at].iter().collect(), false))
    }

    fn terms(&mut self) -> Result<Terms, PatternError> {
        let mut terms = Terms::default();
        loop {
            self.skip_space();
            let Some(c) = self.peek() else {
                return Ok(terms);
            };
            let list = match c {
                '?' => {
                    self.at += 1;
                    &mut terms.any
                }
                '-' => {
                    self.at += 1;
                    &mut terms.none
                }
                _ => &mut terms.all,
            };
            let term = if self.peek() == Some('"') {
                self.at += 1;
                let start = self.at;
                while self.peek().is_some_and(|c| c != '"') {
                    self.at += 1;
                }
                let term: String = self.chars[start..self.at].iter().collect();
                if self.peek() != Some('"') {
                    return Err(self.error("a quoted term is not closed"));
                }
                self.at += 1;
                term
            } else {
                let start = self.at;
                while self.peek().is_some_and(|c| !c.is_whitespace()) {
                    self.at += 1;
                }
                self.chars[start..self.at].iter().collect()
            };
            if term.is_empty() {
                return Err(self.error("an empty term"));
            }
            list.push(term);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn event() -> Value {
        json!({
            "eventVersion": "1.09",
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "errorMessage": "Failed authentication",
            "userIdentity": {"type": "IAMUser", "userName": "alice", "invokedBy": null},
            "additionalEventData": {"MFAUsed": "No"},
            "resources": [{"ARN": "arn:aws:s3:::orders"}],
            "readOnly": false,
            "count": 7
        })
    }

    fn matches(pattern: &str) -> bool {
        Pattern::parse(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .matches(&event())
    }

    #[test]
    fn compares_text_with_and_without_quotes_and_wildcards() {
        assert!(matches(r#"{ $.eventName = "ConsoleLogin" }"#));
        assert!(matches("{ $.eventName = ConsoleLogin }"));
        assert!(matches("{$.eventName=Console*}"));
        assert!(matches(r#"{ $.eventName = "*Login" }"#));
        assert!(matches(r#"{ $.eventName = "C*s*n" }"#));
        assert!(!matches(r#"{ $.eventName = "consolelogin" }"#));
        assert!(!matches(r#"{ $.eventName = "Console" }"#));
        assert!(matches(r#"{ $.eventName != "SwitchRole" }"#));
        assert!(matches(r#"{ $.errorMessage = "Failed authentication" }"#));
        assert!(!matches(
            r#"{ $.errorMessage = "Failed \"authentication" || $.x = 1 }"#
        ));
    }

    #[test]
    fn a_missing_property_fails_every_comparison_but_not_exists() {
        assert!(!matches(r#"{ $.errorCode = "*" }"#));
        assert!(!matches(r#"{ $.errorCode != "AccessDenied" }"#));
        assert!(matches("{ $.errorCode NOT EXISTS }"));
        assert!(!matches("{ $.eventName NOT EXISTS }"));
        assert!(matches("{ $.userIdentity.invokedBy IS NULL }"));
        assert!(!matches("{ $.userIdentity.userName IS NULL }"));
    }

    #[test]
    fn follows_nested_properties_lists_booleans_and_numbers() {
        assert!(matches(r#"{ $.userIdentity.type = "IAMUser" }"#));
        assert!(matches(r#"{ $.additionalEventData.MFAUsed != "Yes" }"#));
        assert!(matches(r#"{ $.resources[0].ARN = "arn:aws:s3:::*" }"#));
        assert!(!matches(r#"{ $.resources[1].ARN = "*" }"#));
        assert!(matches("{ $.readOnly IS FALSE }"));
        assert!(!matches("{ $.readOnly IS TRUE }"));
        assert!(matches(
            "{ $.count > 5 && $.count <= 7 && $.count = 7 && $.count != 8 }"
        ));
        assert!(!matches("{ $.count >= 8 }"));
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        // false || (true && true)
        assert!(matches(
            r#"{ $.eventName = "X" || $.eventName = "ConsoleLogin" && $.readOnly IS FALSE }"#
        ));
        // (false || true) && false
        assert!(!matches(
            r#"{ ($.eventName = "X" || $.eventName = "ConsoleLogin") && $.readOnly IS TRUE }"#
        ));
        assert!(matches(
            r#"{ (($.eventName = "X") || (($.eventName = "ConsoleLogin"))) }"#
        ));
    }

    #[test]
    fn term_patterns_and_the_empty_pattern() {
        assert!(matches(""));
        assert!(matches("   "));
        assert!(matches("ConsoleLogin"));
        assert!(matches(r#"ConsoleLogin "Failed authentication""#));
        assert!(!matches("ConsoleLogin -alice"));
        assert!(matches("?SwitchRole ?ConsoleLogin"));
        assert!(!matches("?SwitchRole ?AssumeRole"));
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_where() {
        for (pattern, at) in [
            ("{ $.eventName = ", 16),
            ("{ $.eventName = X", 17),
            ("{ ($.eventName = X }", 19),
            ("{ eventName = X }", 2),
            ("{ $.eventName ~ X }", 14),
            ("{ $.count > many }", 16),
            ("{ $.a = 1 } trailing", 12),
            ("{ $. = 1 }", 4),
            ("[ip, user]", 0),
            ("%Console%", 0),
            ("\"open", 5),
            (r#"{ $.a = "open }"#, 15),
        ] {
            let error = Pattern::parse(pattern).expect_err(pattern);
            assert_eq!(error.at, at, "{pattern}: {error}");
        }
        let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(100), ")".repeat(100));
        assert!(Pattern::parse(&deep).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match(
            "*UnauthorizedOperation",
            "Client.UnauthorizedOperation"
        ));
        assert!(glob_match("AccessDenied*", "AccessDeniedException"));
        assert!(!glob_match("AccessDenied*", "Client.AccessDenied"));
    }

    proptest! {
        #[test]
        fn parsing_and_matching_never_panic(text in "\\PC{0,80}") {
            if let Ok(pattern) = Pattern::parse(&text) {
                let _ = pattern.matches(&event());
            }
        }

        #[test]
        fn parsing_pattern_like_text_never_panics(
            text in r#"[{}()$.\[\]0-9a-zA-Z"*=!<>&| \\?%-]{0,60}"#
        ) {
            if let Ok(pattern) = Pattern::parse(&text) {
                let _ = pattern.matches(&event());
            }
        }
    }
}
