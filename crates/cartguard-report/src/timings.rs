//! How long a scan's stages took, as `scan --timings` prints them.

use std::time::Duration;

use cartguard_rules::Timing;

/// The stages of a scan with their durations, slowest rule step first: one
/// line each, for standard error.
pub fn timings_text(
    reading: Duration,
    steps: &[Timing],
    all_rules: Duration,
    rendering: Duration,
) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut steps = steps.to_vec();
    steps.sort_by_key(|t| std::cmp::Reverse(t.elapsed));
    let mut out = format!("{:>10.1} ms  reading sources\n", ms(reading));
    for t in &steps {
        out.push_str(&format!("{:>10.1} ms  {}\n", ms(t.elapsed), t.step));
    }
    out.push_str(&format!("{:>10.1} ms  all rules\n", ms(all_rules)));
    out.push_str(&format!(
        "{:>10.1} ms  rendering and writing\n",
        ms(rendering)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slowest_step_first_between_reading_and_the_totals() {
        let steps = [
            Timing {
                step: "quick",
                elapsed: Duration::from_micros(200),
            },
            Timing {
                step: "slow",
                elapsed: Duration::from_millis(3),
            },
        ];
        let text = timings_text(
            Duration::from_millis(12),
            &steps,
            Duration::from_millis(4),
            Duration::from_micros(1500),
        );
        assert_eq!(
            text,
            "      12.0 ms  reading sources\n       3.0 ms  slow\n       0.2 ms  quick\n       4.0 ms  all rules\n       1.5 ms  rendering and writing\n"
        );
    }
}
