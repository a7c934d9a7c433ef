//! "Did you mean": the known option closest to an unknown one.

/// The entry of `known` closest to `found`, when it is close enough to be a typo of it.
pub(crate) fn closest<'a>(found: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(found, k), *k))
        // About one edit per three letters: `nmae` is `name`, `flow` is nothing.
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal
/// string alignment distance, since swapped letters are the most common typo.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), one back, current.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn counts_each_kind_of_edit_once() {
        assert_eq!(distance("name", "name"), 0);
        assert_eq!(distance("nam", "name"), 1);
        assert_eq!(distance("names", "name"), 1);
        assert_eq!(distance("nane", "name"), 1);
        assert_eq!(distance("nmae", "name"), 1);
        assert_eq!(distance("", "json"), 4);
        assert_eq!(distance("flow", "next"), 4);
    }

    #[test]
    fn suggests_only_close_keys() {
        let keys = ["name", "response", "next", "handler", "crate"];
        assert_eq!(closest("nmae", &keys), Some("name"));
        assert_eq!(closest("responce", &keys), Some("response"));
        assert_eq!(closest("Next", &keys), Some("next"));
        assert_eq!(closest("handlr", &keys), Some("handler"));
        assert_eq!(closest("flow", &keys), None);
        assert_eq!(
            closest("ANSWER", &["json", "default", "rest", "public", "prefix"]),
            None
        );
        assert_eq!(
            closest("available_challenge", &["rest", "available_challenges"]),
            Some("available_challenges")
        );
    }
}
