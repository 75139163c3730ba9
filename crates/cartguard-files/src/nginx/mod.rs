//! nginx configurations: the parser ([`parse`]), includes ([`load`]), and
//! what a configuration means ([`eval`]: servers, inheritance, routing).

pub mod eval;
pub mod load;
pub mod parse;

pub use eval::{Effective, Location, Modifier, Route, Server, servers};
pub use load::load_config;
pub use parse::{SyntaxError, parse_text};
