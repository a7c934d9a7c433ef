//! Where pending challenges wait between the requests of a web sign-in.
//!
//! A web app answers a challenge in a later request, perhaps on another instance: it
//! stores the [`Detached`](crate::Detached) state (or its own enum of them) between the
//! two, under a random key it gives the browser. [`PendingStore`] is that storage: a
//! `put` with an expiry, and a `take` that removes what it returns in one step, so that
//! of two requests with the same key only one gets the state. [`stash`] and [`unstash`]
//! add the rest: a fresh random key, and the JSON in and out.
//!
//! [`MemoryStore`] keeps them in the process (one instance, tests, the quickstart); a
//! shared store (Redis: `SET key value PX ttl` and `GETDEL key`; a database row deleted
//! with `DELETE ... RETURNING`) implements the trait in a few lines; the `resume` example
//! has one on Redis. What is stored holds a Cognito session: keep it on the server.
//!
//! ```
//! use std::time::Duration;
//! use cognito_typestate::store::{MemoryStore, stash, unstash};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let store = MemoryStore::new();
//! let key = stash(&store, &vec!["a", "waiting", "state"], Duration::from_secs(180)).await.unwrap();
//! let back: Option<Vec<String>> = unstash(&store, &key).await.unwrap();
//! assert_eq!(back.unwrap(), ["a", "waiting", "state"]);
//! // Taken: a second request with the same key finds nothing.
//! assert!(unstash::<_, Vec<String>>(&store, &key).await.unwrap().is_none());
//! # }
//! ```

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::secret::Secret;
use crate::srp::hex_bytes;

/// A store of pending sign-in states by key, shared by the instances of a web app.
pub trait PendingStore: Send + Sync {
    /// Why the store failed (a lost connection, ...).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Keeps `value` under `key` until `ttl` has passed, replacing what was there.
    fn put(
        &self,
        key: &str,
        value: Secret,
        ttl: Duration,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Removes what is under `key` and returns it, in one step: of two concurrent takes
    /// of one key, at most one gets the value. `None` when there is nothing, or it
    /// expired.
    fn take(&self, key: &str) -> impl Future<Output = Result<Option<Secret>, Self::Error>> + Send;
}

/// Why [`stash`] or [`unstash`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StashError<E> {
    /// The store failed.
    #[error("the pending-state store failed: {0}")]
    Store(#[source] E),
    /// The state could not be written as JSON.
    #[error("the pending state could not be stored: {0}")]
    Write(#[source] serde_json::Error),
    /// What was stored is not a state of the type asked for (another app's, an older
    /// version's, or edited).
    #[error("the stored pending state is unreadable: {0}")]
    Read(#[source] serde_json::Error),
    /// The system's random source failed, so no key could be made.
    #[error("no random key: {0}")]
    Random(getrandom::Error),
}

/// Stores `state` as JSON under a fresh random key (128 bits, hex) for `ttl`, and returns
/// the key: the only handle to it, to give the browser (in an `HttpOnly` cookie).
pub async fn stash<S: PendingStore, T: Serialize>(
    store: &S,
    state: &T,
    ttl: Duration,
) -> Result<String, StashError<S::Error>> {
    let json = serde_json::to_string(state).map_err(StashError::Write)?;
    let key = random_key().map_err(StashError::Random)?;
    store
        .put(&key, Secret::new(json), ttl)
        .await
        .map_err(StashError::Store)?;
    Ok(key)
}

/// Takes the state stored under `key` out of the store and reads it as a `T`; `None`
/// when there is none (never stored, expired, or already taken).
pub async fn unstash<S: PendingStore, T: DeserializeOwned>(
    store: &S,
    key: &str,
) -> Result<Option<T>, StashError<S::Error>> {
    let Some(json) = store.take(key).await.map_err(StashError::Store)? else {
        return Ok(None);
    };
    serde_json::from_str(json.expose())
        .map(Some)
        .map_err(StashError::Read)
}

/// A fresh random key: 128 bits from the system's random source, as 32 hex digits. What
/// [`stash`] keys states by; for other server-side state a browser names by cookie too.
pub fn random_key() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(hex_bytes(&bytes))
}

/// A [`PendingStore`] in this process's memory: for one instance, tests and examples.
/// Expired states are dropped when met, and swept on every `put`.
#[derive(Default)]
pub struct MemoryStore {
    states: Mutex<HashMap<String, (Secret, Instant)>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many unexpired states it holds.
    pub fn len(&self) -> usize {
        let now = Instant::now();
        self.lock()
            .values()
            .filter(|(_, until)| *until > now)
            .count()
    }

    /// Whether it holds no unexpired state.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Secret, Instant)>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.states
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("states", &self.len())
            .finish()
    }
}

/// The longest a [`MemoryStore`] keeps a state, whatever the `ttl` asked.
const LONGEST: Duration = Duration::from_secs(366 * 86_400);

impl PendingStore for MemoryStore {
    type Error = Infallible;

    async fn put(&self, key: &str, value: Secret, ttl: Duration) -> Result<(), Infallible> {
        let now = Instant::now();
        let until = now + ttl.min(LONGEST);
        let mut states = self.lock();
        states.retain(|_, (_, expires)| *expires > now);
        states.insert(key.to_owned(), (value, until));
        Ok(())
    }

    async fn take(&self, key: &str) -> Result<Option<Secret>, Infallible> {
        let taken = self.lock().remove(key);
        Ok(taken.and_then(|(value, until)| (until > Instant::now()).then_some(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_state_is_taken_once() {
        block_on(async {
            let store = MemoryStore::new();
            let key = stash(&store, &42u32, Duration::from_secs(60))
                .await
                .unwrap();
            assert_eq!(key.len(), 32);
            assert_eq!(store.len(), 1);
            assert_eq!(unstash::<_, u32>(&store, &key).await.unwrap(), Some(42));
            assert_eq!(unstash::<_, u32>(&store, &key).await.unwrap(), None);
            assert!(store.is_empty());
        });
    }

    #[test]
    fn an_expired_state_is_gone_and_swept() {
        block_on(async {
            let store = MemoryStore::new();
            let old = stash(&store, &1u8, Duration::ZERO).await.unwrap();
            assert!(store.is_empty());
            assert_eq!(unstash::<_, u8>(&store, &old).await.unwrap(), None);
            let _ = stash(&store, &2u8, Duration::ZERO).await.unwrap();
            let _ = stash(&store, &3u8, Duration::from_secs(60)).await.unwrap();
            assert_eq!(store.lock().len(), 1, "expired entries are swept on put");
        });
    }

    #[test]
    fn keys_differ_and_a_state_of_another_type_is_unreadable() {
        block_on(async {
            let store = MemoryStore::new();
            let a = stash(&store, &"text", Duration::from_secs(60))
                .await
                .unwrap();
            let b = stash(&store, &"text", Duration::from_secs(60))
                .await
                .unwrap();
            assert_ne!(a, b);
            let read = unstash::<_, u64>(&store, &a).await;
            assert!(matches!(read, Err(StashError::Read(_))), "{read:?}");
        });
    }

    #[test]
    fn huge_ttls_do_not_overflow_and_debug_shows_no_state() {
        block_on(async {
            let store = MemoryStore::new();
            store
                .put("k", Secret::new("session-secret"), Duration::MAX)
                .await
                .unwrap();
            assert!(!format!("{store:?}").contains("session-secret"));
            assert_eq!(
                store.take("k").await.unwrap().unwrap().expose(),
                "session-secret"
            );
        });
    }
}
