//! The `nginx_config` fuzz target's body on stable, in every `cargo test`:
//! random bytes, configurations made of nginx's words and punctuation, and
//! the demo store's configuration mutated at random. The body
//! (`fuzz/bodies/nginx_config.rs`) is the fuzz target's own.

#[path = "../../../fuzz/bodies/nginx_config.rs"]
mod body;

use proptest::prelude::*;

/// Pieces of nginx configuration, glued at random.
const WORDS: &[&str] = &[
    "http",
    "server",
    "location",
    "if",
    "map",
    "include",
    "add_header",
    "listen",
    "443",
    "ssl",
    "root",
    "alias",
    "deny",
    "allow",
    "all",
    "return",
    "404",
    "=",
    "~",
    "~*",
    "^~",
    "/",
    "/static",
    "/\\.",
    "\\.php$",
    "(?!x)",
    "[",
    "(",
    ")",
    "{",
    "}",
    ";",
    "\"",
    "'",
    "\\",
    "#",
    "\n",
    " ",
    "${host}",
    "$request_method",
    "snippets/*.conf",
    "sites-enabled/*",
    "nginx.conf",
    "/etc/nginx/snippets/headers.conf",
    "conf.d/extra.conf",
    "\0",
];

fn demo() -> &'static str {
    include_str!("../../../examples/securecart/server/nginx/sites-enabled/securecart.conf")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        body::run(&data);
    }

    #[test]
    fn nginx_words_never_panic(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..80)) {
        body::run(words.concat().as_bytes());
    }

    #[test]
    fn the_demo_configuration_mutated_never_panics(
        at in 0usize..4096,
        cut in 0usize..64,
        insert in proptest::sample::select(WORDS),
    ) {
        let text = demo().as_bytes();
        let at = at.min(text.len());
        let end = (at + cut).min(text.len());
        let mut data = Vec::new();
        data.extend_from_slice(b"http { include sites-enabled/*; }\0");
        data.extend_from_slice(&text[..at]);
        data.extend_from_slice(insert.as_bytes());
        data.extend_from_slice(&text[end..]);
        body::run(&data);
    }
}
