//! `iomtally explain CHECK_ID`: one finding of an output set in the terminal, the way a
//! compiler shows an error — its numbers, and the source lines with the figures underlined.
//! An unknown id gets the closest known ones suggested.

use std::io::IsTerminal;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::error::{EXIT_OK, EXIT_USAGE, Error, Result};
use crate::report::parts::number;
use crate::report::source::{
    CONTEXT, Location, SourceLines, Sources, groups, locations, needle_spans,
};
use crate::set::Manifest;
use crate::validate::{Finding, Severity, Status};

/// The findings of an output set.
fn findings(dir: &Path) -> Result<(Manifest, Vec<Finding>)> {
    let manifest = Manifest::read(dir).ok_or_else(|| Error::Input {
        path: dir.join(crate::set::MANIFEST),
        message: "not an iomtally output folder: no readable manifest.json".into(),
    })?;
    let run = std::fs::read_to_string(dir.join(crate::set::RUN)).unwrap_or_else(|_| "{}".into());
    let loaded = crate::report::load::load(dir, manifest.clone(), &run)?;
    Ok((manifest, loaded.findings))
}

/// Up to five known ids closest to an unknown one (by Jaro–Winkler similarity; ids that
/// contain what was typed first).
pub fn closest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(bool, f64, &str)> = known
        .map(|k| (!k.contains(wanted), -strsim::jaro_winkler(wanted, k), k))
        .filter(|(miss, score, _)| !*miss || -*score > 0.75)
        .collect();
    scored.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    scored.into_iter().take(5).map(|(_, _, k)| k).collect()
}

fn level(f: &Finding) -> Level<'static> {
    match (f.status, f.severity) {
        (Status::Fail, Severity::Error) => Level::ERROR,
        (Status::Fail, Severity::Warning) => Level::WARNING,
        (Status::Inferred | Status::Skipped, _) => Level::NOTE,
        (Status::Fail, Severity::Info) => Level::INFO,
        (Status::Pass, _) => Level::HELP,
    }
}

/// The lines around a group of locations as a snippet, their figures annotated.
fn snippet<'a>(
    lines: &SourceLines,
    group: &[&Location],
    path: &'a str,
    source: &'a mut String,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let focus: Vec<usize> = group
        .iter()
        .map(|l| l.line)
        .filter(|&n| n >= 1 && n <= lines.len())
        .collect();
    let lo = focus.iter().min()?.saturating_sub(CONTEXT).max(1);
    let hi = (focus.iter().max()? + CONTEXT).min(lines.len());
    let mut spans = Vec::new();
    for n in lo..=hi {
        let text = lines.get(n - 1).unwrap_or("");
        for loc in group.iter().filter(|l| l.line == n) {
            let needles: Vec<&str> = loc.needles.iter().map(String::as_str).collect();
            let found = needle_spans(text, &needles);
            if found.is_empty() {
                spans.push(source.len()..source.len() + text.len());
            }
            spans.extend(
                found
                    .into_iter()
                    .map(|r| source.len() + r.start..source.len() + r.end),
            );
        }
        source.push_str(text);
        source.push('\n');
    }
    let source: &'a str = source;
    let mut snip = Snippet::source(source)
        .line_start(lo)
        .path(path)
        .fold(false);
    for (i, span) in spans.into_iter().enumerate() {
        let kind = if i == 0 {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let label = source.get(span.clone()).unwrap_or("").trim().to_string();
        snip = snip.annotation(kind.span(span).label(label));
    }
    Some(snip)
}

/// The finding rendered as a diagnostic (plain text, or coloured on a terminal).
pub fn render(f: &Finding, sources: &Sources, manifest: &Manifest, styled: bool) -> String {
    let locs = locations(f);
    let groups = groups(&locs);
    let path_of = |doc: &str| {
        manifest
            .inputs
            .iter()
            .find(|i| i.id == doc)
            .map_or_else(|| doc.to_string(), |i| i.path.clone())
    };
    let paths: Vec<String> = groups.iter().map(|g| path_of(&g[0].doc)).collect();
    let mut buffers: Vec<String> = vec![String::new(); groups.len()];
    let title = format!(
        "{} {}: {}",
        f.status.as_str(),
        f.severity.as_str(),
        f.subject
    );
    let mut group = Group::with_title(
        level(f)
            .primary_title(title.as_str())
            .id(f.check_id.as_str()),
    );
    let mut missing = Vec::new();
    for ((g, path), buf) in groups.iter().zip(&paths).zip(buffers.iter_mut()) {
        match sources.lines(&g[0].doc) {
            Some(lines) => {
                if let Some(s) = snippet(&lines, g, path, buf) {
                    group = group.element(s);
                }
            }
            None => missing.push(format!(
                "{}: the source file is missing or changed since the run (its hash differs)",
                g[0].doc
            )),
        }
    }
    let numbers = format!(
        "stated {} · computed {} · difference {} · tolerance {}",
        number(f.stated),
        number(f.computed),
        number(f.difference()),
        number(f.tolerance)
    );
    let group = group
        .element(Level::NOTE.message(numbers.as_str()))
        .element(Level::NOTE.message(f.message.as_str()));
    let group: Group = missing
        .iter()
        .fold(group, |g, m| g.element(Level::WARNING.message(m.as_str())));
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group]).to_string()
}

/// Prints the finding `id` of the output set in `dir`, source lines from the inputs under
/// `base`. Exit 0, or 2 for an unknown id (with the closest known ids), 3 for a folder that is
/// not an output set.
pub fn command(dir: &Path, id: &str, base: &Path) -> i32 {
    let (manifest, all) = match findings(dir) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            return e.exit_code();
        }
    };
    let Some(f) = all.iter().find(|f| f.check_id == id) else {
        let near = closest(id, all.iter().map(|f| f.check_id.as_str()));
        eprintln!("iomtally: unknown check id '{id}' in {}", dir.display());
        if near.is_empty() {
            eprintln!(
                "  (no known id is close; see validation_results for all {})",
                all.len()
            );
        } else {
            eprintln!("  did you mean:");
            for n in near {
                eprintln!("    {n}");
            }
        }
        return EXIT_USAGE;
    };
    let sources = Sources::new(base.to_path_buf(), manifest.inputs.clone());
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!("{}", render(f, &sources, &manifest, styled));
    EXIT_OK
}
