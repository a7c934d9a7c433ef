//! The state graph of a sign-in, as the types define it: which challenge may follow
//! which. Rendered as Mermaid or Graphviz DOT.
//!
//! The graph comes from the same tables the derives generate for dispatch
//! ([`Outcome::VARIANTS`]), so it is the graph the compiler enforces, and an
//! application's own outcome enums get it too.
//!
//! ```
//! use cognito_typestate::flows::UserSrpAuth;
//! use cognito_typestate::graph::FlowGraph;
//!
//! let graph = FlowGraph::of_flow::<UserSrpAuth>();
//! assert!(graph.has_edge("USER_SRP_AUTH", "SOFTWARE_TOKEN_MFA"));
//! assert!(graph.has_edge("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"));
//! assert!(graph.mermaid().starts_with("stateDiagram-v2"));
//! assert!(graph.dot().starts_with("digraph"));
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::challenge::{Accepts, Outcome, Variant};
use crate::challenges::FirstFactorOutcome;
use crate::flows::Flow;
use crate::retry::can_retry;

/// The name of the end node: the sign-in returned tokens.
pub const TOKENS: &str = "Tokens";

/// The states a sign-in can pass through and the steps between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowGraph {
    start: String,
    /// `(from, to)` by name: the start, a challenge's wire name, or [`TOKENS`].
    edges: BTreeSet<(String, String)>,
}

impl FlowGraph {
    /// The graph of a built-in flow, starting at its `AuthFlow` name.
    pub fn of_flow<F: Flow>() -> Self {
        Self::of_outcome::<F::Outcome>(F::AUTH_FLOW)
    }

    /// The graph reachable from an outcome enum (any `#[derive(Outcome)]`, yours
    /// included), starting at a node called `start`.
    pub fn of_outcome<O: Outcome>(start: &str) -> Self {
        let mut graph = Self {
            start: start.to_owned(),
            edges: BTreeSet::new(),
        };
        let mut visited = BTreeSet::new();
        graph.walk(start, O::VARIANTS, &mut visited);
        graph
    }

    fn walk(&mut self, from: &str, variants: &'static [Variant], visited: &mut BTreeSet<String>) {
        for variant in variants {
            let to = match variant.accepts {
                Accepts::Tokens => TOKENS,
                Accepts::Challenge(name) => name,
            };
            self.edges.insert((from.to_owned(), to.to_owned()));
            if to != TOKENS && can_retry(to) {
                // A refused answer the user may correct: the same challenge again.
                self.edges.insert((to.to_owned(), to.to_owned()));
            }
            if to != TOKENS && visited.insert(to.to_owned()) {
                self.walk(to, (variant.next)(), visited);
            }
        }
    }

    /// The start node's name.
    pub fn start(&self) -> &str {
        &self.start
    }

    /// The edges, sorted.
    pub fn edges(&self) -> impl Iterator<Item = (&str, &str)> {
        self.edges.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// Whether `to` may directly follow `from`.
    pub fn has_edge(&self, from: &str, to: &str) -> bool {
        self.edges.contains(&(from.to_owned(), to.to_owned()))
    }

    /// A Mermaid state diagram (`stateDiagram-v2`).
    pub fn mermaid(&self) -> String {
        // Mermaid state ids are words: a start named with spaces gets an id and a label.
        let id = |name: &str| -> String {
            if name == TOKENS {
                return "[*]".to_owned();
            }
            name.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        };
        let mut out = String::from("stateDiagram-v2\n");
        if id(&self.start) != self.start {
            let _ = writeln!(out, "    state \"{}\" as {}", self.start, id(&self.start));
        }
        let _ = writeln!(out, "    [*] --> {}", id(&self.start));
        for (from, to) in self.edges() {
            let label = match to {
                TOKENS => " : tokens",
                _ if from == to => " : refused, answer again",
                _ => "",
            };
            let _ = writeln!(out, "    {} --> {}{label}", id(from), id(to));
        }
        out
    }

    /// A Graphviz DOT digraph.
    pub fn dot(&self) -> String {
        let mut out = String::from(
            "digraph sign_in {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n",
        );
        let _ = writeln!(out, "    \"{}\" [shape=oval];", self.start);
        let _ = writeln!(out, "    \"{TOKENS}\" [shape=doublecircle];");
        for (from, to) in self.edges() {
            let label = if from == to {
                " [label=\"refused, answer again\"]"
            } else {
                ""
            };
            let _ = writeln!(out, "    \"{from}\" -> \"{to}\"{label};");
        }
        out.push_str("}\n");
        out
    }
}

/// The account's life as one Mermaid diagram: sign-up and its confirmation, the auto
/// sign-in (the `USER_AUTH` states, read from the outcome types), what a signed-in user
/// does, and a password reset; the account's own states are named by their types.
///
/// ```
/// let mermaid = cognito_typestate::graph::lifecycle();
/// assert!(mermaid.contains("PendingConfirmation --> ConfirmedAccount : confirm"));
/// assert!(mermaid.contains("[*] --> SignUp : SignUp#58;#58;new"));
/// assert!(mermaid.contains("USER_AUTH --> EMAIL_OTP"));
/// ```
pub fn lifecycle() -> String {
    // In this picture the tokens are a state the user goes on from, not the end.
    let node = |name: &str| -> String {
        if name == TOKENS {
            "Tokens".to_owned()
        } else {
            name.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '[' || c == '*' || c == ']' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        }
    };
    let mut out = String::from("stateDiagram-v2\n");
    for (from, to, call) in crate::account::moves() {
        // A `:` ends a Mermaid label (`Client::sign_up` would not parse): `#58;` is one.
        let call = call.replace(':', "#58;");
        let _ = writeln!(out, "    {} --> {} : {call}", node(from), node(to));
    }
    let sign_in = FlowGraph::of_outcome::<FirstFactorOutcome>("USER_AUTH");
    for (from, to) in sign_in.edges() {
        let label = if from == to {
            " : refused, answer again"
        } else {
            ""
        };
        let _ = writeln!(out, "    {} --> {}{label}", node(from), node(to));
    }
    out
}

/// Every built-in flow's graph, with a file stem for it (`user_srp_auth`, ...): what
/// the `diagrams` example writes and the flows' rustdoc shows.
pub fn built_in_flows() -> Vec<(&'static str, FlowGraph)> {
    use crate::challenges::AfterCustomChallenge;
    use crate::flows::{
        CustomAuth, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserAuthSrp,
        UserPasswordAuth, UserSrpAuth,
    };
    vec![
        ("user_srp_auth", FlowGraph::of_flow::<UserSrpAuth>()),
        (
            "user_password_auth",
            FlowGraph::of_flow::<UserPasswordAuth>(),
        ),
        (
            "custom_auth",
            FlowGraph::of_flow::<CustomAuth<AfterCustomChallenge>>(),
        ),
        ("user_auth", FlowGraph::of_flow::<UserAuth>()),
        ("user_auth_srp", FlowGraph::of_flow::<UserAuthSrp>()),
        (
            "refresh_token_auth",
            FlowGraph::of_flow::<RefreshTokenAuth>(),
        ),
        (
            "tokens_from_refresh_token",
            FlowGraph::of_flow::<TokensFromRefreshToken>(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::{AfterCustomChallenge, AfterMfa};
    use crate::flows::{CustomAuth, UserAuth, UserPasswordAuth, UserSrpAuth};

    #[test]
    fn the_graph_follows_the_outcome_tables() {
        let graph = FlowGraph::of_flow::<UserSrpAuth>();
        for (from, to) in [
            ("USER_SRP_AUTH", TOKENS),
            ("USER_SRP_AUTH", "NEW_PASSWORD_REQUIRED"),
            ("NEW_PASSWORD_REQUIRED", "MFA_SETUP"),
            ("MFA_SETUP", "EMAIL_OTP"),
            ("SELECT_MFA_TYPE", "SMS_MFA"),
            ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"),
            ("DEVICE_PASSWORD_VERIFIER", TOKENS),
        ] {
            assert!(graph.has_edge(from, to), "{from} -> {to} missing");
        }
        // What the types forbid is not drawn.
        assert!(!graph.has_edge("SMS_MFA", "NEW_PASSWORD_REQUIRED"));
        assert!(!graph.has_edge("USER_SRP_AUTH", "CUSTOM_CHALLENGE"));
        assert!(!graph.edges().any(|(from, _)| from == TOKENS));
    }

    #[test]
    fn flows_start_at_their_own_name() {
        assert_eq!(
            FlowGraph::of_flow::<UserPasswordAuth>().start(),
            "USER_PASSWORD_AUTH"
        );
        let custom = FlowGraph::of_flow::<CustomAuth<AfterCustomChallenge>>();
        assert!(custom.has_edge("CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"));
        let user_auth = FlowGraph::of_flow::<UserAuth>();
        assert!(user_auth.has_edge("SELECT_CHALLENGE", "EMAIL_OTP"));
        let tail = FlowGraph::of_outcome::<AfterMfa>("after MFA");
        assert_eq!(
            tail.edges().collect::<Vec<_>>(),
            [
                ("DEVICE_PASSWORD_VERIFIER", TOKENS),
                ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"),
                ("after MFA", "DEVICE_SRP_AUTH"),
                ("after MFA", TOKENS),
            ]
        );
    }

    /// The diagrams in the flows' rustdoc (`core/docs/flows/*.mmd`) are the graphs the
    /// types define; regenerate them with
    /// `cargo run -p examples --example diagrams -- core/docs/flows`.
    #[test]
    fn documented_diagrams_match_the_types() {
        let documented = [
            (
                "user_srp_auth",
                include_str!("../docs/flows/user_srp_auth.mmd"),
            ),
            (
                "user_password_auth",
                include_str!("../docs/flows/user_password_auth.mmd"),
            ),
            ("custom_auth", include_str!("../docs/flows/custom_auth.mmd")),
            ("user_auth", include_str!("../docs/flows/user_auth.mmd")),
            (
                "user_auth_srp",
                include_str!("../docs/flows/user_auth_srp.mmd"),
            ),
            (
                "refresh_token_auth",
                include_str!("../docs/flows/refresh_token_auth.mmd"),
            ),
            (
                "tokens_from_refresh_token",
                include_str!("../docs/flows/tokens_from_refresh_token.mmd"),
            ),
        ];
        let built_in = built_in_flows();
        assert_eq!(built_in.len(), documented.len());
        for ((stem, graph), (doc_stem, doc)) in built_in.iter().zip(documented) {
            assert_eq!(*stem, doc_stem);
            assert_eq!(graph.mermaid(), doc, "core/docs/flows/{stem}.mmd is stale");
        }
        assert_eq!(
            lifecycle(),
            include_str!("../docs/flows/lifecycle.mmd"),
            "core/docs/flows/lifecycle.mmd is stale"
        );
    }

    #[test]
    fn renderings_have_every_edge() {
        let graph = FlowGraph::of_outcome::<AfterMfa>("after MFA");
        let mermaid = graph.mermaid();
        assert!(mermaid.contains("    state \"after MFA\" as after_MFA\n    [*] --> after_MFA\n"));
        assert!(mermaid.contains("    DEVICE_SRP_AUTH --> DEVICE_PASSWORD_VERIFIER\n"));
        assert!(mermaid.contains("    DEVICE_PASSWORD_VERIFIER --> [*] : tokens\n"));
        let dot = graph.dot();
        assert!(dot.contains("    \"DEVICE_SRP_AUTH\" -> \"DEVICE_PASSWORD_VERIFIER\";\n"));
        assert!(dot.contains("    \"after MFA\" -> \"Tokens\";\n"));
        assert!(dot.trim_end().ends_with('}'));
        assert_eq!(dot.matches("->").count(), graph.edges().count());
    }
}
