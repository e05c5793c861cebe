//! Places in the queue: waiting handovers in the order they were requested (ties by
//! conversation id), the next one first. One handover joining, leaving or moving shifts
//! the places of the waiting handovers between where it was and where it is, and no one
//! else's, so the queue tells only those.

/// A waiting handover's place in the order: when it was requested, then its
/// conversation's id.
pub type QueueKey = (crate::protocol::Millis, String);

/// The waiting handovers whose place changes when one goes from `before` to `after`
/// (`None`: not waiting): those strictly after the first bound and, when there is a
/// second, strictly before it. `None` when nobody else moves.
pub fn shifted(
    before: Option<&QueueKey>,
    after: Option<&QueueKey>,
) -> Option<(QueueKey, Option<QueueKey>)> {
    match (before, after) {
        (None, None) => None,
        (Some(k), None) | (None, Some(k)) => Some((k.clone(), None)),
        (Some(b), Some(a)) if a == b => None,
        (Some(b), Some(a)) => {
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            Some((low.clone(), Some(high.clone())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Millis;

    fn key(at: u64, id: &str) -> QueueKey {
        (Millis(at), id.to_string())
    }

    /// Places (1 = next) of every waiting key, as the definition says.
    fn places(waiting: &[QueueKey]) -> Vec<(QueueKey, usize)> {
        let mut sorted = waiting.to_vec();
        sorted.sort();
        sorted
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i + 1))
            .collect()
    }

    /// Checks `shifted` against recomputing every place, for one change.
    fn check(others: &[QueueKey], before: Option<QueueKey>, after: Option<QueueKey>) {
        let with = |k: &Option<QueueKey>| {
            let mut all = others.to_vec();
            all.extend(k.clone());
            places(&all)
        };
        let (old, new) = (with(&before), with(&after));
        let moved: Vec<&QueueKey> = others
            .iter()
            .filter(|k| {
                let place =
                    |ps: &[(QueueKey, usize)]| ps.iter().find(|(p, _)| p == *k).map(|(_, n)| *n);
                place(&old) != place(&new)
            })
            .collect();
        let range = shifted(before.as_ref(), after.as_ref());
        let inside: Vec<&QueueKey> = others
            .iter()
            .filter(|k| match &range {
                None => false,
                Some((low, high)) => *k > low && high.as_ref().is_none_or(|h| *k < h),
            })
            .collect();
        assert_eq!(inside, moved, "{before:?} -> {after:?} among {others:?}");
    }

    #[test]
    fn joining_leaving_and_moving_shift_exactly_those_between() {
        let others = [key(10, "a"), key(20, "b"), key(20, "d"), key(30, "e")];
        let candidates = [
            None,
            Some(key(5, "x")),
            Some(key(20, "c")),
            Some(key(25, "x")),
            Some(key(40, "x")),
        ];
        for before in &candidates {
            for after in &candidates {
                check(&others, before.clone(), after.clone());
            }
        }
    }

    #[test]
    fn a_change_that_keeps_the_place_moves_nobody() {
        let k = key(10, "a");
        assert_eq!(shifted(Some(&k), Some(&k)), None);
        assert_eq!(shifted(None, None), None);
    }
}
