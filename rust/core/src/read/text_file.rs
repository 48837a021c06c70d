//! A text file read whole when it is surely plain UTF-8, which `charset.decode` returns as it is.
//!
//! The file is opened without blocking and checked to be a regular file (a FIFO would hang
//! the run, /dev/zero never ends), read to at most `max_bytes` + 1 bytes, and taken only
//! when it has no byte-order mark, no control bytes, valid UTF-8 and something besides
//! white space. Anything else answers `None`: Python reads that file again and decodes
//! it, or names why it cannot.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use super::has_text;

const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// The text of the file at `path`, or `None` when Python must read it.
pub fn plain_text_file(path: &Path, max_bytes: usize) -> Option<String> {
    let file = open_without_blocking(path)?;
    let status = file.metadata().ok()?;
    if !status.file_type().is_file() || status.len() > max_bytes as u64 {
        return None;
    }
    let bound = max_bytes as u64 + 1;
    let mut data = Vec::with_capacity(status.len().min(bound) as usize);
    file.take(bound).read_to_end(&mut data).ok()?;
    if data.len() > max_bytes {
        return None;
    }
    plain_text(data)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .ok()
}

#[cfg(not(unix))]
fn open_without_blocking(_path: &Path) -> Option<File> {
    None
}

/// The bytes as text when `charset.decode` would give them back unchanged as "utf-8".
pub fn plain_text(data: Vec<u8>) -> Option<String> {
    if data.starts_with(BYTE_ORDER_MARK) || data.iter().any(|&byte| is_control(byte)) {
        return None;
    }
    String::from_utf8(data).ok().filter(|text| has_text(text))
}

/// `charset._CONTROL_BYTES`: C0 controls but tab, line feed, form feed and carriage return; DEL.
fn is_control(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | 0x0c | b'\r')) || byte == 0x7f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_taken_and_everything_else_left() {
        assert_eq!(
            plain_text("Grüße\r\n\tx\x0c".into()).as_deref(),
            Some("Grüße\r\n\tx\x0c")
        );
        assert_eq!(plain_text(b"\xef\xbb\xbfbom".to_vec()), None);
        assert_eq!(plain_text(b"nul\x00".to_vec()), None);
        assert_eq!(plain_text(b"vt\x0b".to_vec()), None);
        assert_eq!(plain_text(b"del\x7f".to_vec()), None);
        assert_eq!(plain_text(b"caf\xe9".to_vec()), None);
        assert_eq!(plain_text(" \u{3000}\n".into()), None);
    }

    #[test]
    fn only_regular_files_within_the_bound_are_read() {
        let directory = std::env::temp_dir().join(format!("newsdedup-read-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("a.txt");
        std::fs::write(&path, "twelve bytes").unwrap();
        assert_eq!(plain_text_file(&path, 12).as_deref(), Some("twelve bytes"));
        assert_eq!(plain_text_file(&path, 11), None);
        assert_eq!(plain_text_file(&directory, 100), None);
        assert_eq!(plain_text_file(&directory.join("missing.txt"), 100), None);
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
