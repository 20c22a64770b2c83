//! The output folder goes from the complete previous set to the complete new set in one step.
//!
//! The new set is written into a sibling folder `.NAME.staging-PID` (every file synced, then the
//! folder), and the two folders are swapped: on Linux with `renameat2(RENAME_EXCHANGE)`, one
//! atomic step, so a reader sees either the old set or the new one, never a mixture or nothing.
//! Elsewhere (or on a file system without exchange) the old folder is renamed aside and the new
//! one renamed into place: two atomic steps between which the folder is briefly absent (a reader
//! then sees no set, never a mixed one). The parent folder is synced after each step. A killed
//! run leaves at most a sibling staging or old folder, which the next run removes (or, if the
//! output folder itself is missing, restores from).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The output location can take a set swapped in whole: nothing yet, or a folder that is not
/// a mount point. Checked before any work, so that a refused run changes nothing.
pub fn check_location(target: &Path) -> Result<()> {
    Layout::of(target)?;
    let meta = match fs::metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::output(target, e)),
    };
    if !meta.is_dir() {
        return Err(Error::output(
            target,
            "exists and is not a folder: the output set is a folder of files, so name a folder (or a path that does not exist yet); nothing was changed",
        ));
    }
    if is_mount_point(target) {
        return Err(Error::output(
            target,
            format!(
                "is a mount point: the output set is swapped in whole by renaming the folder, which cannot be done to a mount point; name a folder inside it instead (e.g. --output {}), nothing was changed",
                target.join("iomtally").display()
            ),
        ));
    }
    Ok(())
}

/// A mount point: on another device than its parent, or listed as a mount point by the
/// kernel (a bind mount stays on its device).
fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(canonical) = dir.canonicalize() else {
        return false;
    };
    let Some(parent) = canonical.parent() else {
        return true;
    };
    let other_device = match (fs::metadata(&canonical), fs::metadata(parent)) {
        (Ok(a), Ok(b)) => a.dev() != b.dev(),
        _ => false,
    };
    other_device || mounted_at(&canonical)
}

/// `/proc/self/mountinfo` lists `path` as a mount point (field 5, spaces escaped as `\040`).
fn mounted_at(path: &Path) -> bool {
    let Ok(info) = fs::read_to_string("/proc/self/mountinfo") else {
        return false;
    };
    let wanted = path.to_string_lossy();
    info.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .any(|m| unescape_mount(m) == wanted)
}

fn unescape_mount(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 1..i + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(b) => {
                out.push(char::from(b));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the output set lives and where its siblings go.
pub struct Layout {
    pub target: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Layout {
    pub fn of(target: &Path) -> Result<Layout> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..")
            .ok_or_else(|| {
                Error::output(
                    target,
                    "the output folder needs a name (not '.', '..' or '/')",
                )
            })?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Layout {
            target: target.to_path_buf(),
            parent,
            name,
        })
    }

    pub fn staging(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.staging-{}", self.name, std::process::id()))
    }

    fn old(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.old-{}", self.name, std::process::id()))
    }

    /// The lock file that serialises runs into this folder.
    pub fn lock_path(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }

    /// Siblings a killed run left behind: `(staging folders, old folders)`.
    fn leftovers(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut staging = Vec::new();
        let mut old = Vec::new();
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return (staging, old);
        };
        let (s, o) = (
            format!(".{}.staging-", self.name),
            format!(".{}.old-", self.name),
        );
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with(&s) {
                staging.push(entry.path());
            } else if file.starts_with(&o) {
                old.push(entry.path());
            }
        }
        staging.sort();
        old.sort();
        (staging, old)
    }

    /// Removes what a killed run left (the caller holds the lock). If the output folder itself
    /// is missing, because a run died between the two renames of the fallback, the set it
    /// renamed aside is put back first.
    pub fn clean_leftovers(&self) -> Result<()> {
        let (staging, mut old) = self.leftovers();
        if !self.target.exists()
            && let Some(previous) = old.pop()
        {
            fs::rename(&previous, &self.target).map_err(|e| Error::output(&previous, e))?;
        }
        for dir in staging.iter().chain(&old) {
            fs::remove_dir_all(dir).map_err(|e| Error::output(dir, e))?;
        }
        Ok(())
    }

    /// Files in the current output folder that iomtally did not write, to carry into the new
    /// set; a subfolder means the folder is not iomtally's to replace.
    pub fn foreign_files(&self, ours: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
        let Ok(entries) = fs::read_dir(&self.target) else {
            return Ok(Vec::new());
        };
        let mut foreign = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::output(&self.target, e))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            let kind = entry
                .file_type()
                .map_err(|e| Error::output(entry.path(), e))?;
            if kind.is_dir() {
                return Err(Error::output(
                    &self.target,
                    format!(
                        "holds the folder '{file}', which iomtally did not write: the output folder is replaced as a whole, so give an empty folder or one iomtally wrote"
                    ),
                ));
            }
            if !ours(&file) {
                foreign.push(entry.path());
            }
        }
        foreign.sort();
        Ok(foreign)
    }

    /// Puts the complete staged set in place of the current one.
    pub fn install(&self, staging: &Path) -> Result<()> {
        sync_dir(staging)?;
        checkpoint("staging synced");
        if !self.target.exists() {
            fs::rename(staging, &self.target).map_err(|e| Error::output(&self.target, e))?;
            checkpoint("renamed into place");
            return sync_dir(&self.parent);
        }
        if !fallback_only() && exchange(staging, &self.target).is_ok() {
            checkpoint("exchanged");
            sync_dir(&self.parent)?;
            // The staging path now holds the previous set.
            return fs::remove_dir_all(staging).map_err(|e| Error::output(staging, e));
        }
        let old = self.old();
        fs::rename(&self.target, &old).map_err(|e| Error::output(&self.target, e))?;
        checkpoint("previous set renamed aside");
        fs::rename(staging, &self.target).map_err(|e| Error::output(&self.target, e))?;
        checkpoint("renamed into place");
        sync_dir(&self.parent)?;
        fs::remove_dir_all(&old).map_err(|e| Error::output(&old, e))
    }
}

/// Swaps two paths in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Makes a folder's entries durable (its files were synced as they were written).
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let f = fs::File::open(dir).map_err(|e| Error::output(dir, e))?;
        f.sync_all().map_err(|e| Error::output(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Carries a file into the staged set: a hard link where the file system allows, else a copy.
pub fn carry(from: &Path, to: &Path) -> Result<()> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map_err(|e| Error::output(to, e))?;
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// Tests of the two-rename fallback that platforms without exchange get.
    pub static FALLBACK_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The number of the writer step (1-based) at which a test "kills" the process.
    pub static KILL_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    /// Every step the writer passed, in order, for tests that enumerate them.
    pub static STEPS: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn fallback_only() -> bool {
    #[cfg(test)]
    return FALLBACK_ONLY.with(|f| f.get());
    #[cfg(not(test))]
    false
}

/// A step of the writer. In tests, a run can be stopped dead here (a panic skips every clean-up
/// the writer would do, as a kill would); in builds it does nothing.
#[inline]
pub fn checkpoint(step: &'static str) {
    #[cfg(test)]
    {
        let n = STEPS.with(|s| {
            s.borrow_mut().push(step);
            s.borrow().len()
        });
        if KILL_AT.with(|k| k.get()) == Some(n) {
            panic!("killed at step {n}: {step}");
        }
    }
    #[cfg(not(test))]
    let _ = step;
}
