//! The `filter_pattern` fuzz target's body on stable, in every `cargo test`:
//! random bytes, text made of the filter-pattern language's words, and real
//! patterns (the CIS ones, the demo account's, term patterns) cut and spliced
//! at random. The body (`fuzz/bodies/filter_pattern.rs`) is the fuzz target's
//! own, so both check the same thing.

#[path = "../../../fuzz/bodies/filter_pattern.rs"]
mod filter_pattern_body;

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;

/// Patterns as metric filters hold them.
const PATTERNS: &[&str] = &[
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
    r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    "{ $.resources[0].ARN = \"arn:aws:s3:::*\" && $.readOnly IS FALSE && $.userIdentity.invokedBy IS NULL }",
    "{ $.requestParameters.ipPermissions.items[0].fromPort <= 22 && $.count > -1.5e3 }",
    r#"ConsoleLogin "Failed authentication" ?ERROR ?WARN -DEBUG"#,
    "[ip, user, ...]",
    "%Console.*%",
    "",
];

/// The patterns above and the demo account's metric filters.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds: Vec<String> = PATTERNS.iter().map(|p| p.to_string()).collect();
        let logs =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/securecart/evidence/logs");
        let mut regions: Vec<_> = std::fs::read_dir(&logs)
            .expect("the demo's logs folder")
            .map(|e| e.expect("a region folder").path())
            .collect();
        regions.sort();
        for region in regions {
            let text = std::fs::read_to_string(region.join("describe-metric-filters.json"))
                .expect("the demo's metric filters");
            let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            for filter in value["metricFilters"].as_array().into_iter().flatten() {
                if let Some(pattern) = filter["filterPattern"].as_str() {
                    seeds.push(pattern.to_string());
                }
            }
        }
        seeds
    })
}

/// Text made of the pattern language's words.
fn pattern_words() -> impl Strategy<Value = String> {
    let words = vec![
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "$",
        ".",
        "$.",
        "$.eventName",
        "$.a.b",
        "$.a[0]",
        "[0]",
        "[99999999999999999999]",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "&&",
        "||",
        "IS NULL",
        "NOT EXISTS",
        "IS TRUE",
        "IS FALSE",
        "IS",
        "NOT",
        "\"",
        "\\\"",
        "\\",
        "*",
        "?",
        "-",
        "%",
        " ",
        "\t",
        "\n",
        "ConsoleLogin",
        "\"Failed authentication\"",
        "AccessDenied*",
        "1",
        "-1.5",
        "1e309",
        "NaN",
        "é",
        "\u{0}",
        "🦀",
    ];
    prop::collection::vec(prop::sample::select(words), 0..24).prop_map(|w| w.concat())
}

/// A seed pattern with a character range replaced by other text.
fn spliced() -> impl Strategy<Value = String> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0usize..12,
        prop_oneof![pattern_words(), "\\PC{0,6}"],
    )
        .prop_map(|(seed, at, len, with)| {
            let seed = seed.get(seeds());
            let chars: Vec<char> = seed.chars().collect();
            let start = if chars.is_empty() {
                0
            } else {
                at.index(chars.len() + 1)
            };
            let end = (start + len).min(chars.len());
            let mut out: String = chars[..start].iter().collect();
            out.push_str(&with);
            out.extend(&chars[end..]);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn filter_pattern_random_bytes(data in prop::collection::vec(any::<u8>(), 0..256)) {
        filter_pattern_body::run(&data);
    }

    #[test]
    fn filter_pattern_words(text in pattern_words()) {
        filter_pattern_body::run(text.as_bytes());
    }

    #[test]
    fn filter_pattern_spliced_seeds(text in spliced()) {
        filter_pattern_body::run(text.as_bytes());
    }

    #[test]
    fn filter_pattern_any_text(text in "\\PC{0,120}") {
        filter_pattern_body::run(text.as_bytes());
    }
}

#[test]
fn filter_pattern_seeds_parse_or_are_refused_cleanly() {
    for seed in seeds() {
        filter_pattern_body::run(seed.as_bytes());
    }
    let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(5000), ")".repeat(5000));
    filter_pattern_body::run(deep.as_bytes());
}
