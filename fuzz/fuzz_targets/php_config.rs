//! The PHP configuration reader and the Magento and secret readers on any
//! input: no panic, whatever the bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = cartguard_files::php::read_returned_value(&text);
    let _ = cartguard_files::magento::parse_env(&text);
    let _ = cartguard_files::magento::parse_config(&text);
    let _ = cartguard_files::magento::parse_composer_lock(&text);
    let _ = cartguard_files::secrets::scan_file("fuzz.env", data);
    let _ = cartguard_files::secrets::scan_file("fuzz.yml", data);
});
