//! A large dataset (mentions over a corpus) written as its documents finish, in row groups,
//! straight into the staging folder of the output set, rather than held whole in memory. Its
//! primary key is checked as rows arrive; its files are hashed while they are written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use polars::prelude::{BatchedWriter, KeyValueMetadata, ParquetWriter};
use sha2::{Digest, Sha256};

use crate::config::Format;
use crate::dataset::{Dataset, Rows};
use crate::document::hex;
use crate::error::{Error, Result};

use super::{FileRecord, InputRecord, files};

/// Where streamed datasets go: the run's staging folder, in the run's formats.
pub struct Sink {
    pub dir: PathBuf,
    pub formats: Vec<Format>,
    pub hxl: bool,
    pub inputs: Vec<InputRecord>,
}

/// A dataset already written into the staging folder.
pub struct Streamed {
    /// Its description: name, fields, sources and key (the frame is empty).
    pub meta: Dataset,
    pub rows: usize,
    pub files: Vec<FileRecord>,
}

/// A writer that hashes what passes through it, the hash kept where the caller can read it
/// after the Parquet writer (which keeps the writer) is done.
struct SharedHashing {
    file: File,
    hash: Arc<Mutex<Sha256>>,
}

impl Write for SharedHashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        if let Ok(mut h) = self.hash.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

struct ParquetStream {
    writer: BatchedWriter<SharedHashing>,
    file: File,
    hash: Arc<Mutex<Sha256>>,
    path: PathBuf,
}

struct CsvStream {
    writer: files::Hashing<BufWriter<File>>,
    /// The formatted rows' bytes, reused from batch to batch.
    buffers: Vec<Vec<u8>>,
    path: PathBuf,
}

impl ParquetStream {
    fn write(&mut self, batch: &Dataset) -> Result<()> {
        self.writer
            .write_batch(&batch.frame)
            .map_err(|e| Error::output(&self.path, e))
    }
}

impl CsvStream {
    fn write(&mut self, batch: &Dataset) -> Result<()> {
        files::csv_rows(&mut self.writer, batch, &mut self.buffers)
            .map_err(|e| Error::output(&self.path, e))
    }
}

pub struct DatasetStream {
    meta: Dataset,
    parquet: Option<ParquetStream>,
    csv: Option<CsvStream>,
    rows: usize,
    keys: super::KeyCheck,
}

fn create(path: &Path) -> Result<File> {
    File::create(path).map_err(|e| Error::output(path, e))
}

impl DatasetStream {
    /// Opens the dataset's files in the sink; `empty` is the dataset with no rows (its schema).
    pub fn open(sink: &Sink, empty: Dataset) -> Result<DatasetStream> {
        let keys = super::KeyCheck::of(&empty);
        let mut stream = DatasetStream {
            meta: empty,
            parquet: None,
            csv: None,
            rows: 0,
            keys,
        };
        for format in &sink.formats {
            match format {
                Format::Parquet => stream.parquet = Some(stream.open_parquet(sink)?),
                Format::Csv => stream.csv = Some(stream.open_csv(sink)?),
            }
        }
        Ok(stream)
    }

    fn open_parquet(&self, sink: &Sink) -> Result<ParquetStream> {
        let path = sink.dir.join(format!("{}.parquet", self.meta.name));
        let file = create(&path)?;
        let hash = Arc::new(Mutex::new(Sha256::new()));
        let writing = SharedHashing {
            file: file.try_clone().map_err(|e| Error::output(&path, e))?,
            hash: hash.clone(),
        };
        let writer = ParquetWriter::new(writing)
            .with_compression(files::compression())
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(
                files::parquet_metadata(&self.meta, &sink.inputs),
            )))
            .batched(self.meta.frame.schema())
            .map_err(|e| Error::output(&path, e))?;
        Ok(ParquetStream {
            writer,
            file,
            hash,
            path,
        })
    }

    fn open_csv(&self, sink: &Sink) -> Result<CsvStream> {
        let path = sink.dir.join(format!("{}.csv", self.meta.name));
        let file = create(&path)?;
        let mut writer = files::Hashing::new(BufWriter::new(file));
        let header =
            files::csv_header(&self.meta, sink.hxl).map_err(|e| Error::output(&path, e))?;
        writer
            .write_all(&header)
            .map_err(|e| Error::output(&path, e))?;
        Ok(CsvStream {
            writer,
            buffers: Vec::new(),
            path,
        })
    }

    /// Writes a batch of rows (one row group); refuses a primary key seen before.
    pub fn append(&mut self, rows: Box<dyn Rows>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let batch = rows.into_dataset(&self.meta);
        // The key check and the two files are independent: done side by side.
        let (keys, name) = (&mut self.keys, self.meta.name.as_str());
        let (parquet, csv) = (&mut self.parquet, &mut self.csv);
        let (checked, (in_parquet, in_csv)) = rayon::join(
            || keys.add(&batch, name),
            || {
                rayon::join(
                    || parquet.as_mut().map_or(Ok(()), |p| p.write(&batch)),
                    || csv.as_mut().map_or(Ok(()), |c| c.write(&batch)),
                )
            },
        );
        checked.and(in_parquet).and(in_csv)?;
        self.rows += batch.rows();
        Ok(())
    }

    /// Closes the files (synced) and describes what was written.
    pub fn finish(self) -> Result<Streamed> {
        let mut records = Vec::new();
        if let Some(p) = self.parquet {
            p.writer.finish().map_err(|e| Error::output(&p.path, e))?;
            drop(p.writer);
            p.file.sync_all().map_err(|e| Error::output(&p.path, e))?;
            let digest = p.hash.lock().map(|h| h.clone().finalize()).map_err(|_| {
                Error::output(&p.path, "the hash of the file was lost while writing")
            })?;
            records.push(FileRecord {
                path: format!("{}.parquet", self.meta.name),
                format: "parquet".into(),
                sha256: hex(&digest),
            });
        }
        if let Some(c) = self.csv {
            let sha256 = c.writer.finish(&c.path)?;
            records.push(FileRecord {
                path: format!("{}.csv", self.meta.name),
                format: "csv".into(),
                sha256,
            });
        }
        Ok(Streamed {
            meta: self.meta,
            rows: self.rows,
            files: records,
        })
    }
}

/// A stream on a thread of its own: batches handed over are written while the next ones are
/// read. At most two batches wait, so memory stays bounded by a few batches.
pub struct Background {
    sender: Option<std::sync::mpsc::SyncSender<Box<dyn Rows>>>,
    writer: std::thread::JoinHandle<Result<Streamed>>,
    path: PathBuf,
}

impl DatasetStream {
    pub fn in_background(self, sink: &Sink) -> Result<Background> {
        let path = sink.dir.join(&self.meta.name);
        let (sender, batches) = std::sync::mpsc::sync_channel::<Box<dyn Rows>>(2);
        let writer = std::thread::Builder::new()
            .name(format!("write {}", self.meta.name))
            .spawn(move || {
                let mut stream = self;
                // After a failure the batches still sent are drained unwritten; the first
                // error is the stream's outcome.
                let mut failed = None;
                for rows in batches {
                    if failed.is_none() {
                        failed = stream.append(rows).err();
                    }
                }
                match failed {
                    Some(e) => Err(e),
                    None => stream.finish(),
                }
            })
            .map_err(|e| Error::output(&path, e))?;
        Ok(Background {
            sender: Some(sender),
            writer,
            path,
        })
    }
}

impl Background {
    /// Hands a batch to the writer (waiting while two are queued). A writer that stopped
    /// early tells why in [`Background::finish`].
    pub fn append(&mut self, rows: Box<dyn Rows>) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(rows);
        }
    }

    /// Waits for the writer: the files closed and described, or the first error.
    pub fn finish(mut self) -> Result<Streamed> {
        drop(self.sender.take());
        self.writer
            .join()
            .map_err(|_| Error::output(&self.path, "the writer thread stopped unexpectedly"))?
    }
}
