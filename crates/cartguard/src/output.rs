//! Where reports go: standard output, one file (`--output`), or one file per
//! format in a folder (`--output-dir`), for `scan` and `report` alike.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use cartguard_report::{Format, RenderOptions, Report};

use crate::cli::{OutputArgs, write_stdout_with};

impl OutputArgs {
    /// The formats asked for, each once, in the order given; an error when
    /// several are asked for without a folder to write them to. Checked
    /// before any work is done.
    pub fn formats(&self) -> anyhow::Result<Vec<&'static Format>> {
        let mut formats: Vec<&'static Format> = Vec::new();
        for format in &self.format {
            if !formats.iter().any(|f| f.name == format.name) {
                formats.push(format);
            }
        }
        if formats.len() > 1 && self.output_dir.is_none() {
            let names: Vec<&str> = formats.iter().map(|f| f.name).collect();
            bail!(
                "several formats were asked for ({}): give --output-dir DIR to write one file per format{}",
                names.join(", "),
                if self.output.is_some() {
                    " (--output takes one format)"
                } else {
                    ""
                }
            );
        }
        Ok(formats)
    }

    /// Writes `report` in every format asked for. When the reports go to
    /// files, a summary (counts, what was not assessed, the verdict) and the
    /// files written are printed on standard error, so the terminal still
    /// tells the result.
    pub fn write(&self, report: &Report) -> anyhow::Result<()> {
        let formats = self.formats()?;
        if !self.show.is_empty() {
            return self.show(report);
        }
        if let Some(dir) = &self.output_dir {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let mut written = Vec::new();
            for format in &formats {
                let path = dir.join(format.file_name);
                self.write_file(report, format, &path)?;
                written.push(path);
            }
            return summary(report, &written);
        }
        let format = formats
            .first()
            .copied()
            .unwrap_or(&cartguard_report::FORMATS[0]);
        match &self.output {
            Some(path) => {
                self.write_file(report, format, path)?;
                summary(report, std::slice::from_ref(path))
            }
            None => {
                let color = anstream::AutoStream::choice(&std::io::stdout())
                    != anstream::ColorChoice::Never;
                // One-line findings are cut to a terminal's width; piped,
                // every line stays whole.
                let width = terminal_size::terminal_size_of(std::io::stdout())
                    .map(|(terminal_size::Width(w), _)| usize::from(w));
                let renderer = format.renderer(&RenderOptions {
                    color,
                    width,
                    ..self.options()
                });
                write_stdout_with(renderer.styled(), |out| renderer.render(report, out))
            }
        }
    }

    /// `--show`: the findings whose fingerprint starts with one of the
    /// prefixes given, each in full; a prefix that matches nothing is an error.
    fn show(&self, report: &Report) -> anyhow::Result<()> {
        let color =
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        let mut text = String::new();
        for prefix in &self.show {
            let prefix = prefix.trim().to_ascii_lowercase();
            if prefix.is_empty() {
                bail!("--show takes a fingerprint (or its first characters), not an empty value");
            }
            let matching: Vec<_> = report
                .findings()
                .iter()
                .filter(|f| f.fingerprint.starts_with(&prefix))
                .collect();
            if matching.is_empty() {
                bail!(
                    "no finding has a fingerprint starting with {prefix} (the one-line report shows each finding's first 8 characters)"
                );
            }
            for finding in matching {
                text.push_str(&cartguard_report::finding_text(finding, color));
                text.push('\n');
            }
        }
        write_stdout_with(true, |out| out.write_all(text.as_bytes()))
    }

    /// The rendering options the flags ask for (no colour, no width).
    fn options(&self) -> RenderOptions {
        RenderOptions {
            detail: self.detail,
            show_passed: self.show_passed,
            ..RenderOptions::default()
        }
    }

    fn write_file(&self, report: &Report, format: &Format, path: &Path) -> anyhow::Result<()> {
        let renderer = format.renderer(&self.options());
        let mut file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        renderer
            .render(report, &mut file)
            .and_then(|()| file.flush())
            .with_context(|| format!("writing {}", path.display()))
    }
}

fn summary(report: &Report, written: &[PathBuf]) -> anyhow::Result<()> {
    let color = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    let mut text = cartguard_report::summary_text(report, color);
    for path in written {
        text.push_str(&format!("wrote {}\n", path.display()));
    }
    let mut stderr = anstream::stderr().lock();
    // The reports are written; a closed standard error must not fail the run.
    let _ = stderr.write_all(text.as_bytes());
    Ok(())
}
