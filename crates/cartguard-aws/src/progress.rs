//! The progress display: services and regions done, calls made, errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether a collection draws its progress on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressDisplay {
    /// Nothing is drawn (piped output, `--quiet`).
    Hidden,
    /// A line redrawn in place on the terminal.
    Terminal,
}

/// The collection's progress, shared by its tasks.
#[derive(Clone)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    calls: Arc<AtomicU64>,
    errors: Arc<AtomicU64>,
}

impl Progress {
    pub(crate) fn new(display: ProgressDisplay) -> Progress {
        let bar = (display == ProgressDisplay::Terminal).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} collecting: {pos}/{len} services × regions, {msg} [{elapsed}]",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            calls: Arc::default(),
            errors: Arc::default(),
        }
    }

    /// How many (service, region) pairs the collection has.
    pub(crate) fn plan(&self, pairs: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(pairs as u64);
        }
        self.redraw();
    }

    /// One call made; `failed` when its evidence could not be collected.
    pub(crate) fn call(&self, failed: bool) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if failed {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        self.redraw();
    }

    /// One (service, region) pair done.
    pub(crate) fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} calls, {} errors",
                self.calls.load(Ordering::Relaxed),
                self.errors.load(Ordering::Relaxed)
            ));
        }
    }
}
