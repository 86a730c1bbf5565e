//! Why a file, a zip archive or an entry of one could not be read, said in the user's words
//! rather than in the zip crate's or the operating system's ("Could not find EOCD", "os error 13").

use std::io;
use zip::result::ZipError;

/// The signature of the record every zip archive ends with (the end of central directory).
const END_OF_ARCHIVE: &[u8] = b"PK\x05\x06";

/// An error of the operating system, without its code: `permission denied`.
pub fn io_words(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or_default();
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

/// Why `bytes` are not a readable zip archive, given the error of opening them.
pub fn archive_words(bytes: &[u8], error: &ZipError) -> String {
    if !bytes
        .windows(END_OF_ARCHIVE.len())
        .any(|w| w == END_OF_ARCHIVE)
    {
        return "not a zip archive: no end-of-archive record (the file is not a zip, or it was \
                cut short)"
            .into();
    }
    let split = |m: &str| m.to_ascii_lowercase().contains("multi-disk");
    match error {
        ZipError::InvalidArchive(m) if split(m) => SPLIT.into(),
        ZipError::UnsupportedArchive(m) if split(m) => SPLIT.into(),
        ZipError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            "a damaged zip archive: it ends in the middle of its list of entries".into()
        }
        _ => "a damaged zip archive: the list of entries at its end does not match the entries"
            .into(),
    }
}

const SPLIT: &str =
    "a zip archive split over several files, which oauthlint does not read (Apigee \
                     exports a bundle as one file)";

/// Why an entry that is neither encrypted nor compressed otherwise than Apigee does could not be
/// opened, given the error of opening it.
pub fn entry_words(error: &ZipError) -> String {
    match error {
        ZipError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            "the entry is cut short: not read".into()
        }
        _ => "the entry's header is damaged: not read".into(),
    }
}

/// Why an entry's data could not be inflated, given the error of reading it.
pub fn inflate_words(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => "the entry's data ends too early: not read".into(),
        // The zip crate stops reading past the size the header declares.
        io::ErrorKind::InvalidData if error.to_string().contains("declared") => {
            "the entry holds more data than its header declares: reading stopped there, not read"
                .into()
        }
        io::ErrorKind::InvalidData => {
            "the entry's data does not match its checksum, so it is damaged: not read".into()
        }
        _ => "the entry's compressed data is damaged: not read".into(),
    }
}

/// Why an entry is not in a form Apigee exports (stored or deflated, never encrypted), if it is not.
pub fn unexported_form(
    encrypted: bool,
    compression: zip::CompressionMethod,
) -> Option<&'static str> {
    use zip::CompressionMethod::{Deflated, Stored};
    if encrypted {
        Some("the entry is encrypted, which Apigee never does when it exports a bundle: not read")
    } else if compression != Stored && compression != Deflated {
        Some("the entry is compressed with a method other than deflate, the one Apigee uses: not read")
    } else {
        None
    }
}
