//! One run at a time per output folder. The lock is an OS file lock on a sibling file
//! `.NAME.lock`, so a holder that dies (kill -9, OOM, reboot) releases it with its process and
//! the next run takes it over. The file records the holder's pid and start time, for the
//! message a second run prints when it gives up.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};

/// Held for as long as the run writes; released on drop (or when the process ends).
pub struct OutputLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the lock on `path`, waiting up to `wait` for a running holder to finish.
pub fn acquire(path: &Path, wait: Duration) -> Result<OutputLock> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::output(path, e))?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    path: path.to_path_buf(),
                    holder: holder(&mut file),
                    waited: wait.as_secs(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::output(path, e)),
        }
    }
    let started = humantime::format_rfc3339_seconds(SystemTime::now());
    let record = format!("pid {} started {started}\n", std::process::id());
    file.set_len(0)
        .and_then(|_| file.rewind())
        .and_then(|_| file.write_all(record.as_bytes()))
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::output(path, e))?;
    Ok(OutputLock {
        _file: file,
        path: path.to_path_buf(),
    })
}

/// What the holder wrote into the lock file ("pid 123 started 2026-…").
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|_| file.read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() {
        "another run (it has not recorded its pid yet)".into()
    } else {
        text.to_string()
    }
}
