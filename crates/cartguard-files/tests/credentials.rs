//! Properties of the credential detector on any input: it never panics, and
//! what it returns never holds the value it judged.

use cartguard_files::credentials::{credential_name, detect, detect_all, redact};
use proptest::prelude::*;

/// Values that look like what the detector looks for, and anything at all.
fn values() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(AKIA|ASIA)[A-Z2-7]{16}",
        "(sk|rk)_live_[A-Za-z0-9]{8,40}",
        "shp(at|ss|ca|pa)_[a-f0-9]{20,40}",
        "gh[pousr]_[A-Za-z0-9]{20,40}",
        "xox[abposr]-[A-Za-z0-9-]{5,40}",
        "(postgres|mysql|redis)://[a-z]{0,6}:[^@/]{0,12}@[a-z.]{1,12}(:[0-9]{2,5})?/[a-z]{0,6}",
        "-----BEGIN [A-Z ]{0,12}PRIVATE KEY-----[A-Za-z0-9+/\n]{0,40}",
        "[A-Za-z0-9/+]{40}",
        "[ -~]{0,48}",
    ]
}

fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Z_]{0,8}(PASSWORD|SECRET|TOKEN|API_KEY|KEY|AWS_SECRET_ACCESS_KEY)[A-Z_]{0,8}",
        "/[a-z/-]{0,12}(password|secret|token|api-key|key)[a-z-]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_never_returns_the_value(name in names(), value in values()) {
        let _ = credential_name(&name);
        if let Some(found) = detect(&name, &value) {
            prop_assert!(!found.redacted.contains(&value), "{:?} shows {:?}", found, value);
            prop_assert!(value.chars().count() >= 8);
        }
        // A rendering shows at most four leading characters, and fewer than
        // the value holds.
        let rendered = redact(&value);
        let (shown, _) = rendered.split_once('…').unwrap_or_default();
        prop_assert!(value.starts_with(shown));
        prop_assert!(shown.chars().count() <= 4);
        prop_assert!(shown.is_empty() || shown.chars().count() < value.chars().count());
    }

    #[test]
    fn sets_of_values_never_panic_nor_leak(pairs in proptest::collection::vec((names(), values()), 0..6)) {
        let found = detect_all(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        for (name, credential) in found {
            let value = &pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
            prop_assert!(!credential.redacted.contains(value.as_str()) || value.is_empty());
        }
    }
}
