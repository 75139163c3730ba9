//! Reading JSON text: UTF-8 checked with the offset of a bad byte, syntax
//! errors said in words, values of the wrong type named by their JSON path.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::EvidenceError;

/// The bytes as text, or an error naming the first byte that is not UTF-8.
pub(crate) fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, EvidenceError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = String::from_utf8_lossy(&bytes[..offset]);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        EvidenceError::NotUtf8 {
            path: path.to_path_buf(),
            offset,
            line,
            column,
            byte: bytes.get(offset).copied().unwrap_or_default(),
        }
    })
}

/// Parses JSON text into `T`, naming the file, line, column and JSON path on error.
///
/// Valid files take the fast path; only a file that fails is parsed again with
/// the JSON path tracked, to say where it failed.
pub(crate) fn parse_json<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, EvidenceError> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let json_path = e.path().to_string();
        let inner = e.into_inner();
        let syntax = inner.is_syntax() || inner.is_eof();
        EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: inner.line(),
            column: inner.column(),
            // A syntax error's path is where the parser stood, not a value at fault.
            json_path: (!syntax && json_path != "." && !json_path.is_empty()).then_some(json_path),
            message: describe(&inner, text),
        }
    })?;
    deserializer.end().map_err(|e| EvidenceError::Malformed {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        json_path: None,
        message: describe(&e, text),
    })?;
    Ok(value)
}

/// What is wrong, in words: syntax errors say what was expected and what was
/// found; errors about values keep serde's wording without its position suffix.
pub(crate) fn describe(error: &serde_json::Error, text: &str) -> String {
    let raw = error.to_string();
    let bare = match raw.rfind(" at line ") {
        Some(at) => raw[..at].to_string(),
        None => raw,
    };
    match error.classify() {
        Category::Eof => match unclosed(text) {
            _ if text.trim().is_empty() => {
                "the file is empty (expected the JSON the AWS CLI prints)".to_string()
            }
            Some('"') => {
                "the file ends in the middle of a string (a closing `\"` is missing)".to_string()
            }
            Some('{') => "the file ends in the middle of an object (a `}` is missing)".to_string(),
            Some('[') => "the file ends in the middle of a list (a `]` is missing)".to_string(),
            _ => "the file ends in the middle of a value".to_string(),
        },
        Category::Syntax => {
            let found = found_at(text, error.line(), error.column());
            let what = match bare.as_str() {
                "expected `,` or `}`" => "expected `,` or `}` after an object member",
                "expected `,` or `]`" => "expected `,` or `]` after a list element",
                "expected `:`" => "expected `:` after an object key",
                "expected value" => {
                    "expected a value (an object, a list, a string, a number, true, false or null)"
                }
                "expected ident" => "expected `true`, `false` or `null`",
                "key must be a string" => "expected an object key in double quotes",
                "trailing characters" => "expected nothing after the end of the JSON value",
                "trailing comma" => {
                    "a `,` before a closing bracket (JSON allows no trailing comma); expected another value"
                }
                "invalid number" => "expected a number",
                "number out of range" => "a number too large to read",
                "invalid escape" => "an invalid escape sequence in a string",
                m if m.starts_with("control character") => {
                    "a control character (tab, line break, …) inside a string; it must be escaped"
                }
                other => return format!("{other}, found {found}"),
            };
            format!("{what}, found {found}")
        }
        Category::Data | Category::Io => bare,
    }
}

/// What is still open at the end of a truncated text: a string (`"`), an
/// object (`{`) or a list (`[`).
fn unclosed(text: &str) -> Option<char> {
    let mut open = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => open.push(c),
            '}' | ']' => {
                open.pop();
            }
            _ => {}
        }
    }
    if in_string {
        Some('"')
    } else {
        open.last().copied()
    }
}

/// The character at serde_json's 1-based line and column, in words.
fn found_at(text: &str, line: usize, column: usize) -> String {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return "the end of the file".to_string();
    };
    // serde_json counts columns in bytes.
    let at = column.saturating_sub(1);
    let Some(c) = line_text.get(at..).and_then(|rest| rest.chars().next()) else {
        return "the end of the line".to_string();
    };
    match c {
        '"' => "a string (`\"`)".to_string(),
        '\r' => "the end of the line".to_string(),
        c if c.is_ascii_digit() || c == '-' => format!("a number (`{c}`)"),
        c if c.is_whitespace() => "a space".to_string(),
        c => format!("`{c}`"),
    }
}

/// The 1-based line and column where the top-level value starts.
pub(crate) fn start_of(text: &str) -> (usize, usize) {
    let skipped = text.len() - text.trim_start().len();
    let before = &text[..skipped];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        parse_json::<serde_json::Value>(Path::new("f.json"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn syntax_errors_say_what_was_found() {
        assert_eq!(
            error_of("{\"a\": 1]"),
            "f.json:1:8: expected `,` or `}` after an object member, found `]`"
        );
        assert_eq!(
            error_of("[1, 2}"),
            "f.json:1:6: expected `,` or `]` after a list element, found `}`"
        );
        assert_eq!(
            error_of("{\"a\" 1}"),
            "f.json:1:6: expected `:` after an object key, found a number (`1`)"
        );
        assert_eq!(
            error_of("{\"a\": }"),
            "f.json:1:7: expected a value (an object, a list, a string, a number, true, false or null), found `}`"
        );
        assert_eq!(
            error_of("{a: 1}"),
            "f.json:1:2: expected an object key in double quotes, found `a`"
        );
        assert_eq!(
            error_of("{} {}"),
            "f.json:1:4: expected nothing after the end of the JSON value, found `{`"
        );
    }

    #[test]
    fn a_truncated_file_says_where_it_ends() {
        assert_eq!(
            error_of("{\"SummaryMap\": {\n  \"Users\": 3,"),
            "f.json:2:13: the file ends in the middle of an object (a `}` is missing)"
        );
        assert_eq!(
            error_of("[1, 2"),
            "f.json:1:5: the file ends in the middle of a list (a `]` is missing)"
        );
        assert_eq!(
            error_of("{\"a\": \"b"),
            "f.json:1:8: the file ends in the middle of a string (a closing `\"` is missing)"
        );
        assert_eq!(
            error_of("  \n"),
            "f.json:2:0: the file is empty (expected the JSON the AWS CLI prints)"
        );
    }

    #[test]
    fn type_errors_keep_their_json_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Shape {
            #[allow(dead_code)]
            port: u16,
        }
        let error = parse_json::<Shape>(Path::new("f.json"), "{\"port\": \"eighty\"}")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "f.json:1:17: invalid type: string \"eighty\", expected u16 (at port)"
        );
    }

    #[test]
    fn a_bad_byte_is_named_by_its_offset() {
        let error = utf8(Path::new("f.json"), b"{\n  \"a\": \"\xffb\"}".to_vec())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "f.json:2:9: not UTF-8 text: byte 0xff at byte offset 10 cannot start or continue a UTF-8 character (the AWS CLI writes UTF-8)"
        );
    }
}
