//! Zipped bundles, as Apigee exports them (`apiproxy/…` or `sharedflowbundle/…` inside), read in
//! memory and never extracted. Only the XML the model is built from is inflated.
//!
//! An archive is refused, with a finding, when it could hurt whoever extracts it or whatever reads
//! it: an entry whose path leaves the folder it is extracted to, a symbolic link, two entries of
//! one name, and an archive past the limits below (a zip bomb). Sizes declared by the archive are
//! checked before inflating, and the bytes actually inflated are counted, because headers lie.

use super::load::place;
use crate::model::{is_model_file, ProblemKind};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Apigee refuses to import a bundle archive over 15 MB, so a larger one is not a bundle.
pub const MAX_ARCHIVE_BYTES: u64 = 16 << 20;
/// Entries one archive may hold: the largest bundle of the corpus holds 218 files.
pub const MAX_ENTRIES: usize = 10_000;
/// XML inflated from one archive: all of the largest bundle of the corpus is 234 KB.
pub const MAX_INFLATED_BYTES: u64 = 16 << 20;

/// A file's or entry's bytes, or the problem that kept them from being read.
pub type Content = Result<Vec<u8>, (ProblemKind, String)>;

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

/// The entries of a zip archive that the model needs, by their names in the archive, and the
/// entries refused for their path or kind. Other entries (resources) are not inflated.
pub fn entries(bytes: &[u8]) -> Result<Vec<(String, Content)>, Refused> {
    if bytes.len() as u64 > MAX_ARCHIVE_BYTES {
        return Err(unsafe_archive(
            None,
            format!(
                "the archive is larger than {} MiB, and Apigee imports no bundle over 15 MB: nothing in it was linted",
                MAX_ARCHIVE_BYTES / MIB
            ),
        ));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|error| Refused {
        entry: None,
        kind: ProblemKind::Unreadable,
        message: format!("not a readable zip archive: {error}"),
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
                out.push((name, Err((ProblemKind::UnsafeArchive, message))));
                continue;
            }
            if entry.is_symlink() {
                let message = "the entry is a symbolic link, which extracting the archive would create, and a later write through it could land outside the folder: not read".to_owned();
                out.push((name, Err((ProblemKind::UnsafeArchive, message))));
                continue;
            }
            let needed = !entry.is_dir() && place(&name).is_some_and(|p| is_model_file(p.relative));
            if !needed {
                continue;
            }
            (name, entry.size())
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
                Err(error) => Err((
                    ProblemKind::Unreadable,
                    format!("cannot inflate the entry: {error}"),
                )),
            },
            Err(error) => Err((
                ProblemKind::Unreadable,
                format!("cannot read the entry: {error}"),
            )),
        };
        out.push((name, content));
    }
    Ok(out)
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
        assert!(entries(&good).is_ok());
        for len in 0..good.len() {
            let _ = entries(&good[..len]);
        }
        for at in 0..good.len() {
            for value in [0x00, 0xff, good[at].wrapping_add(1)] {
                let mut bad = good.clone();
                bad[at] = value;
                let _ = entries(&bad);
            }
        }
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
