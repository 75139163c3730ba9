//! The nginx configuration language: tokens, directives and blocks, as
//! nginx's own reader (`ngx_conf_read_token`) splits them.
//!
//! A word is unquoted, `"double"` or `'single'` quoted; in quotes `\"`,
//! `\'`, `\\`, `\n`, `\r` and `\t` are escapes and any other backslash is
//! kept (so regexes such as `\.php$` read as written). `#` starts a comment
//! where a word could start. `${name}` inside a word is a variable, not a
//! block. A directive ends with `;`, a block directive with `{ … }`.

use cartguard_inventory::files::{NginxDirective, NginxIssue};

/// A syntax error, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The line (1-based).
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl SyntaxError {
    /// The error as an issue of `file`.
    pub fn in_file(self, file: &str) -> NginxIssue {
        NginxIssue {
            file: file.to_string(),
            line: self.line,
            message: self.message,
            fatal: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Semicolon,
    Open,
    Close,
}

/// A token with the line it starts on and its byte range in the text.
#[derive(Debug, Clone)]
struct Lexeme {
    token: Token,
    line: u32,
    start: usize,
    end: usize,
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    line: u32,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn error(&self, line: u32, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            line,
            message: message.into(),
        }
    }

    /// The next token, `None` at the end of the text.
    fn next(&mut self) -> Result<Option<Lexeme>, SyntaxError> {
        // Whitespace and comments.
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => {
                    self.bump();
                }
                Some(b'#') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let line = self.line;
        let Some(first) = self.peek() else {
            return Ok(None);
        };
        let lexeme = |token, end| Lexeme {
            token,
            line,
            start,
            end,
        };
        match first {
            b';' => {
                self.bump();
                Ok(Some(lexeme(Token::Semicolon, self.pos)))
            }
            b'{' => {
                self.bump();
                Ok(Some(lexeme(Token::Open, self.pos)))
            }
            b'}' => {
                self.bump();
                Ok(Some(lexeme(Token::Close, self.pos)))
            }
            b'"' | b'\'' => {
                let word = self.quoted(first, line)?;
                // A quoted word must be followed by a separator; `)` closes
                // an `if` condition and starts a word of its own.
                match self.peek() {
                    None | Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b')') => {}
                    Some(other) => {
                        return Err(self.error(
                            self.line,
                            format!(
                                "unexpected {:?} after a quoted string",
                                char_at(self.text, self.pos, other)
                            ),
                        ));
                    }
                }
                Ok(Some(lexeme(Token::Word(word), self.pos)))
            }
            _ => {
                let word = self.unquoted(line)?;
                Ok(Some(lexeme(Token::Word(word), self.pos)))
            }
        }
    }

    fn quoted(&mut self, quote: u8, line: u32) -> Result<String, SyntaxError> {
        self.bump();
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(b) = self.bump() else {
                return Err(self.error(
                    line,
                    format!(
                        "the string opened with {} is never closed",
                        if quote == b'"' { "\"" } else { "'" }
                    ),
                ));
            };
            if b == quote {
                break;
            }
            if b == b'\\' {
                match self.bump() {
                    Some(b'"') => out.push(b'"'),
                    Some(b'\'') => out.push(b'\''),
                    Some(b'\\') => out.push(b'\\'),
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(other) => {
                        out.push(b'\\');
                        out.push(other);
                    }
                    None => out.push(b'\\'),
                }
                continue;
            }
            out.push(b);
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn unquoted(&mut self, line: u32) -> Result<String, SyntaxError> {
        let mut out: Vec<u8> = Vec::new();
        let mut previous = 0u8;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'}' => break,
                b'{' if previous == b'$' => {
                    // `${name}`: a variable written next to other text.
                    while let Some(b) = self.bump() {
                        out.push(b);
                        if b == b'}' {
                            break;
                        }
                        if b == b'\n' || b == b';' {
                            return Err(self
                                .error(line, "the variable name opened with ${ is never closed"));
                        }
                    }
                    previous = b'}';
                    continue;
                }
                b'{' => break,
                b'\\' => {
                    self.bump();
                    match self.bump() {
                        Some(b'"') => out.push(b'"'),
                        Some(b'\'') => out.push(b'\''),
                        Some(b'\\') => out.push(b'\\'),
                        Some(b'n') => out.push(b'\n'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b't') => out.push(b'\t'),
                        Some(other) => {
                            out.push(b'\\');
                            out.push(other);
                        }
                        None => out.push(b'\\'),
                    }
                    previous = 0;
                    continue;
                }
                _ => {
                    self.bump();
                    out.push(b);
                    previous = b;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// The character starting at byte `pos` (for messages).
fn char_at(text: &str, pos: usize, byte: u8) -> char {
    text.get(pos..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or(byte as char)
}

/// How deep blocks may nest.
pub const MAX_DEPTH: usize = 64;

/// Parses one file's text into its directives (includes are not followed
/// here). `file` names the file in every directive.
pub fn parse_text(file: &str, text: &str) -> Result<Vec<NginxDirective>, SyntaxError> {
    let mut lexer = Lexer::new(text);
    // Open blocks: the block directive and the directives read so far inside it.
    let mut stack: Vec<(NginxDirective, Vec<NginxDirective>)> = Vec::new();
    let mut top: Vec<NginxDirective> = Vec::new();
    // The words of the directive being read, its line and where it starts.
    let mut words: Vec<String> = Vec::new();
    let mut first: Option<(u32, usize)> = None;
    while let Some(lexeme) = lexer.next()? {
        match lexeme.token {
            Token::Word(word) => {
                if first.is_none() {
                    first = Some((lexeme.line, lexeme.start));
                }
                words.push(word);
            }
            Token::Semicolon => {
                let Some((line, start)) = first.take() else {
                    return Err(SyntaxError {
                        line: lexeme.line,
                        message: "unexpected \";\"".into(),
                    });
                };
                let directive = directive(file, text, &mut words, line, start, lexeme.end, None);
                match stack.last_mut() {
                    Some((_, children)) => children.push(directive),
                    None => top.push(directive),
                }
            }
            Token::Open => {
                // Real configurations nest a few levels; a bound keeps every
                // recursive walk over the tree (includes, locations) shallow.
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        line: lexeme.line,
                        message: format!("blocks nested more than {MAX_DEPTH} deep"),
                    });
                }
                let Some((line, start)) = first.take() else {
                    return Err(SyntaxError {
                        line: lexeme.line,
                        message: "unexpected \"{\": a block needs a directive name".into(),
                    });
                };
                let block = directive(
                    file,
                    text,
                    &mut words,
                    line,
                    start,
                    lexeme.end,
                    Some(Vec::new()),
                );
                stack.push((block, Vec::new()));
            }
            Token::Close => {
                if let Some((line, _)) = first {
                    return Err(SyntaxError {
                        line,
                        message: format!(
                            "the directive \"{}\" has no \";\" before \"}}\"",
                            words.first().map(String::as_str).unwrap_or("")
                        ),
                    });
                }
                let Some((mut block, children)) = stack.pop() else {
                    return Err(SyntaxError {
                        line: lexeme.line,
                        message: "unexpected \"}\": no block is open".into(),
                    });
                };
                block.block = Some(children);
                match stack.last_mut() {
                    Some((_, siblings)) => siblings.push(block),
                    None => top.push(block),
                }
            }
        }
    }
    if let Some((line, _)) = first {
        return Err(SyntaxError {
            line,
            message: format!(
                "unexpected end of file: the directive \"{}\" has no \";\"",
                words.first().map(String::as_str).unwrap_or("")
            ),
        });
    }
    if let Some((block, _)) = stack.last() {
        return Err(SyntaxError {
            line: block.line,
            message: format!(
                "unexpected end of file: the \"{}\" block opened here is never closed",
                block.name
            ),
        });
    }
    Ok(top)
}

fn directive(
    file: &str,
    text: &str,
    words: &mut Vec<String>,
    line: u32,
    start: usize,
    end: usize,
    block: Option<Vec<NginxDirective>>,
) -> NginxDirective {
    let mut words = std::mem::take(words).into_iter();
    let name = words.next().unwrap_or_default();
    let source = text
        .get(start..end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    NginxDirective {
        name,
        args: words.collect(),
        file: file.to_string(),
        line,
        source,
        block,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<NginxDirective> {
        parse_text("t.conf", text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn error(text: &str) -> SyntaxError {
        parse_text("t.conf", text).expect_err("a syntax error")
    }

    #[test]
    fn nested_blocks_keep_their_lines() {
        let parsed = parse(
            "http {\n  server {\n    listen 443 ssl;\n    location / {\n      root /srv;\n    }\n  }\n}\n",
        );
        assert_eq!(parsed.len(), 1);
        let server = &parsed[0].children()[0];
        assert_eq!((server.name.as_str(), server.line), ("server", 2));
        assert_eq!(server.children()[0].args, ["443", "ssl"]);
        assert_eq!(server.children()[0].source, "listen 443 ssl;");
        let location = &server.children()[1];
        assert_eq!((location.arg(0), location.line), ("/", 4));
        assert_eq!(location.children()[0].line, 5);
    }

    #[test]
    fn quotes_escapes_and_braces_inside_quotes() {
        let parsed = parse(
            "add_header Content-Security-Policy \"default-src 'self'; frame-ancestors 'none'\" always;\n\
             log_format main '{\"a\":\"$remote_addr\"}';\n\
             return 200 \"a\\\"b\\\\c\\d\";\n",
        );
        assert_eq!(
            parsed[0].args,
            [
                "Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'none'",
                "always"
            ]
        );
        assert_eq!(parsed[1].args, ["main", "{\"a\":\"$remote_addr\"}"]);
        assert_eq!(parsed[2].args, ["200", "a\"b\\c\\d"]);
    }

    #[test]
    fn regexes_keep_their_backslashes() {
        let parsed =
            parse("location ~ /\\.(?!well-known) { deny all; }\nlocation ~* \"\\.php$\" { }");
        assert_eq!(parsed[0].args, ["~", "/\\.(?!well-known)"]);
        assert_eq!(parsed[1].args, ["~*", "\\.php$"]);
    }

    #[test]
    fn comments_end_at_the_line_and_only_start_words() {
        let parsed = parse("# top\nserver_tokens off; # trailing\nset $a foo#bar;\n");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].line, 2);
        assert_eq!(parsed[1].args, ["$a", "foo#bar"]);
    }

    #[test]
    fn if_conditions_and_variables_in_braces() {
        let parsed = parse(
            "if ($request_method !~ ^(GET|HEAD|POST)$ ) { return 405; }\n\
             if ($http_x = \"a\") { return 403; }\n\
             return 301 https://${host}$request_uri;\n",
        );
        assert_eq!(parsed[0].name, "if");
        assert_eq!(
            parsed[0].args,
            ["($request_method", "!~", "^(GET|HEAD|POST)$", ")"]
        );
        assert_eq!(parsed[0].children()[0].args, ["405"]);
        assert_eq!(parsed[1].args, ["($http_x", "=", "a", ")"]);
        assert_eq!(parsed[2].args, ["301", "https://${host}$request_uri"]);
    }

    #[test]
    fn a_directive_spanning_lines_is_one_source_line() {
        let parsed = parse("ssl_ciphers\n    ECDHE-RSA-AES128-GCM-SHA256:\n    AES128-SHA;\n");
        assert_eq!(parsed[0].line, 1);
        assert_eq!(
            parsed[0].source,
            "ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256: AES128-SHA;"
        );
    }

    #[test]
    fn malformed_input_names_the_line() {
        let e = error("http {\n  server {\n    listen 80;\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("never closed"), "{e:?}");
        let e = error("server_tokens off\n");
        assert_eq!(e.line, 1);
        let e = error("a;\n}\n");
        assert_eq!(e.line, 2);
        let e = error("a {\n b c\n}\n");
        assert_eq!(e.line, 2);
        let e = error("a \"open;\n\n");
        assert_eq!(e.line, 1);
        let e = error("a \"x\"y;\n");
        assert_eq!(e.line, 1);
        let e = error("\n;\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn map_blocks_hold_entries_as_directives() {
        let parsed = parse(
            "map $http_user_agent $bot {\n    default 0;\n    ~*(curl|wget) 1;\n    \"~^Mozilla/5\\.0 \\(X11\" 2;\n}\n",
        );
        let map = &parsed[0];
        assert_eq!(map.args, ["$http_user_agent", "$bot"]);
        let entries: Vec<(&str, u32)> = map
            .children()
            .iter()
            .map(|d| (d.name.as_str(), d.line))
            .collect();
        assert_eq!(
            entries,
            [
                ("default", 2),
                ("~*(curl|wget)", 3),
                ("~^Mozilla/5\\.0 \\(X11", 4)
            ]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "a {".repeat(MAX_DEPTH + 1);
        assert!(error(&deep).message.contains("nested"));
    }

    #[test]
    fn an_empty_file_has_no_directives() {
        assert!(parse("").is_empty());
        assert!(parse("  # only a comment\n").is_empty());
    }
}
