//! Text encodings: every export is read as UTF-8, whatever it was saved as.
//!
//! Excel and survey tools write UTF-8 with or without a byte-order mark,
//! UTF-16 with a mark ("Unicode text", tab-separated) or, on Windows, the
//! legacy Windows-1252. A file in UTF-8 is read as it is (the fast path);
//! any other is decoded on the fly by `encoding_rs_io`, so lines, and the
//! line numbers in every message, stay those of the file.

use std::io::{BufRead, Read};

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The encoding an export is read in, and whether it was detected or configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    /// Not configured, and not announced by a byte-order mark: guessed from the bytes.
    pub guessed: bool,
}

impl TextEncoding {
    /// The name users write in `encoding = "…"`.
    pub fn name(&self) -> &'static str {
        if self.encoding == UTF_8 {
            "utf-8"
        } else if self.encoding == UTF_16LE || self.encoding == UTF_16BE {
            "utf-16"
        } else {
            "windows-1252"
        }
    }

    /// Decides the encoding of a file from its configured `encoding` (already
    /// validated) and its first bytes: a byte-order mark wins; without one,
    /// text that is not valid UTF-8 is taken for Windows-1252.
    pub fn detect(configured: Option<&str>, head: &[u8]) -> TextEncoding {
        let bom = Encoding::for_bom(head).map(|(e, _)| e);
        let configured = configured.map(|c| c.to_ascii_lowercase().replace('_', "-"));
        let encoding = match (configured.as_deref(), bom) {
            (_, Some(e)) => e,
            (Some("utf-16" | "utf-16le"), None) => UTF_16LE,
            (Some("utf-16be"), None) => UTF_16BE,
            (Some("windows-1252" | "cp1252"), None) => WINDOWS_1252,
            (Some(_), None) => UTF_8,
            (None, None) if is_utf8_prefix(head) => UTF_8,
            (None, None) => return TextEncoding { encoding: WINDOWS_1252, guessed: true },
        };
        TextEncoding { encoding, guessed: false }
    }

    /// A reader giving the file's text as UTF-8.
    pub fn reader<R: BufRead + Send + 'static>(self, raw: R) -> Box<dyn Read + Send> {
        if self.encoding == UTF_8 {
            // The mark, if any, is left for the header reader to drop.
            return Box::new(raw);
        }
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(self.encoding)).bom_override(true).build(raw),
        )
    }
}

/// Valid UTF-8, except perhaps for a character cut at the end of the sample.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], configured: Option<&str>) -> (String, TextEncoding) {
        let e = TextEncoding::detect(configured, bytes);
        let mut text = String::new();
        e.reader(std::io::Cursor::new(bytes.to_vec())).read_to_string(&mut text).unwrap();
        (text, e)
    }

    #[test]
    fn utf16_with_a_mark_is_decoded_in_either_byte_order() {
        let text = "id\tcsat\n1\t5\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let (decoded, e) = decode(&bytes, None);
            assert_eq!(decoded, text);
            assert_eq!((e.name(), e.guessed), ("utf-16", false));
        }
    }

    #[test]
    fn windows_1252_is_detected_when_the_bytes_are_not_utf8() {
        // "Müller;café" as Windows-1252: ü = 0xFC, é = 0xE9.
        let bytes = b"name;note\nM\xFCller;caf\xE9\n";
        let (decoded, e) = decode(bytes, None);
        assert_eq!(decoded, "name;note\nMüller;café\n");
        assert_eq!((e.name(), e.guessed), ("windows-1252", true));
        let (_, configured) = decode(bytes, Some("Windows-1252"));
        assert!(!configured.guessed);
        // The euro sign is 0x80 in Windows-1252 (not in Latin-1).
        assert_eq!(decode(b"\x80", Some("windows-1252")).0, "€");
    }

    #[test]
    fn utf8_is_read_as_it_is_with_or_without_a_mark() {
        let (text, e) = decode("\u{feff}id,note\n1,naïve\n".as_bytes(), None);
        assert_eq!(text, "\u{feff}id,note\n1,naïve\n");
        assert_eq!((e.name(), e.guessed), ("utf-8", false));
        // A character cut by the end of the sample is not a reason to guess another encoding.
        let cut = &"é".as_bytes()[..1];
        assert!(!TextEncoding::detect(None, cut).guessed);
    }
}
