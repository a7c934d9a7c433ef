//! The engine behind [`drive`](super::drive): the compile-time walk over the graph of
//! challenges ([`Reach`]) and the runtime table of typed entries it fills.
//!
//! `#[derive(Outcome)]` implements [`Reach`] and [`Erase`]; `#[derive(Challenge)]`
//! opts into [`AskHandler`], whose [`Drive`] is [`respond_with_handler`].

use std::fmt;

use super::{AskHandler, Drive, Handle, Handler, SignInError};
use crate::challenge::fallback::Invalid;
use crate::challenge::{Challenge, Erased, OutcomeVariant};
use crate::error::{Error, ProtocolError};
use crate::pending::Pending;
use crate::retry::Rejected;
use crate::tokens::Tokens;
use crate::transport::BoxFuture;

/// How many steps from the start [`Reach`] follows the graph: far more than the longest
/// chain of distinct challenges in any flow, and small enough to check quickly.
pub type MaxDepth = Depth<32>;

/// A type-level step budget. The graph of challenges has cycles (`CUSTOM_CHALLENGE`
/// after `CUSTOM_CHALLENGE`) and trait resolution rejects cyclic proofs, so [`Reach`]
/// counts down instead of remembering where it has been.
#[derive(Debug)]
pub struct Depth<const N: usize>;

/// A budget with at least one step left.
pub trait Lower {
    /// Steps left, for the runtime table.
    const LEFT: usize;
    /// The budget after one more step.
    type Next;
}

macro_rules! lower {
    ($($n:literal => $m:literal),* $(,)?) => {$(
        impl Lower for Depth<$n> {
            const LEFT: usize = $n;
            type Next = Depth<$m>;
        }
    )*};
}

lower!(
    1 => 0, 2 => 1, 3 => 2, 4 => 3, 5 => 4, 6 => 5, 7 => 6, 8 => 7, 9 => 8, 10 => 9,
    11 => 10, 12 => 11, 13 => 12, 14 => 13, 15 => 14, 16 => 15, 17 => 16, 18 => 17,
    19 => 18, 20 => 19, 21 => 20, 22 => 21, 23 => 22, 24 => 23, 25 => 24, 26 => 25,
    27 => 26, 28 => 27, 29 => 28, 30 => 29, 31 => 30, 32 => 31,
);

/// "Every challenge reachable from `Self` within budget `D` has a handler in `H`", and
/// the registration of those handlers in a [`Table`]. `#[derive(Outcome)]` implements
/// it with one bound per variant.
pub trait Reach<H: Handler, D>: Erase {
    /// Adds the typed entry of every challenge reachable within `D`.
    fn register(table: &mut Table<H>);
}

/// [`Reach`] for one variant's content: `Tokens` needs nothing; `Pending<C>` needs
/// `C: Drive<H>` and what follows `C` within one step less.
pub trait ReachVariant<H: Handler, D> {
    /// Adds the typed entry of every challenge reachable within `D`.
    fn register(table: &mut Table<H>);
}

impl<H: Handler, D> ReachVariant<H, D> for Tokens {
    fn register(_: &mut Table<H>) {}
}

impl<H: Handler, C: Challenge> ReachVariant<H, Depth<0>> for Pending<C> {
    fn register(_: &mut Table<H>) {}
}

impl<H, C, D> ReachVariant<H, D> for Pending<C>
where
    H: Handler,
    C: Drive<H>,
    D: Lower,
    C::Then: Reach<H, D::Next>,
{
    fn register(table: &mut Table<H>) {
        if table.insert::<C>(D::LEFT) {
            <C::Then as Reach<H, D::Next>>::register(table);
        }
    }
}

impl<H: Handler, D> Reach<H, D> for Tokens {
    fn register(_: &mut Table<H>) {}
}

impl<H: Handler, C: Challenge, D> Reach<H, D> for Pending<C>
where
    Self: ReachVariant<H, D>,
{
    fn register(table: &mut Table<H>) {
        <Self as ReachVariant<H, D>>::register(table);
    }
}

/// Registers one variant's content (what the derive calls per variant).
pub fn register_variant<T: ReachVariant<H, D>, H: Handler, D>(table: &mut Table<H>) {
    T::register(table);
}

/// Turns a state into an [`Erased`] one. `#[derive(Outcome)]` implements it by
/// matching its variants.
pub trait Erase {
    /// The erased state.
    fn erase(self) -> Erased;
}

impl Erase for Tokens {
    fn erase(self) -> Erased {
        self.__erase()
    }
}

impl<C: Challenge> Erase for Pending<C> {
    fn erase(self) -> Erased {
        self.__erase()
    }
}

impl Erase for Invalid {
    fn erase(self) -> Erased {
        match self {}
    }
}

impl<H: Handler, D> Reach<H, D> for Invalid {
    fn register(_: &mut Table<H>) {}
}

/// Answers one erased `Pending<C>` with the handler and erases what follows.
type Entry<H> = for<'a> fn(
    Box<dyn ::core::any::Any + Send>,
    &'a mut H,
) -> BoxFuture<'a, Result<Erased, SignInError<<H as Handler>::Error>>>;

/// The typed entry of each challenge a sign-in can reach, by the `TypeId` of its
/// `Pending<C>`.
pub struct Table<H: Handler> {
    /// `TypeId` of `Pending<C>`, `C::NAME`, the most budget `C` was seen with, the entry.
    entries: Vec<(::core::any::TypeId, &'static str, usize, Entry<H>)>,
}

impl<H: Handler> Table<H> {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Adds `C` seen with `left` steps of budget; `true` when `C`'s successors must be
    /// (re)visited because it was not seen before with at least as much budget left.
    pub(crate) fn insert<C>(&mut self, left: usize) -> bool
    where
        C: Drive<H>,
        C::Then: Erase,
    {
        let id = ::core::any::TypeId::of::<Pending<C>>();
        match self.entries.iter_mut().find(|(t, ..)| *t == id) {
            Some((_, _, seen, _)) if *seen >= left => false,
            Some((_, _, seen, _)) => {
                *seen = left;
                true
            }
            None => {
                self.entries.push((id, C::NAME, left, run::<H, C>));
                true
            }
        }
    }

    /// The entry for a boxed `Pending<C>`.
    pub(crate) fn entry(&self, pending: &(dyn ::core::any::Any + Send)) -> Option<Entry<H>> {
        let id = pending.type_id();
        self.entries
            .iter()
            .find(|(t, ..)| *t == id)
            .map(|(.., entry)| *entry)
    }

    /// The wire names of the challenges with an entry, in the order they were found.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(_, name, ..)| *name)
    }
}

impl<H: Handler> fmt::Debug for Table<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl<H: Handler> Default for Table<H> {
    fn default() -> Self {
        Self::new()
    }
}

fn run<H, C>(
    pending: Box<dyn ::core::any::Any + Send>,
    handler: &mut H,
) -> BoxFuture<'_, Result<Erased, SignInError<H::Error>>>
where
    H: Handler,
    C: Drive<H>,
    C::Then: Erase,
{
    Box::pin(async move {
        let pending = pending
            .downcast::<Pending<C>>()
            .map_err(|_| Error::Internal("a handler entry was given another challenge"))?;
        let next = C::drive(*pending, handler).await?;
        Ok(next.erase())
    })
}

/// The [`Drive`] of an [`AskHandler`] challenge: ask the handler, send its answer; after
/// a refusal that keeps the challenge open, ask again (the handler sees
/// `Pending::rejection` and `Pending::attempt`).
pub(crate) fn respond_with_handler<C: AskHandler, H: Handle<C>>(
    pending: Pending<C>,
    handler: &mut H,
) -> BoxFuture<'_, Result<C::Next, SignInError<H::Error>>> {
    Box::pin(async move {
        let mut pending = pending;
        for _ in 0..super::MAX_STEPS {
            let answer = super::ask(handler, &pending).await?;
            match pending.respond(answer).await {
                Ok(next) => return Ok(next),
                Err(Rejected::Retry { pending: again, .. }) => pending = again,
                Err(Rejected::Failed(e)) => return Err(e.into()),
            }
        }
        Err(Error::from(ProtocolError::StepBudget {
            steps: super::MAX_STEPS,
        })
        .into())
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::challenges::*;
    use crate::flows::{CustomAuth, Flow, UserAuth, UserAuthSrp, UserPasswordAuth, UserSrpAuth};
    use crate::graph::{FlowGraph, TOKENS};
    use crate::handler::{HandledBy, Prompt, SoftwareTokenSetup};

    /// A handler for every built-in prompt, answering none.
    struct Everything;

    impl Handler for Everything {
        type Error = ();
    }

    macro_rules! refuse {
        ($($prompt:ty),*) => {$(
            impl Handle<$prompt> for Everything {
                async fn answer(
                    &mut self,
                    _: &<$prompt as Prompt>::Input,
                ) -> Result<<$prompt as Prompt>::Answer, ()> {
                    Err(())
                }
            }
        )*};
    }

    refuse!(
        NewPasswordRequired,
        SmsMfa,
        SoftwareTokenMfa,
        EmailOtp,
        SmsOtp,
        SelectMfaType,
        MfaSetup,
        SoftwareTokenSetup,
        Password,
        PasswordSrp,
        SelectChallenge,
        WebAuthn,
        CustomChallenge
    );

    fn registered<F: Flow>() -> BTreeSet<&'static str>
    where
        F::Outcome: HandledBy<Everything>,
    {
        let mut table = Table::new();
        <F::Outcome as HandledBy<Everything>>::__register(&mut table);
        table.names().collect()
    }

    fn drawn<F: Flow>() -> BTreeSet<String> {
        FlowGraph::of_flow::<F>()
            .edges()
            .map(|(_, to)| to.to_owned())
            .filter(|to| to != TOKENS)
            .collect()
    }

    /// The driver's entries cover exactly the graph the diagrams draw, but for the
    /// device verifier, which the library answers inside `DEVICE_SRP_AUTH`.
    #[test]
    fn registered_entries_are_the_drawn_graph() {
        fn check<F: Flow>()
        where
            F::Outcome: HandledBy<Everything>,
        {
            let mut expected = drawn::<F>();
            expected.remove("DEVICE_PASSWORD_VERIFIER");
            let registered: BTreeSet<String> =
                registered::<F>().into_iter().map(str::to_owned).collect();
            assert_eq!(registered, expected, "{}", F::AUTH_FLOW);
        }
        check::<UserSrpAuth>();
        check::<UserPasswordAuth>();
        check::<UserAuthSrp>();
        check::<UserAuth>();
        check::<CustomAuth>();
    }

    #[test]
    fn a_challenge_seen_again_with_more_budget_is_walked_again() {
        let mut table = Table::<Everything>::new();
        assert!(table.insert::<SmsMfa>(3));
        assert!(!table.insert::<SmsMfa>(2));
        assert!(!table.insert::<SmsMfa>(3));
        assert!(table.insert::<SmsMfa>(5));
        assert!(table.insert::<EmailOtp>(1));
        assert_eq!(table.names().collect::<Vec<_>>(), ["SMS_MFA", "EMAIL_OTP"]);
    }
}
