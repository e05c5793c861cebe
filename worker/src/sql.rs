//! The objects' SQLite storage, every statement counted for the benchmark
//! ([`crate::bench`]).

use crate::bench::{self, Counter};
use worker::{SqlCursor, SqlStorage, SqlStorageValue};

pub struct Sql {
    inner: SqlStorage,
    counter: Counter,
}

impl Sql {
    pub fn conversation(inner: SqlStorage) -> Self {
        Sql {
            inner,
            counter: Counter::ConversationSql,
        }
    }

    pub fn workspace(inner: SqlStorage) -> Self {
        Sql {
            inner,
            counter: Counter::WorkspaceSql,
        }
    }

    pub fn exec(
        &self,
        query: &str,
        bindings: impl Into<Option<Vec<SqlStorageValue>>>,
    ) -> worker::Result<SqlCursor> {
        bench::count(self.counter);
        self.inner.exec(query, bindings)
    }
}
