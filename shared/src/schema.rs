//! The storage layout's version: each Durable Object's SQLite storage says which layout it
//! has, and a newer Baton moves it forward when the object opens, one step at a time.
//! Layout 1 is the tables as Baton created them before layouts had a number; storage
//! without a version (made then, or never opened) gets layout 1's tables, created only if
//! missing, and then every later step. Storage of a layout newer than the code is
//! refused: an older Baton cannot tell what the newer one changed, and must not guess.

use std::fmt;
use std::ops::Range;

/// An object's layouts: the statements that create layout 1, and each later step, in
/// order (`steps[0]` goes from layout 1 to 2).
pub struct Layout {
    /// Whose storage this is, for the error an operator reads.
    pub object: &'static str,
    pub base: &'static [&'static str],
    pub steps: &'static [&'static str],
}

impl Layout {
    /// The layout this code writes.
    pub fn current(&self) -> u32 {
        1 + self.steps.len() as u32
    }

    /// What opening storage of layout `stored` (`None`: no version recorded) does.
    pub fn plan(&self, stored: Option<u32>) -> Result<Plan, TooNew> {
        let current = self.current();
        // 0: no layout yet (a version row is never written with it).
        let from = stored.unwrap_or(0);
        if from > current {
            return Err(TooNew {
                object: self.object,
                stored: from,
                current,
            });
        }
        Ok(Plan {
            base: from == 0,
            steps: (from.max(1) as usize - 1)..self.steps.len(),
            write: (from != current).then_some(current),
        })
    }
}

/// Opening's work, in this order: layout 1's statements (`base`), the steps of
/// `Layout::steps` in `steps`, then the version to record (`None`: it is current).
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub base: bool,
    pub steps: Range<usize>,
    pub write: Option<u32>,
}

/// Storage written by a newer Baton than this one.
#[derive(Debug, PartialEq, Eq)]
pub struct TooNew {
    pub object: &'static str,
    pub stored: u32,
    pub current: u32,
}

impl fmt::Display for TooNew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} storage has layout {}, written by a newer Baton; this one reads layouts up to {}: \
             run the newer version again, or restore a backup made before the upgrade",
            self.object, self.stored, self.current
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: Layout = Layout {
        object: "conversation",
        base: &["CREATE TABLE IF NOT EXISTS t (a)"],
        steps: &[],
    };
    const THREE: Layout = Layout {
        object: "workspace",
        base: &["CREATE TABLE IF NOT EXISTS t (a)"],
        steps: &["ALTER TABLE t ADD COLUMN b", "ALTER TABLE t ADD COLUMN c"],
    };

    #[test]
    fn the_current_layout_counts_layout_one_and_each_step() {
        assert_eq!(ONE.current(), 1);
        assert_eq!(THREE.current(), 3);
    }

    #[test]
    fn storage_without_a_version_gets_layout_one_then_every_step_then_its_version() {
        let plan = |l: &Layout| l.plan(None).unwrap();
        assert_eq!(
            plan(&ONE),
            Plan {
                base: true,
                steps: 0..0,
                write: Some(1)
            }
        );
        assert_eq!(
            plan(&THREE),
            Plan {
                base: true,
                steps: 0..2,
                write: Some(3)
            }
        );
    }

    #[test]
    fn storage_of_the_current_layout_is_left_as_it_is() {
        for (layout, current) in [(&ONE, 1), (&THREE, 3)] {
            let plan = layout.plan(Some(current)).unwrap();
            assert!(
                !plan.base && plan.steps.is_empty() && plan.write.is_none(),
                "{plan:?}"
            );
        }
    }

    #[test]
    fn an_older_layout_takes_the_steps_after_it_only() {
        assert_eq!(
            THREE.plan(Some(1)).unwrap(),
            Plan {
                base: false,
                steps: 0..2,
                write: Some(3)
            }
        );
        assert_eq!(
            THREE.plan(Some(2)).unwrap(),
            Plan {
                base: false,
                steps: 1..2,
                write: Some(3)
            }
        );
    }

    #[test]
    fn a_layout_newer_than_the_code_is_refused_and_says_what_to_do() {
        let err = ONE.plan(Some(2)).unwrap_err();
        assert_eq!(
            err,
            TooNew {
                object: "conversation",
                stored: 2,
                current: 1
            }
        );
        let text = err.to_string();
        assert!(text.contains("layout 2"), "{text}");
        assert!(text.contains("up to 1"), "{text}");
        assert!(text.contains("newer Baton"), "{text}");
        assert!(THREE.plan(Some(4)).is_err());
    }
}
