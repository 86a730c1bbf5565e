//! Zipped bundles, as Apigee exports them (`apiproxy/…` or `sharedflowbundle/…` inside), read in
//! memory and never extracted. Only the XML the model is built from is inflated at load; a
//! resource is inflated when a rule asks for it, within what is left of the archive's budget.
//!
//! An archive is refused, with a finding, when it could hurt whoever extracts it or whatever reads
//! it: an entry whose path leaves the folder it is extracted to, a symbolic link, two entries of
//! one name, and an archive past the limits below (a zip bomb). Sizes declared by the archive are
//! checked before inflating, and the bytes actually inflated are counted, because headers lie.

use super::load::{place, MAX_FILE_BYTES};
use super::read_errors::{archive_words, entry_words, inflate_words, unexported_form};
use crate::model::{has_no_place, is_model_file, is_resource, Fetch, ProblemKind};
use std::io::{Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use zip::ZipArchive;

/// Apigee refuses to import a bundle archive over 15 MB, so a larger one is not a bundle.
pub const MAX_ARCHIVE_BYTES: u64 = 16 << 20;
/// Entries one archive may hold: the largest bundle of the corpus holds 218 files.
pub const MAX_ENTRIES: usize = 10_000;
/// XML inflated from one archive: all of the largest bundle of the corpus is 234 KB.
pub const MAX_INFLATED_BYTES: u64 = 16 << 20;

/// A file's or entry's bytes, or the problem that kept them from being read.
pub type Content = Result<Vec<u8>, (ProblemKind, String)>;

/// A bundle file as a loader hands it on: read now (the XML the model is built from, or what
/// kept it from being read), or a resource, read when asked.
pub enum Entry {
    Read(Content),
    Lazy(Box<dyn Fetch>),
    /// A file of the bundle folder that its layout has no place for: named, never read.
    Unplaced,
}

type Zip = ZipArchive<Cursor<Arc<[u8]>>>;

/// A resource entry of an archive. Its entries share what is left of the archive's budget once
/// the model's XML is inflated, so that reading every resource cannot inflate a zip bomb.
struct ZipEntry {
    /// Cloning an archive shares its bytes and its central directory.
    archive: Zip,
    index: usize,
    budget: Arc<AtomicU64>,
}

impl Fetch for ZipEntry {
    fn fetch(&self) -> Result<Vec<u8>, String> {
        let over = || {
            format!(
                "the entry inflates to more than the {} MiB oauthlint reads from one file, or than is left of the {} MiB it inflates from one archive: not read",
                MAX_FILE_BYTES / MIB,
                MAX_INFLATED_BYTES / MIB
            )
        };
        let mut zip = self.archive.clone();
        let file = zip
            .by_index(self.index)
            .map_err(|error| format!("cannot read the entry: {error}"))?;
        let cap = self.budget.load(Ordering::Relaxed).min(MAX_FILE_BYTES);
        if file.size() > cap {
            return Err(over());
        }
        let bytes = read_capped(file, cap)
            .map_err(|error| format!("cannot inflate the entry: {error}"))?
            .ok_or_else(over)?;
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes.len() as u64)
            })
            .map_err(|_| over())?;
        Ok(bytes)
    }
}

/// Why a whole archive was not linted; `entry` names the entry that showed it, if one did.
pub struct Refused {
    pub entry: Option<String>,
    pub kind: ProblemKind,
    pub message: String,
}

fn unsafe_archive(entry: Option<String>, message: String) -> Refused {
    Refused {
        entry,
        kind: ProblemKind::UnsafeArchive,
        message,
    }
}

const MIB: u64 = 1 << 20;

/// The entries of a zip archive that the model needs, by their names in the archive, the
/// entries refused for their path or kind, and the resources, which are not inflated yet.
pub fn entries(bytes: Arc<[u8]>) -> Result<Vec<(String, Entry)>, Refused> {
    if bytes.len() as u64 > MAX_ARCHIVE_BYTES {
        return Err(unsafe_archive(
            None,
            format!(
                "the archive is larger than {} MiB, and Apigee imports no bundle over 15 MB: nothing in it was linted",
                MAX_ARCHIVE_BYTES / MIB
            ),
        ));
    }
    let mut zip = ZipArchive::new(Cursor::new(Arc::clone(&bytes))).map_err(|error| Refused {
        entry: None,
        kind: ProblemKind::Unreadable,
        message: archive_words(&bytes, &error),
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(unsafe_archive(
            None,
            format!(
                "the archive holds {} entries, more than the {MAX_ENTRIES} oauthlint reads from one archive: nothing in it was linted",
                zip.len()
            ),
        ));
    }
    if zip.has_duplicate_names() {
        return Err(unsafe_archive(
            None,
            "the archive holds two entries of the same name, and tools differ on which one they read, so what is linted might not be what is deployed: nothing in it was linted".into(),
        ));
    }
    let mut budget = MAX_INFLATED_BYTES;
    let shared_budget = Arc::new(AtomicU64::new(0));
    let mut out = Vec::new();
    for index in 0..zip.len() {
        let (name, declared) = {
            let Ok(entry) = zip.by_index_data(index) else {
                continue; // every index below len() has an entry
            };
            let name = match entry.name() {
                Ok(name) => name.into_owned(),
                Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
            };
            if let Some(why) = leaves_its_folder(&name) {
                let message = format!(
                    "the entry's path {why}, so extracting the archive would write outside its folder: not read"
                );
                out.push((name, refused(message)));
                continue;
            }
            if entry.is_symlink() {
                let message = "the entry is a symbolic link, which extracting the archive would create, and a later write through it could land outside the folder: not read".to_owned();
                out.push((name, refused(message)));
                continue;
            }
            let relative = place(&name).filter(|_| !entry.is_dir()).map(|p| p.relative);
            let declared = if relative.is_some_and(is_resource) {
                None
            } else if relative.is_some_and(is_model_file) {
                Some(entry.size())
            } else {
                if relative.is_some_and(has_no_place) {
                    out.push((name, Entry::Unplaced));
                }
                continue;
            };
            if let Some(why) = unexported_form(entry.encrypted(), entry.compression()) {
                out.push((
                    name,
                    Entry::Read(Err((ProblemKind::Unreadable, why.to_owned()))),
                ));
                continue;
            }
            (name, declared)
        };
        let Some(declared) = declared else {
            let resource = ZipEntry {
                archive: zip.clone(),
                index,
                budget: Arc::clone(&shared_budget),
            };
            out.push((name, Entry::Lazy(Box::new(resource))));
            continue;
        };
        if declared > budget {
            return Err(bomb(
                name,
                format!("declares {declared} bytes once inflated, more"),
            ));
        }
        let content = match zip.by_index(index) {
            Ok(file) => match read_capped(file, budget) {
                Ok(Some(bytes)) => {
                    budget -= bytes.len() as u64;
                    Ok(bytes)
                }
                Ok(None) => return Err(bomb(name, "inflates to more".into())),
                Err(error) => Err((ProblemKind::Unreadable, inflate_words(&error))),
            },
            Err(error) => Err((ProblemKind::Unreadable, entry_words(&error))),
        };
        out.push((name, Entry::Read(content)));
    }
    shared_budget.store(budget, Ordering::Relaxed);
    Ok(out)
}

fn refused(message: String) -> Entry {
    Entry::Read(Err((ProblemKind::UnsafeArchive, message)))
}

fn bomb(entry: String, what: String) -> Refused {
    let message = format!(
        "the entry {what} than the {} MiB of XML oauthlint inflates from one archive, as a zip bomb does: reading stopped, nothing in the archive was linted",
        MAX_INFLATED_BYTES / MIB
    );
    unsafe_archive(Some(entry), message)
}

/// Why extracting an entry of this name would write outside the folder it is extracted to.
fn leaves_its_folder(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    let drive = bytes.len() > 1 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if drive || name.starts_with(['/', '\\']) {
        Some("is absolute")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("climbs out with `..`")
    } else {
        None
    }
}

/// All of `reader` if it gives at most `budget` bytes, else `None`: whatever a header declared,
/// no more than `budget + 1` bytes are ever held.
fn read_capped(reader: impl Read, budget: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(budget + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= budget).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_one_byte_past_the_budget_whatever_the_reader_claims() {
        assert_eq!(read_capped(std::io::repeat(b' '), 1000).unwrap(), None);
        assert_eq!(
            read_capped(&b"<a/>"[..], 4).unwrap(),
            Some(b"<a/>".to_vec())
        );
        assert_eq!(read_capped(&b"<a/>"[..], 3).unwrap(), None);
    }

    #[test]
    fn damaged_archives_never_panic() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("apiproxy/proxies/default.xml", options)
            .unwrap();
        zip.write_all(b"<ProxyEndpoint name=\"default\"><RouteRule name=\"n\"/></ProxyEndpoint>")
            .unwrap();
        zip.add_symlink("apiproxy/policies/L.xml", "../x", options)
            .unwrap();
        let good = zip.finish().unwrap().into_inner();
        assert!(entries(good.as_slice().into()).is_ok());
        for len in 0..good.len() {
            let _ = entries(good[..len].into());
        }
        for at in 0..good.len() {
            for value in [0x00, 0xff, good[at].wrapping_add(1)] {
                let mut bad = good.clone();
                bad[at] = value;
                let _ = entries(bad.as_slice().into());
            }
        }
    }

    /// One deflated policy, with the offsets of its local and central headers.
    fn one_policy() -> (Vec<u8>, usize, usize) {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "apiproxy/policies/AM-Set.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all("<AssignMessage name=\"AM-Set\"/>".repeat(50).as_bytes())
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        (bytes, 0, central)
    }

    /// The message of the one finding of `bytes`, for the archive or its entry.
    fn message(bytes: &[u8]) -> String {
        match entries(bytes.into()) {
            Err(refused) => refused.message,
            Ok(found) => match found.as_slice() {
                [(_, Entry::Read(Err((ProblemKind::Unreadable, message))))] => message.clone(),
                other => panic!("one unreadable entry expected: {:?}", other.len()),
            },
        }
    }

    /// What the zip crate or the system says is never shown as it is ("invalid Zip archive:
    /// Could not find EOCD"): each failure is said in plain words.
    #[test]
    fn every_failure_is_said_in_plain_words() {
        let (good, local, central) = one_policy();
        // A field of the entry's local header and its central header, both at once.
        let patch = |at_local: usize, at_central: usize, value: &[u8]| {
            let mut bytes = good.clone();
            bytes[local + at_local..][..value.len()].copy_from_slice(value);
            bytes[central + at_central..][..value.len()].copy_from_slice(value);
            bytes
        };
        let mut bad_directory = good.clone();
        bad_directory[central..central + 4].copy_from_slice(b"XXXX");
        let mut bad_data = good.clone();
        let data = 30 + "apiproxy/policies/AM-Set.xml".len();
        bad_data[data..data + 8].copy_from_slice(&[0xff; 8]);
        let cases: [(&str, Vec<u8>, &str); 8] = [
            (
                "an HTML page saved as .zip",
                b"<html><body>Not Found</body></html>".to_vec(),
                "not a zip archive: no end-of-archive record (the file is not a zip, or it was cut short)",
            ),
            (
                "half an archive",
                good[..good.len() / 2].to_vec(),
                "not a zip archive: no end-of-archive record (the file is not a zip, or it was cut short)",
            ),
            (
                "a list of entries that points nowhere",
                bad_directory,
                "a damaged zip archive: the list of entries at its end does not match the entries",
            ),
            (
                "an encrypted entry",
                patch(6, 8, &[0x01, 0x00]),
                "the entry is encrypted, which Apigee never does when it exports a bundle: not read",
            ),
            (
                "an entry compressed with bzip2",
                patch(8, 10, &12u16.to_le_bytes()),
                "the entry is compressed with a method other than deflate, the one Apigee uses: not read",
            ),
            (
                "a wrong checksum",
                patch(14, 16, &[0, 0, 0, 0]),
                "the entry's data does not match its checksum, so it is damaged: not read",
            ),
            (
                "a broken deflate stream",
                bad_data,
                "the entry's compressed data is damaged: not read",
            ),
            (
                "a compressed size too small for the stream",
                patch(18, 20, &8u32.to_le_bytes()),
                "the entry's data ends too early: not read",
            ),
        ];
        for (what, bytes, expected) in cases {
            assert_eq!(message(&bytes), expected, "{what}");
        }
    }

    #[test]
    fn system_errors_lose_their_codes() {
        use super::super::read_errors::io_words;
        use std::io::{Error, ErrorKind};
        assert_eq!(
            io_words(&Error::from(ErrorKind::PermissionDenied)),
            "permission denied"
        );
        assert_eq!(
            io_words(&Error::other(
                "Too many levels of symbolic links (os error 40)"
            )),
            "too many levels of symbolic links"
        );
    }

    #[test]
    fn paths_that_leave_their_folder() {
        for name in [
            "../evil.xml",
            "apiproxy/../../x",
            "a\\..\\b",
            "/etc/x",
            "\\x",
            "C:/x",
        ] {
            assert!(leaves_its_folder(name).is_some(), "{name}");
        }
        for name in [
            "apiproxy/policies/A.xml",
            "apiproxy/resources/jsc/a..b.js",
            "..x/y",
        ] {
            assert!(leaves_its_folder(name).is_none(), "{name}");
        }
    }
}
