//! `report.html`: one self-contained page a person checks published totals with — the run, the
//! findings to look at first with the source lines around their figures, the funding tables as
//! printed with their totals marked, and charts. Written with every run, inside the output set,
//! and rebuilt from an output folder by `iomtally report DIR`.

pub mod charts;
pub mod figures;
pub mod grids;
pub mod load;
pub mod page;
pub mod parts;
pub mod source;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::set::Manifest;

pub const FILE: &str = crate::set::REPORT;

/// The page for an output set in `dir` (its data files, `run.json` given as text since a run
/// writes it beside), with source lines read from the inputs under `base`.
pub fn render(dir: &Path, manifest: &Manifest, run_json: &str, base: &Path) -> Result<String> {
    let loaded = load::load(dir, manifest.clone(), run_json)?;
    let sources = source::Sources::new(base.to_path_buf(), manifest.inputs.clone());
    Ok(page::render(&loaded, &sources))
}

/// Rebuilds `report.html` in an output folder from its files: written beside and renamed over
/// the old page, so that a reader never sees half a page.
pub fn rebuild(dir: &Path, base: &Path) -> Result<PathBuf> {
    let manifest = Manifest::read(dir).ok_or_else(|| Error::Input {
        path: dir.join(crate::set::MANIFEST),
        message: "not an iomtally output folder: no readable manifest.json".into(),
    })?;
    let run_json =
        std::fs::read_to_string(dir.join(crate::set::RUN)).map_err(|e| Error::Input {
            path: dir.join(crate::set::RUN),
            message: format!("cannot read run.json: {e}"),
        })?;
    let html = render(dir, &manifest, &run_json, base)?;
    let target = dir.join(FILE);
    let temp = dir.join(format!(".{FILE}.{}", std::process::id()));
    std::fs::write(&temp, html).map_err(|e| Error::output(&temp, e))?;
    std::fs::rename(&temp, &target).map_err(|e| Error::output(&target, e))?;
    Ok(target)
}
