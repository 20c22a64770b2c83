//! Text helpers every reader of a document shares.

/// The words of `s` joined by single spaces (`split_whitespace`, then `join(" ")`), without
/// the list of words in between.
pub fn collapse_whitespace(s: &str) -> String {
    if s.is_ascii() {
        return collapse_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`collapse_whitespace`] for text without Unicode spaces (most sentences, read for every
/// figure of a document). Text wrapped over lines with single spaces between its words (the
/// common case) is copied a line at a time; other whitespace is collapsed a word at a time.
fn collapse_ascii(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    if memchr::memchr3(b'\t', b'\r', 0x0B, b).is_some() || memchr::memchr(0x0C, b).is_some() {
        push_words(b, &mut out);
    } else {
        static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len()));
        for end in ends {
            let line = trim_spaces(&b[start..end]);
            start = end + 1;
            if DOUBLE_SPACE.find(line).is_some() {
                push_words(line, &mut out);
            } else if !line.is_empty() {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend_from_slice(line);
            }
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// The words of `b` appended to `out`, one space between them (and before the first when
/// `out` holds text already).
fn push_words(b: &[u8], out: &mut Vec<u8>) {
    // The ASCII characters `char::is_whitespace` counts (vertical tab included).
    let space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    for word in b.split(space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ').map_or(start, |i| i + 1);
    &b[start..end.max(start)]
}

/// 1-based line and character column of byte `at` of a file's bytes, counting line breaks as
/// [`crate::document::split_lines`] does (`LF`, `CRLF`, a lone `CR`): where to point a reader
/// at a byte the file should not hold.
pub fn line_and_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let mut line = 1usize;
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', before) {
        let crlf_half = before[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
        if !crlf_half {
            line = line.saturating_add(1);
            start = i + 1;
        }
    }
    let column = String::from_utf8_lossy(&before[start..]).chars().count();
    (line, column.saturating_add(1))
}

/// A file's bytes as UTF-8 text, or what it holds instead, as a reader should be told it:
/// UTF-16 (by its byte-order mark, or ASCII with every other byte NUL), a NUL byte (binary),
/// or a byte that is not UTF-8 (most often Latin-1 or Windows-1252), with its line and column.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, String> {
    if let Some(order) = utf16(bytes) {
        return Err(format!(
            "is UTF-16{order} text, not UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)"
        ));
    }
    let at = |pos: usize| {
        let (line, column) = line_and_column(bytes, pos);
        format!("line {line}, column {column}, offset {pos}")
    };
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(format!("is binary, not text (NUL byte at {})", at(pos)));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        format!(
            "is not UTF-8 text (byte 0x{:02X} at {}); a file saved as Latin-1 or \
             Windows-1252 can be converted first (iconv -f WINDOWS-1252 -t UTF-8)",
            bytes[pos],
            at(pos)
        )
    })
}

/// " (little-endian)" or " (big-endian)" when `bytes` look like UTF-16 text.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(" (little-endian)"),
        [0xFE, 0xFF, ..] => return Some(" (big-endian)"),
        _ => {}
    }
    // Without a mark: ASCII text in UTF-16 has a NUL beside every character.
    let head = &bytes[..bytes.len().min(64) & !1];
    let pairs = || head.chunks_exact(2);
    let text_then_nul = |p: &[u8]| p[0].is_ascii() && p[0] != 0 && p[1] == 0;
    if head.len() < 8 {
        None
    } else if pairs().all(text_then_nul) {
        Some(" (little-endian)")
    } else if pairs().all(|p| text_then_nul(&[p[1], p[0]])) {
        Some(" (big-endian)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{collapse_whitespace, line_and_column, utf8_text};

    #[test]
    fn text_collapses_as_split_whitespace_joins_it() {
        for s in [
            "",
            " ",
            "a",
            "  a  b\t\tc\n",
            "\x0b7\x0c% of\r\n\n all ",
            "one two",
            "x\n\ny",
            "no\u{00A0}break\u{2003}em  space",
        ] {
            let words: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(collapse_whitespace(s), words.join(" "), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_text_collapses_as_split_whitespace_joins_it(s in "[ -~\t\n\r\x0b\x0c]{0,60}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&s), words.join(" "));
        }

        #[test]
        fn spaced_and_wrapped_text_collapses_as_split_whitespace_joins_it(s in "( |  |\n|\n\n| \n|a|bc|\t|\r)*") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&s), words.join(" "));
        }

        #[test]
        fn any_text_collapses_as_split_whitespace_joins_it(s in "\\PC{0,40}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&s), words.join(" "));
        }
    }

    #[test]
    fn a_byte_is_placed_on_its_line_and_column() {
        let text = "ab\ncd\r\nef\rgh\u{e9}i";
        let at = |needle: &str| line_and_column(text.as_bytes(), text.find(needle).unwrap());
        assert_eq!(at("a"), (1, 1));
        assert_eq!(at("d"), (2, 2));
        assert_eq!(at("e"), (3, 1));
        // A lone CR ends a line; a column counts characters, not bytes.
        assert_eq!(at("i"), (4, 4));
        assert_eq!(line_and_column(b"x\n", 2), (2, 1));
    }

    #[test]
    fn what_a_file_holds_instead_of_utf8_text_is_named() {
        assert_eq!(utf8_text("Côte\n".as_bytes()), Ok("Côte\n"));
        let err = |bytes: &[u8]| utf8_text(bytes).unwrap_err();
        let latin1 = err(b"IOM\nMigration in C\xf4te d'Ivoire\n");
        assert!(
            latin1.contains("byte 0xF4 at line 2, column 15, offset 18"),
            "{latin1}"
        );
        assert!(err(b"\x89PNG\r\n\x1a\n\0\0").contains("NUL byte at line 3, column 1"));
        let utf16 = |s: &str, le: bool| -> Vec<u8> {
            s.encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        for (le, order) in [(true, "little-endian"), (false, "big-endian")] {
            let plain = err(&utf16("Total 5 migrants in 2016\n", le));
            assert!(plain.contains(&format!("UTF-16 ({order})")), "{plain}");
        }
        assert!(err(&[0xFF, 0xFE, b'I', 0]).contains("UTF-16 (little-endian)"));
        assert!(err(&[0xFE, 0xFF, 0, b'I']).contains("UTF-16 (big-endian)"));
        // Short binary is not taken for UTF-16.
        assert!(err(b"a\0b\0").contains("NUL byte"));
    }
}
