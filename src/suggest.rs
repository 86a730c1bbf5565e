//! "Did you mean …?" for names that are close to one that exists.

/// The candidate closest to `name`, when it is close enough to be a slip: the same name in
/// another case or with a `.xml` suffix added or dropped, or one within a third of the name's
/// length in edits (rustc's `max(len, 3) / 3`) whose edits stay local (see [`close`]).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name_key = key(name);
    let limit = name.chars().count().max(3) / 3;
    candidates
        .into_iter()
        .filter_map(|c| close(&name_key, &key(c), limit).map(|d| (d, c)))
        .min()
        .map(|(_, c)| c)
}

/// A name as compared: without case, and without a `.xml` suffix (a policy's file name written
/// for its name).
fn key(name: &str) -> Vec<char> {
    let lower = name.to_lowercase();
    lower
        .strip_suffix(".xml")
        .unwrap_or(&lower)
        .chars()
        .collect()
}

/// The edit distance from `a` to `b` if it is at most `limit` and local: past the prefix and
/// suffix they share, one only adds to the other, or the edits change at most a third of what
/// differs. A long shared prefix alone does not make names close: `AssignMessage.SetApimGuids`
/// is not a slip for `AssignMessage.Targets`.
fn close(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let distance = edit_distance(a, b);
    let differing = a.len().max(b.len());
    let local = a.is_empty() || b.is_empty() || distance <= differing.max(3) / 3;
    (distance <= limit && local).then_some(distance)
}

/// Insertions, deletions, substitutions and swaps of two neighbours that turn `a` into `b` (the
/// optimal string alignment distance, as rustc counts).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitute = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1).min(row[j - 1] + 1).min(substitute);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        let names = ["OA-Token", "OA-Refresh", "AM-Response"];
        assert_eq!(closest("OA-Tokne", names), Some("OA-Token"));
        assert_eq!(closest("oa-refresh", names), Some("OA-Refresh"));
        assert_eq!(closest("Quota-1", names), None);
    }

    /// Far names share a long prefix; close ones differ by a slip, another case or `.xml`.
    #[test]
    fn a_shared_prefix_does_not_make_names_close() {
        let policies = [
            "AssignMessage.Targets",
            "AM-Invalid-API-Key-Message",
            "VerifyAPIKey",
            "OA-Verify-Token",
            "AM",
        ];
        for far in [
            "AssignMessage.SetApimGuids",
            "AssignMessage.SetPrivateKey",
            "AM-SetReCaptchaMock",
        ] {
            assert_eq!(closest(far, policies), None, "{far}");
        }
        for (slip, meant) in [
            ("AssignMessage.Tragets", "AssignMessage.Targets"),
            ("assignmessage.targets", "AssignMessage.Targets"),
            (
                "AM-Invalid-API-Key-Message.xml",
                "AM-Invalid-API-Key-Message",
            ),
            ("AM.xml", "AM"),
            ("VerifyAPIKey-1", "VerifyAPIKey"),
            ("OA-VerifyToken", "OA-Verify-Token"),
        ] {
            assert_eq!(closest(slip, policies), Some(meant), "{slip}");
        }
        let rules = ["refresh-token-never-refreshed", "ambiguous-and-or"];
        assert_eq!(
            closest("refresh-token-never-refresh", rules),
            Some("refresh-token-never-refreshed")
        );
        assert_eq!(closest("ambigous-and-or", rules), Some("ambiguous-and-or"));
        assert_eq!(closest("exclued", ["exclude", "profile"]), Some("exclude"));
    }

    #[test]
    fn swapped_neighbours_are_one_edit() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&chars("ken"), &chars("kne")), 1);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars(""), &chars("ab")), 2);
    }
}
