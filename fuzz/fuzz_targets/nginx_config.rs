//! Fuzzes `bodies/nginx_config.rs`, which the stable test suite also runs on
//! generated inputs; see that file for what is checked.

#![no_main]

#[path = "../bodies/nginx_config.rs"]
mod body;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| body::run(data));
