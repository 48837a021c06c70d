//! JSON Lines split into lines as bytes arrive, never holding more than one bounded line.
//!
//! A line ends at b"\n" only (a lone "\r" is part of the line) and counts its "\n" in its
//! length; a line longer than the limit is given as its length, skipped as it streams by,
//! so a file with one huge line costs no more memory than the limit. Blank lines are
//! lines too: numbers count them, as a reader counting lines in an editor would.

use std::borrow::Cow;

/// One line of the stream: its bytes ("\n" included), or only its length when it was too long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Bytes(Cow<'a, [u8]>),
    Oversized(usize),
}

/// Splits a byte stream fed in chunks of any size into numbered lines of at most `limit` bytes.
#[derive(Debug)]
pub struct LineSplitter {
    limit: usize,
    /// The start of a line whose end has not arrived yet (at most `limit` bytes).
    carried: Vec<u8>,
    /// The bytes so far of a line already known to be too long.
    oversized: Option<usize>,
    /// Lines given out so far: the number of the last one.
    number: u64,
}

impl LineSplitter {
    pub fn new(limit: usize) -> Self {
        Self::numbered_from(limit, 1)
    }

    /// A splitter whose first line is number `first`: a part of a file cut at a line break.
    pub fn numbered_from(limit: usize, first: u64) -> Self {
        LineSplitter {
            limit,
            carried: Vec::new(),
            oversized: None,
            number: first.saturating_sub(1),
        }
    }

    /// The lines that end in `chunk`, numbered from 1 across chunks; the unfinished rest is kept.
    pub fn feed<'a>(&mut self, chunk: &'a [u8]) -> Vec<(u64, Line<'a>)> {
        let mut lines = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            let piece = &chunk[start..=end];
            start = end + 1;
            let line = self.ended(piece);
            self.number += 1;
            lines.push((self.number, line));
        }
        self.carry(&chunk[start..]);
        lines
    }

    /// The last line, when the stream does not end with "\n".
    pub fn finish(&mut self) -> Option<(u64, Line<'static>)> {
        let line = match self.oversized.take() {
            Some(length) => Line::Oversized(length),
            None if !self.carried.is_empty() => Line::Bytes(Cow::Owned(std::mem::take(&mut self.carried))),
            None => return None,
        };
        self.number += 1;
        Some((self.number, line))
    }

    /// The line that `piece` (its last bytes, "\n" included) ends.
    fn ended<'a>(&mut self, piece: &'a [u8]) -> Line<'a> {
        if let Some(length) = self.oversized.take() {
            return Line::Oversized(length + piece.len());
        }
        let length = self.carried.len() + piece.len();
        if length > self.limit {
            self.carried.clear();
            return Line::Oversized(length);
        }
        if self.carried.is_empty() {
            return Line::Bytes(Cow::Borrowed(piece));
        }
        let mut line = std::mem::take(&mut self.carried);
        line.extend_from_slice(piece);
        Line::Bytes(Cow::Owned(line))
    }

    fn carry(&mut self, rest: &[u8]) {
        if rest.is_empty() {
            return;
        }
        if let Some(length) = &mut self.oversized {
            *length += rest.len();
        } else if self.carried.len() + rest.len() > self.limit {
            self.oversized = Some(self.carried.len() + rest.len());
            self.carried = Vec::new();
        } else {
            self.carried.extend_from_slice(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(lines: Vec<(u64, Line<'_>)>) -> Vec<(u64, Line<'static>)> {
        lines
            .into_iter()
            .map(|(number, line)| match line {
                Line::Bytes(bytes) => (number, Line::Bytes(Cow::Owned(bytes.into_owned()))),
                Line::Oversized(length) => (number, Line::Oversized(length)),
            })
            .collect()
    }

    fn split(data: &[u8], limit: usize, chunk: usize) -> Vec<(u64, Line<'static>)> {
        let mut splitter = LineSplitter::new(limit);
        let mut lines = Vec::new();
        for piece in data.chunks(chunk.max(1)) {
            lines.extend(owned(splitter.feed(piece)));
        }
        lines.extend(splitter.finish());
        lines
    }

    fn bytes(text: &str) -> Line<'static> {
        Line::Bytes(Cow::Owned(text.as_bytes().to_vec()))
    }

    #[test]
    fn a_part_of_a_file_numbers_its_lines_from_where_it_starts() {
        let mut splitter = LineSplitter::numbered_from(100, 41);
        let lines = splitter.feed(b"{}\n\n{");
        assert_eq!(
            lines.iter().map(|(number, _)| *number).collect::<Vec<_>>(),
            [41, 42]
        );
        assert_eq!(splitter.finish().map(|(number, _)| number), Some(43));
    }

    #[test]
    fn lines_keep_their_newline_and_blank_lines_are_counted() {
        let expected = vec![(1, bytes("a\r\n")), (2, bytes("\n")), (3, bytes("bc"))];
        for chunk in 1..8 {
            assert_eq!(split(b"a\r\n\nbc", 10, chunk), expected);
        }
    }

    #[test]
    fn a_line_over_the_limit_is_its_length_newline_included() {
        let expected = vec![
            (1, bytes("1234\n")),
            (2, Line::Oversized(6)),
            (3, bytes("ok\n")),
            (4, Line::Oversized(7)),
        ];
        for chunk in 1..12 {
            assert_eq!(split(b"1234\n12345\nok\n1234567", 5, chunk), expected);
        }
    }

    #[test]
    fn nothing_after_the_last_newline_is_no_line() {
        assert_eq!(split(b"a\n", 5, 1), vec![(1, bytes("a\n"))]);
        assert_eq!(split(b"", 5, 1), vec![]);
    }
}
