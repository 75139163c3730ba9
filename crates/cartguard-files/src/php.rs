//! The values PHP configuration files return (`<?php return [...];`), read
//! with tree-sitter's PHP grammar, never executed.
//!
//! Literals (strings, numbers, booleans, `null`), arrays in both spellings
//! (`[...]`, `array(...)`), concatenations of literals, and constants the file
//! itself `define`s are evaluated; anything PHP would compute when it runs
//! (`getenv('DB_PASS')`, `$_ENV['X']`, another constant, a function call, an
//! interpolated string) is kept as [`PhpValue::Dynamic`] with its source text,
//! so that a rule can tell a password written in the file from one read from
//! the environment.

use std::collections::HashMap;

use tree_sitter::{Node, Parser};

/// A value as written in a PHP file.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    /// A string literal (or a concatenation of literals).
    String(String),
    /// An integer.
    Int(i64),
    /// A float, as written.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An array literal.
    Array(PhpArray),
    /// A value computed when PHP runs: the expression as written.
    Dynamic(String),
}

/// An array's entries, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhpArray {
    /// The entries.
    pub entries: Vec<PhpEntry>,
}

/// One entry of an array.
#[derive(Debug, Clone, PartialEq)]
pub struct PhpEntry {
    /// The key (`None` for an entry without `=>`, which PHP numbers).
    pub key: Option<PhpValue>,
    /// The value.
    pub value: PhpValue,
    /// The 1-based line of the entry.
    pub line: u32,
}

impl PhpArray {
    /// The entry under a string key.
    pub fn get(&self, key: &str) -> Option<&PhpEntry> {
        self.entries
            .iter()
            .rev() // PHP keeps the last of duplicate keys
            .find(|e| matches!(&e.key, Some(PhpValue::String(k)) if k == key))
    }

    /// The array under a string key.
    pub fn array(&self, key: &str) -> Option<&PhpArray> {
        match &self.get(key)?.value {
            PhpValue::Array(a) => Some(a),
            _ => None,
        }
    }
}

impl PhpValue {
    /// The value as text when it is a literal scalar (`1` for `true`, as PHP
    /// casts it), `None` for arrays and dynamic values.
    pub fn as_text(&self) -> Option<String> {
        match self {
            PhpValue::String(s) => Some(s.clone()),
            PhpValue::Int(i) => Some(i.to_string()),
            PhpValue::Float(f) => Some(f.clone()),
            PhpValue::Bool(true) => Some("1".into()),
            PhpValue::Bool(false) | PhpValue::Null => Some(String::new()),
            PhpValue::Array(_) | PhpValue::Dynamic(_) => None,
        }
    }
}

/// Why a file could not be read as a returned array.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhpError {
    /// The grammar could not be loaded (a build problem, not the input's).
    #[error("the PHP grammar could not be loaded")]
    Grammar,
    /// The parser gave up.
    #[error("the file could not be parsed")]
    Unparsable,
    /// A syntax error.
    #[error("syntax error at line {line}")]
    Syntax {
        /// The 1-based line.
        line: u32,
    },
    /// No top-level `return` with a value.
    #[error("the file returns no value (no top-level `return`)")]
    NoReturn,
}

/// How deep arrays and expressions are followed; deeper values are kept as
/// dynamic, so that no input can exhaust the stack.
const MAX_DEPTH: usize = 64;

/// The value returned by the file's top-level `return` statement.
pub fn read_returned_value(source: &str) -> Result<PhpValue, PhpError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_php::LANGUAGE_PHP.into())
        .map_err(|_| PhpError::Grammar)?;
    let tree = parser.parse(source, None).ok_or(PhpError::Unparsable)?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(PhpError::Syntax {
            line: first_error_line(root),
        });
    }
    let mut reader = Reader {
        source: source.as_bytes(),
        constants: HashMap::new(),
    };
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        match statement.kind() {
            "expression_statement" => reader.note_define(statement),
            "const_declaration" => reader.note_const(statement),
            "return_statement" => {
                if let Some(expression) = statement.named_child(0) {
                    return Ok(reader.value(expression, 0));
                }
            }
            _ => {}
        }
    }
    Err(PhpError::NoReturn)
}

/// The line of the first error or missing node.
fn first_error_line(node: Node) -> u32 {
    if node.is_error() || node.is_missing() {
        return node.start_position().row as u32 + 1;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() || child.is_error() || child.is_missing() {
            return first_error_line(child);
        }
    }
    node.start_position().row as u32 + 1
}

struct Reader<'s> {
    source: &'s [u8],
    /// Constants the file defines before its `return`.
    constants: HashMap<String, PhpValue>,
}

impl<'s> Reader<'s> {
    fn text(&self, node: Node) -> &'s str {
        node.utf8_text(self.source).unwrap_or("")
    }

    /// `define('NAME', value);`
    fn note_define(&mut self, statement: Node) {
        let Some(call) = statement.named_child(0) else {
            return;
        };
        if call.kind() != "function_call_expression" {
            return;
        }
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        if !self.text(function).eq_ignore_ascii_case("define") {
            return;
        }
        let Some(arguments) = call.child_by_field_name("arguments") else {
            return;
        };
        let values: Vec<PhpValue> = {
            let mut cursor = arguments.walk();
            arguments
                .named_children(&mut cursor)
                .filter(|a| a.kind() == "argument")
                .filter_map(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32))
                .map(|e| self.value(e, 1))
                .collect()
        };
        if let [PhpValue::String(name), value, ..] = values.as_slice() {
            self.constants.insert(name.clone(), value.clone());
        }
    }

    /// `const NAME = value;`
    fn note_const(&mut self, declaration: Node) {
        let mut cursor = declaration.walk();
        let elements: Vec<Node> = declaration
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "const_element")
            .collect();
        for element in elements {
            let (Some(name), Some(value)) = (element.named_child(0), element.named_child(1)) else {
                continue;
            };
            let value = self.value(value, 1);
            self.constants.insert(self.text(name).to_string(), value);
        }
    }

    fn dynamic(&self, node: Node) -> PhpValue {
        PhpValue::Dynamic(self.text(node).to_string())
    }

    fn value(&self, node: Node, depth: usize) -> PhpValue {
        if depth > MAX_DEPTH {
            return self.dynamic(node);
        }
        match node.kind() {
            "array_creation_expression" => self.array(node, depth),
            "string" => self.single_quoted(node),
            "encapsed_string" => self.double_quoted(node),
            "integer" => self.integer(self.text(node)),
            "float" => PhpValue::Float(self.text(node).replace('_', "")),
            "boolean" => PhpValue::Bool(self.text(node).eq_ignore_ascii_case("true")),
            "null" => PhpValue::Null,
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => self.value(inner, depth + 1),
                None => self.dynamic(node),
            },
            "unary_op_expression" => self.unary(node, depth),
            "binary_expression" => self.binary(node, depth),
            "name" | "qualified_name" => {
                let name = self.text(node);
                match name.to_ascii_lowercase().as_str() {
                    "true" => PhpValue::Bool(true),
                    "false" => PhpValue::Bool(false),
                    "null" => PhpValue::Null,
                    _ => self
                        .constants
                        .get(name.trim_start_matches('\\'))
                        .cloned()
                        .unwrap_or_else(|| self.dynamic(node)),
                }
            }
            "nowdoc" => match node.child_by_field_name("value") {
                Some(body) => PhpValue::String(self.nowdoc_body(body)),
                None => PhpValue::String(String::new()),
            },
            _ => self.dynamic(node),
        }
    }

    fn array(&self, node: Node, depth: usize) -> PhpValue {
        let mut entries = Vec::new();
        let mut cursor = node.walk();
        for element in node.named_children(&mut cursor) {
            if element.kind() != "array_element_initializer" {
                continue;
            }
            let line = element.start_position().row as u32 + 1;
            let mut inner = element.walk();
            let parts: Vec<Node> = element
                .named_children(&mut inner)
                .filter(|n| n.kind() != "comment")
                .collect();
            let has_arrow = {
                let mut c = element.walk();
                element.children(&mut c).any(|n| n.kind() == "=>")
            };
            match (has_arrow, parts.as_slice()) {
                (true, [key, value]) => entries.push(PhpEntry {
                    key: Some(self.value(*key, depth + 1)),
                    value: self.value(*value, depth + 1),
                    line,
                }),
                (false, [value]) => entries.push(PhpEntry {
                    key: None,
                    value: self.value(*value, depth + 1),
                    line,
                }),
                _ => entries.push(PhpEntry {
                    key: None,
                    value: self.dynamic(element),
                    line,
                }),
            }
        }
        PhpValue::Array(PhpArray { entries })
    }

    /// `'…'`: only `\'` and `\\` are escapes.
    fn single_quoted(&self, node: Node) -> PhpValue {
        let text = self.text(node);
        // A `string` node may be a double-quoted string without interpolation.
        if text.starts_with('"') || text.starts_with("b\"") {
            return self.double_quoted(node);
        }
        let inner = text
            .trim_start_matches('b')
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .unwrap_or(text);
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\'
                && let Some(&next) = chars.peek()
                && (next == '\'' || next == '\\')
            {
                out.push(next);
                chars.next();
                continue;
            }
            out.push(c);
        }
        PhpValue::String(out)
    }

    /// `"…"`: escapes are decoded; interpolation makes the value dynamic.
    fn double_quoted(&self, node: Node) -> PhpValue {
        let mut out = String::new();
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match part.kind() {
                "string_content" | "string_value" => out.push_str(self.text(part)),
                "escape_sequence" => out.push_str(&unescape(self.text(part))),
                _ => return self.dynamic(node),
            }
        }
        PhpValue::String(out)
    }

    fn nowdoc_body(&self, body: Node) -> String {
        let text = self.text(body);
        text.strip_prefix('\n').unwrap_or(text).to_string()
    }

    fn integer(&self, text: &str) -> PhpValue {
        let clean = text.replace('_', "");
        let lower = clean.to_ascii_lowercase();
        let parsed = if let Some(hex) = lower.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()
        } else if let Some(bin) = lower.strip_prefix("0b") {
            i64::from_str_radix(bin, 2).ok()
        } else if let Some(oct) = lower.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()
        } else if lower.len() > 1 && lower.starts_with('0') {
            i64::from_str_radix(&lower[1..], 8).ok()
        } else {
            lower.parse().ok()
        };
        match parsed {
            Some(i) => PhpValue::Int(i),
            None => PhpValue::Float(clean),
        }
    }

    fn unary(&self, node: Node, depth: usize) -> PhpValue {
        let operator = node
            .child_by_field_name("operator")
            .map(|o| self.text(o))
            .unwrap_or("");
        let operand = node
            .child_by_field_name("argument")
            .or_else(|| node.named_child(node.named_child_count().saturating_sub(1) as u32));
        let Some(operand) = operand else {
            return self.dynamic(node);
        };
        match (operator, self.value(operand, depth + 1)) {
            ("-", PhpValue::Int(i)) => PhpValue::Int(i.wrapping_neg()),
            ("+", PhpValue::Int(i)) => PhpValue::Int(i),
            ("!", PhpValue::Bool(b)) => PhpValue::Bool(!b),
            ("!", PhpValue::Int(i)) => PhpValue::Bool(i == 0),
            _ => self.dynamic(node),
        }
    }

    /// Only concatenation of literals is evaluated.
    fn binary(&self, node: Node, depth: usize) -> PhpValue {
        let operator = node
            .child_by_field_name("operator")
            .map(|o| self.text(o))
            .unwrap_or("");
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return self.dynamic(node);
        };
        if operator != "." {
            return self.dynamic(node);
        }
        let left = self.value(left, depth + 1);
        let right = self.value(right, depth + 1);
        match (left.as_text(), right.as_text()) {
            (Some(l), Some(r)) if !matches!(left, PhpValue::Array(_)) => PhpValue::String(l + &r),
            _ => self.dynamic(node),
        }
    }
}

/// Decodes one escape sequence of a double-quoted string.
fn unescape(sequence: &str) -> String {
    match sequence {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        "\\v" => "\x0b".into(),
        "\\e" => "\x1b".into(),
        "\\f" => "\x0c".into(),
        "\\0" => "\0".into(),
        "\\\\" => "\\".into(),
        "\\$" => "$".into(),
        "\\\"" => "\"".into(),
        other => {
            if let Some(hex) = other.strip_prefix("\\x")
                && let Ok(byte) = u8::from_str_radix(hex, 16)
            {
                return char::from(byte).to_string();
            }
            if let Some(code) = other.strip_prefix("\\u{").and_then(|c| c.strip_suffix('}'))
                && let Some(c) = u32::from_str_radix(code, 16).ok().and_then(char::from_u32)
            {
                return c.to_string();
            }
            other.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> PhpArray {
        match read_returned_value(source) {
            Ok(PhpValue::Array(a)) => a,
            other => panic!("not an array: {other:?}"),
        }
    }

    #[test]
    fn nested_arrays_in_both_spellings() {
        let env = read(
            "<?php\nreturn [\n    'backend' => [\n        'frontName' => 'shop_7f3k'\n    ],\n    'db' => array(\n        'connection' => array(\n            'default' => array('host' => 'db.internal', 'port' => 3306, 'active' => true),\n        ),\n    ),\n    'list' => ['a', 'b'],\n];\n",
        );
        let backend = env.array("backend").unwrap();
        let front = backend.get("frontName").unwrap();
        assert_eq!(front.value, PhpValue::String("shop_7f3k".into()));
        assert_eq!(front.line, 4);
        let default = env
            .array("db")
            .and_then(|d| d.array("connection"))
            .and_then(|c| c.array("default"))
            .unwrap();
        assert_eq!(default.get("port").unwrap().value, PhpValue::Int(3306));
        assert_eq!(default.get("active").unwrap().value, PhpValue::Bool(true));
        assert_eq!(default.get("host").unwrap().line, 8);
        let list = env.array("list").unwrap();
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[1].key, None);
    }

    #[test]
    fn concatenation_escapes_and_constants() {
        let env = read(
            "<?php\ndefine('DB_HOST', 'db' . '.internal');\nconst PREFIX = 'mg_';\nreturn [\n  'a' => 'pa' . \"ss\\tw\" . 'ord' . 1,\n  'b' => 'it\\'s',\n  'c' => DB_HOST,\n  'd' => PREFIX . 'x',\n  'e' => \"\\x41\\u{1F600}\",\n  'f' => -5,\n  'g' => 0x1F,\n];\n",
        );
        let value = |k: &str| env.get(k).unwrap().value.clone();
        assert_eq!(value("a"), PhpValue::String("pass\tword1".into()));
        assert_eq!(value("b"), PhpValue::String("it's".into()));
        assert_eq!(value("c"), PhpValue::String("db.internal".into()));
        assert_eq!(value("d"), PhpValue::String("mg_x".into()));
        assert_eq!(value("e"), PhpValue::String("A\u{1F600}".into()));
        assert_eq!(value("f"), PhpValue::Int(-5));
        assert_eq!(value("g"), PhpValue::Int(31));
    }

    #[test]
    fn environment_reads_are_dynamic() {
        let env = read(
            "<?php\nreturn [\n  'a' => getenv('DB_PASS'),\n  'b' => $_ENV['DB_PASS'],\n  'c' => $_SERVER['DB_PASS'] ?? 'fallback',\n  'd' => 'x' . getenv('Y'),\n  'e' => \"pass{$suffix}\",\n  'f' => UNKNOWN_CONSTANT,\n  'g' => \\Magento\\Framework\\Config\\ConfigOptionsListConstants::KEY_HOST,\n];\n",
        );
        let value = |k: &str| env.get(k).unwrap().value.clone();
        assert_eq!(value("a"), PhpValue::Dynamic("getenv('DB_PASS')".into()));
        assert_eq!(value("b"), PhpValue::Dynamic("$_ENV['DB_PASS']".into()));
        for key in ["c", "d", "e", "f", "g"] {
            assert!(matches!(value(key), PhpValue::Dynamic(_)), "{key}");
        }
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            read_returned_value("<?php\nreturn [\n  'a' => ,\n];\n"),
            Err(PhpError::Syntax { line: 3 })
        );
        assert_eq!(
            read_returned_value("<?php\n$x = 1;\n"),
            Err(PhpError::NoReturn)
        );
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let depth = 500;
        let source = format!("<?php return {}1{};", "[".repeat(depth), "]".repeat(depth));
        assert!(read_returned_value(&source).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(source in "\\PC{0,200}") {
            let _ = read_returned_value(&source);
        }

        #[test]
        fn never_panics_on_php_like_input(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<?php ", "return ", "[", "]", "array(", ")", "'a'", "\"b\\n\"", " => ",
                    ", ", ";", " . ", "getenv('X')", "$_ENV['Y']", "1", "-", "0x", "true",
                    "define('K', 'v');", "K", "\\", "'", "\"", "{$x}", "<<<'EOT'\nx\nEOT\n",
                ]),
                0..40,
            )
        ) {
            let _ = read_returned_value(&parts.concat());
        }
    }
}
