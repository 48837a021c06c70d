//! Fingerprints kept as their NDF2 bytes for the length of one run, read back by position.
//!
//! A million fingerprints are about 10 GB: the store keeps at most `memory_limit` bytes of
//! them in memory and writes the rest to a temporary file, read back with positioned reads
//! (`pread`), so verification and the cluster comparisons never hold more than the pair in
//! hand. The same role as `spill.SpilledFingerprints`, without a Python object per fingerprint.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::codec::{DecodeError, FingerprintView};

/// Bytes kept in memory before the store starts writing to its file.
pub const DEFAULT_MEMORY_LIMIT: usize = 64 << 20;

/// Bytes a store that writes to its file gathers before each write.
const WRITE_CHUNK: usize = 1 << 20;

#[derive(Debug)]
pub enum StoreError {
    /// Appended bytes that are not a fingerprint (`number` counts appends from 0).
    Damaged {
        number: usize,
        error: DecodeError,
    },
    OutOfRange {
        position: usize,
        length: usize,
    },
    /// `reorder` was given something other than a permutation of the positions.
    NotAnOrder(String),
    Io(io::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Damaged { number, error } => {
                write!(formatter, "fingerprint {number} is damaged ({error})")
            }
            StoreError::OutOfRange { position, length } => {
                write!(
                    formatter,
                    "position {position} is out of range: the store holds {length} fingerprints"
                )
            }
            StoreError::NotAnOrder(why) => {
                write!(formatter, "not an order of the stored fingerprints: {why}")
            }
            StoreError::Io(error) => write!(formatter, "the fingerprint spill file failed: {error}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<io::Error> for StoreError {
    fn from(error: io::Error) -> Self {
        StoreError::Io(error)
    }
}

/// Checks that `order` lists each of `0..length` once; positions fit 32 bits.
pub fn check_order(order: &[u32], length: usize) -> Result<(), StoreError> {
    if order.len() != length {
        return Err(StoreError::NotAnOrder(format!(
            "{} positions for {length} fingerprints",
            order.len()
        )));
    }
    let mut seen = vec![false; length];
    for &index in order {
        match seen.get_mut(index as usize) {
            Some(slot) if !*slot => *slot = true,
            Some(_) => return Err(StoreError::NotAnOrder(format!("{index} appears twice"))),
            None => return Err(StoreError::NotAnOrder(format!("{index} is past the end"))),
        }
    }
    Ok(())
}

/// Byte records appended one after another, read back by position: the first `memory_limit`
/// bytes in memory, the rest in a temporary file read with positioned reads.
struct SpilledRecords {
    /// Where each appended record starts in the byte stream; the stream ends at `end`.
    starts: Vec<u64>,
    end: u64,
    /// `order[i]`: the append number of the record at position `i` (after `reorder`).
    order: Option<Vec<u32>>,
    /// Bytes `[0, written)` are in the file, `[written, end)` in `pending`.
    file: Option<SpillFile>,
    written: u64,
    pending: Vec<u8>,
    memory_limit: usize,
    folder: Option<PathBuf>,
}

impl SpilledRecords {
    fn new(folder: Option<PathBuf>, memory_limit: usize) -> Self {
        SpilledRecords {
            starts: Vec::new(),
            end: 0,
            order: None,
            file: None,
            written: 0,
            pending: Vec::new(),
            memory_limit,
            folder,
        }
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    fn append(&mut self, data: &[u8]) -> Result<(), StoreError> {
        // Until the first spill everything stays in memory (a small run never writes); after
        // it, records go out a write chunk at a time: a buffer that stays in the processor's
        // cache costs a third of one of `memory_limit` bytes, written cold.
        let limit = if self.file.is_some() {
            WRITE_CHUNK.min(self.memory_limit)
        } else {
            self.memory_limit
        };
        self.starts.push(self.end);
        self.end += data.len() as u64;
        if self.pending.len() + data.len() > limit && data.len() > WRITE_CHUNK {
            // A record past a chunk (a 50 MB article's body) goes to the file as it is, not
            // through a copy in the buffer.
            self.spill()?;
            self.spill_bytes(data)?;
            return Ok(());
        }
        self.pending.extend_from_slice(data);
        if self.pending.len() > limit {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes `data` after what the file holds (nothing may be pending).
    fn spill_bytes(&mut self, data: &[u8]) -> Result<(), StoreError> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(SpillFile::create(self.folder.as_deref())?),
        };
        file.file.write_all(data)?;
        self.written += data.len() as u64;
        Ok(())
    }

    fn spill(&mut self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        self.spill_bytes(&pending)?;
        self.pending = pending;
        self.pending.clear();
        Ok(())
    }

    fn reorder(&mut self, order: Vec<u32>) -> Result<(), StoreError> {
        check_order(&order, self.len())?;
        self.order = Some(order);
        Ok(())
    }

    /// The append number of the record at `position`.
    fn appended(&self, position: usize) -> Result<usize, StoreError> {
        let appended = match &self.order {
            Some(order) => order.get(position).map(|&appended| appended as usize),
            None => Some(position),
        };
        appended
            .filter(|&appended| appended < self.len())
            .ok_or(StoreError::OutOfRange {
                position,
                length: self.len(),
            })
    }

    /// The record at `position`: borrowed from memory, or read from the file into `buffer`.
    fn bytes<'a>(&'a self, position: usize, buffer: &'a mut Vec<u8>) -> Result<&'a [u8], StoreError> {
        let appended = self.appended(position)?;
        let start = self.starts[appended];
        let end = self.starts.get(appended + 1).copied().unwrap_or(self.end);
        let out_of_range = StoreError::OutOfRange {
            position,
            length: self.len(),
        };
        if start >= self.written {
            let from = (start - self.written) as usize;
            let to = (end - self.written) as usize;
            return self.pending.get(from..to).ok_or(out_of_range);
        }
        let file = self.file.as_ref().ok_or(out_of_range)?;
        buffer.clear();
        buffer.resize((end - start) as usize, 0);
        read_exact_at(&file.file, buffer, start)?;
        Ok(buffer)
    }
}

/// An append-only list of fingerprints (NDF2 bytes); `read(i)` gives a view of the `i`-th.
pub struct FingerprintStore {
    records: SpilledRecords,
    /// A hash of each appended fingerprint's bytes: equal bytes, equal hashes (exact copies).
    hashes: Vec<u64>,
    /// Each appended fingerprint's word count (the canonical choice reads it for every member).
    word_counts: Vec<u32>,
}

impl FingerprintStore {
    /// A store that spills to a temporary file in `folder` (the system's by default).
    pub fn new(folder: Option<PathBuf>, memory_limit: usize) -> Self {
        FingerprintStore {
            records: SpilledRecords::new(folder, memory_limit),
            hashes: Vec::new(),
            word_counts: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Whether part of the store is on disk.
    pub fn spilled(&self) -> bool {
        self.records.file.is_some()
    }

    /// Appends one fingerprint after checking it, so that reads never meet damaged bytes.
    pub fn append(&mut self, data: &[u8]) -> Result<(), StoreError> {
        let view = FingerprintView::parse_checked(data).map_err(|error| StoreError::Damaged {
            number: self.len(),
            error,
        })?;
        self.word_counts.push(view.word_count);
        self.hashes.push(bytes_hash(data));
        self.records.append(data)
    }

    /// From now on, position `i` is the fingerprint appended `order[i]`-th.
    pub fn reorder(&mut self, order: Vec<u32>) -> Result<(), StoreError> {
        self.records.reorder(order)
    }

    /// The word count of the fingerprint at `position`, without reading it.
    pub fn word_count(&self, position: usize) -> Result<u32, StoreError> {
        Ok(self.word_counts[self.records.appended(position)?])
    }

    /// The hash of the bytes at `position`: fingerprints with different hashes differ.
    pub fn bytes_hash(&self, position: usize) -> Result<u64, StoreError> {
        Ok(self.hashes[self.records.appended(position)?])
    }

    /// The NDF2 bytes at `position`: borrowed from memory, or read from the file into `buffer`.
    pub fn bytes<'a>(&'a self, position: usize, buffer: &'a mut Vec<u8>) -> Result<&'a [u8], StoreError> {
        self.records.bytes(position, buffer)
    }

    /// The fingerprint at `position` (bytes were checked on append; a short read is an error).
    pub fn read<'a>(
        &'a self,
        position: usize,
        buffer: &'a mut Vec<u8>,
    ) -> Result<FingerprintView<'a>, StoreError> {
        let data = self.bytes(position, buffer)?;
        FingerprintView::parse(data).map_err(|error| StoreError::Damaged {
            number: position,
            error,
        })
    }
}

/// A run's document bodies, by position as its fingerprints: what a copy changed is told in
/// its words, which fingerprints do not keep. Spilled past a limit as the fingerprints are,
/// so a million bodies cost disk, not memory.
pub struct TextStore {
    records: SpilledRecords,
}

impl TextStore {
    pub fn new(folder: Option<PathBuf>, memory_limit: usize) -> Self {
        TextStore {
            records: SpilledRecords::new(folder, memory_limit),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Appends a body (UTF-8, or a document table's surrogatepass bytes).
    pub fn append(&mut self, text: &[u8]) -> Result<(), StoreError> {
        self.records.append(text)
    }

    /// From now on, position `i` is the body appended `order[i]`-th.
    pub fn reorder(&mut self, order: Vec<u32>) -> Result<(), StoreError> {
        self.records.reorder(order)
    }

    /// The body at `position`, as appended.
    pub fn bytes<'a>(&'a self, position: usize, buffer: &'a mut Vec<u8>) -> Result<&'a [u8], StoreError> {
        self.records.bytes(position, buffer)
    }
}

/// A quick 64-bit hash of bytes (a multiply-and-rotate over 8-byte words): only equal bytes
/// are ever treated as copies, so a collision costs one comparison, never a wrong answer.
fn bytes_hash(data: &[u8]) -> u64 {
    const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut words = data.chunks_exact(8);
    let mut hash = data.len() as u64;
    for word in &mut words {
        let mut value = [0u8; 8];
        value.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(value))
            .wrapping_mul(MIX)
            .rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = (hash ^ u64::from_le_bytes(tail)).wrapping_mul(MIX);
    hash ^ hash >> 32
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the spill file ended early",
                ))
            }
            Ok(read) => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// A temporary file that disappears with the store (unlinked at once where the system allows).
struct SpillFile {
    file: File,
    path: Option<PathBuf>,
}

impl SpillFile {
    fn create(folder: Option<&Path>) -> io::Result<SpillFile> {
        static CREATED: AtomicU64 = AtomicU64::new(0);
        let folder = folder.map(Path::to_path_buf).unwrap_or_else(std::env::temp_dir);
        loop {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.subsec_nanos());
            let number = CREATED.fetch_add(1, Ordering::Relaxed);
            let path = folder.join(format!("newsdedup-{}-{number}-{nanos}.spill", std::process::id()));
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    // On Unix the open file outlives its name: nothing is left behind, even on a crash.
                    let path = if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                        None
                    } else {
                        Some(path)
                    };
                    return Ok(SpillFile { file, path });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            }
        }
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_fingerprint;
    use crate::fingerprint::Fingerprint;

    fn encoded(shingles: Vec<u32>) -> Vec<u8> {
        let fingerprint = Fingerprint {
            shingles,
            minhash: vec![1, 2],
            ..Fingerprint::default()
        };
        encode_fingerprint(&fingerprint).unwrap()
    }

    fn shingles_at(store: &FingerprintStore, position: usize) -> Vec<u32> {
        let mut buffer = Vec::new();
        store.read(position, &mut buffer).unwrap().shingles.to_vec()
    }

    #[test]
    fn reads_back_in_memory_and_spilled_and_reordered() {
        let folder = std::env::temp_dir();
        for limit in [usize::MAX, 0, 100] {
            let mut store = FingerprintStore::new(Some(folder.clone()), limit);
            for value in 0..50u32 {
                store.append(&encoded((0..value).collect())).unwrap();
            }
            assert_eq!(store.spilled(), limit != usize::MAX);
            assert_eq!(shingles_at(&store, 7), (0..7).collect::<Vec<_>>());
            assert_eq!(shingles_at(&store, 49), (0..49).collect::<Vec<_>>());
            store.reorder((0..50).rev().collect()).unwrap();
            assert_eq!(shingles_at(&store, 0), (0..49).collect::<Vec<_>>());
            assert!(matches!(
                store.read(50, &mut Vec::new()),
                Err(StoreError::OutOfRange { .. })
            ));
        }
    }

    #[test]
    fn damaged_appends_and_bad_orders_are_refused() {
        let mut store = FingerprintStore::new(None, DEFAULT_MEMORY_LIMIT);
        assert!(matches!(
            store.append(b"NDF2"),
            Err(StoreError::Damaged { number: 0, .. })
        ));
        store.append(&encoded(vec![1])).unwrap();
        store.append(&encoded(vec![2])).unwrap();
        assert!(store.reorder(vec![0]).is_err());
        assert!(store.reorder(vec![1, 1]).is_err());
        assert!(store.reorder(vec![0, 2]).is_err());
        assert!(store.reorder(vec![1, 0]).is_ok());
    }

    #[test]
    fn a_record_past_a_write_chunk_goes_straight_to_the_file() {
        let mut store = TextStore::new(None, 1000);
        let big = vec![b'x'; 3 * WRITE_CHUNK];
        store.append(b"small").unwrap();
        store.append(&big).unwrap();
        store.append(b"after").unwrap();
        let mut buffer = Vec::new();
        assert_eq!(store.bytes(0, &mut buffer).unwrap(), b"small");
        assert_eq!(store.bytes(1, &mut buffer).unwrap(), &big[..]);
        assert_eq!(store.bytes(2, &mut buffer).unwrap(), b"after");
        assert!(store.records.pending.capacity() < WRITE_CHUNK);
    }

    #[test]
    fn texts_read_back_in_memory_and_spilled_and_reordered() {
        for limit in [usize::MAX, 0, 10] {
            let mut store = TextStore::new(None, limit);
            let texts: Vec<String> = (0..20).map(|number| "word ".repeat(number)).collect();
            for text in &texts {
                store.append(text.as_bytes()).unwrap();
            }
            let mut buffer = Vec::new();
            assert_eq!(store.bytes(7, &mut buffer).unwrap(), texts[7].as_bytes());
            store.reorder((0..20).rev().collect()).unwrap();
            assert_eq!(store.bytes(0, &mut buffer).unwrap(), texts[19].as_bytes());
            assert!(store.bytes(20, &mut buffer).is_err());
        }
    }
}
