//! nginx configurations: the parser ([`parse`]), includes ([`load`]).

pub mod load;
pub mod parse;

pub use load::load_config;
pub use parse::{SyntaxError, parse_text};
