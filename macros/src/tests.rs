//! Expansion snapshots: each derive's output, pretty-printed, compared with a file
//! under `tests/snapshots/`. After an intended change, regenerate them with
//! `UPDATE_EXPECT=1 cargo test -p cognito-typestate-macros` and review the diff.

use expect_test::{ExpectFile, expect_file};
use proc_macro2::TokenStream;
use quote::quote;

type Derive = fn(&syn::DeriveInput) -> TokenStream;

fn expand(derive: Derive, input: TokenStream) -> syn::File {
    let input = syn::parse2(input).expect("the test input is an item");
    syn::parse2(derive(&input)).expect("the expansion is a list of items")
}

/// Expands `input` with `derive` and compares the pretty-printed items with `expected`.
fn check(derive: Derive, input: TokenStream, expected: &ExpectFile) {
    expected.assert_eq(&prettyplease::unparse(&expand(derive, input)));
}

/// The messages of the `compile_error!`s in the expansion of `input`.
fn errors(derive: Derive, input: TokenStream) -> Vec<String> {
    expand(derive, input)
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.segments.last()?.ident == "compile_error" => {
                Some(m.mac.parse_body::<syn::LitStr>().ok()?.value())
            }
            _ => None,
        })
        .collect()
}

// Copied from `core/src/challenges/mod.rs`.
#[test]
fn sms_mfa() {
    check(
        crate::expand::derive_challenge,
        quote! {
            /// `SMS_MFA`: a code was sent by text message as the second factor.
            #[challenge(name = "SMS_MFA", response = SmsMfaCode, next = AfterMfa)]
            pub struct SmsMfa {
                /// The masked phone number, e.g. `+*******1234`.
                #[param("CODE_DELIVERY_DESTINATION")]
                pub destination: Option<String>,
                /// `SMS`.
                #[param("CODE_DELIVERY_DELIVERY_MEDIUM")]
                pub medium: Option<DeliveryMedium>,
            }
        },
        &expect_file!["../tests/snapshots/challenge_sms_mfa.rs"],
    );
}

#[test]
fn sms_mfa_code() {
    check(
        crate::expand::derive_response,
        quote! {
            /// Answers [`SmsMfa`] with the code from the text message.
            pub struct SmsMfaCode {
                #[param("SMS_MFA_CODE")]
                code: Secret,
            }
        },
        &expect_file!["../tests/snapshots/response_sms_mfa_code.rs"],
    );
}

#[test]
fn new_password() {
    check(
        crate::expand::derive_response,
        quote! {
            pub struct NewPassword {
                #[param("NEW_PASSWORD")]
                password: Secret,
                #[param(prefix = "userAttributes.")]
                attributes: BTreeMap<String, String>,
            }
        },
        &expect_file!["../tests/snapshots/response_new_password.rs"],
    );
}

#[test]
fn after_password() {
    check(
        crate::expand::derive_outcome,
        quote! {
            /// After the password (or its SRP proof): tokens, or what the pool asks next.
            pub enum AfterPassword {
                /// Signed in.
                Authenticated(Tokens),
                /// A temporary password must be replaced.
                NewPasswordRequired(Pending<NewPasswordRequired>),
                /// SMS code.
                SmsMfa(Pending<SmsMfa>),
                /// Authenticator code.
                SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
                /// E-mail code.
                EmailOtp(Pending<EmailOtp>),
                /// Pick a second factor.
                SelectMfaType(Pending<SelectMfaType>),
                /// Set up a second factor.
                MfaSetup(Pending<MfaSetup>),
                /// Remembered device proof.
                DeviceSrpAuth(Pending<DeviceSrpAuth>),
            }
        },
        &expect_file!["../tests/snapshots/outcome_after_password.rs"],
    );
}

// As in `tests/tests/pass/generic-outcome.rs`: the duplicate check moves into `from_step`.
#[test]
fn generic_outcome() {
    check(
        crate::expand::derive_outcome,
        quote! {
            enum AfterCustom<C: Challenge> {
                Authenticated(Tokens),
                Custom(Pending<C>),
            }
        },
        &expect_file!["../tests/snapshots/outcome_generic.rs"],
    );
}

// Fallbacks: after an error, the impls are still there, with what could be read.

#[test]
fn challenge_fallback() {
    check(
        crate::expand::derive_challenge,
        quote! {
            #[challenge(name = "CUSTOM_CHALLENGE", response = Answer, next = AfterCustomChallenge, flow = "x")]
            struct Captcha {
                #[param("captchaUrl")]
                url: String,
            }
        },
        &expect_file!["../tests/snapshots/fallback_challenge.rs"],
    );
}

#[test]
fn response_fallback() {
    check(
        crate::expand::derive_response,
        quote! {
            struct Answer {
                #[param("ANSWER", json)]
                answer: String,
            }
        },
        &expect_file!["../tests/snapshots/fallback_response.rs"],
    );
}

#[test]
fn outcome_fallback() {
    check(
        crate::expand::derive_outcome,
        quote! {
            enum AfterLogin<C: Challenge> {
                Authenticated(Tokens),
                Nothing,
            }
        },
        &expect_file!["../tests/snapshots/fallback_outcome.rs"],
    );
}

// One mistake, one error: what each ui case locks in, checked here without a compile.

#[test]
fn a_typo_gets_a_suggestion_and_nothing_else() {
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(nmae = "SMS_MFA", response = A, next = B)]
                struct C {}
            }
        ),
        ["unknown challenge attribute `nmae`; did you mean `name`?"]
    );
    assert_eq!(
        errors(
            crate::expand::derive_response,
            quote! {
                struct A {
                    #[param(ANSWER = 1)]
                    answer: String,
                }
            }
        ),
        [
            "unknown param attribute `ANSWER`; expected the key in quotes, `\"ANSWER\"`, or one of `json`, `default`, `rest`, `available_challenges`, `public`, `prefix`"
        ]
    );
}

#[test]
fn options_after_a_mistake_are_still_read() {
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(flow = "x", name = "SMS_MFA", name = "SMS_MFA")]
                #[challenge(response = A, next = B, next = B)]
                struct C {}
            }
        ),
        [
            "unknown challenge attribute `flow`; expected one of `name`, `response`, `next`, `handler`, `crate`",
            "duplicate challenge attribute `name`; remove this one",
            "duplicate challenge attribute `next`; remove this one",
        ]
    );
    // A missing comma is one mistake: the option after it is still read.
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(name = "SMS_MFA" response = A, next = B)]
                struct C {}
            }
        ),
        ["expected `,` before the next option"]
    );
}

#[test]
fn a_bad_value_says_what_the_option_takes() {
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(name = SMS_MFA, response = "A", next, handler = auto, crate = x)]
                struct C {}
            }
        ),
        [
            "`name` takes a string literal, the service's ChallengeName: `name = \"SMS_MFA\"`",
            "`response` takes the type that answers the challenge, e.g. `response = SmsMfaCode`",
            "`next` takes the outcome type that follows the answer, e.g. `next = AfterMfa`",
            "`handler` takes `manual`: the derive then leaves `Prompt` and `Drive` (how the handler-driven sign-in answers this challenge) to you",
            "`crate` takes an absolute path such as `::cognito_typestate` or `crate::reexported`",
        ]
    );
    assert_eq!(
        errors(
            crate::expand::derive_response,
            quote! {
                #[response = "x"]
                struct A {
                    #[param("A", public = true)]
                    a: String,
                    #[param("B" public)]
                    b: String,
                }
            }
        ),
        [
            "`#[response]` takes a list: `#[response(...)]`",
            "`public` takes no value: write `public` alone",
            "expected `,` before the next option",
        ]
    );
}

#[test]
fn params_of_one_field_are_read_as_one_list() {
    assert_eq!(
        errors(
            crate::expand::derive_response,
            quote! {
                struct A {
                    #[param("CODE")]
                    #[param("OTHER", public)]
                    #[param(public)]
                    code: String,
                }
            }
        ),
        [
            "duplicate param key; remove this one",
            "duplicate param attribute `public`; remove this one",
        ]
    );
}

#[test]
fn an_option_of_the_other_derive_is_named_once() {
    assert_eq!(
        errors(
            crate::expand::derive_response,
            quote! {
                struct A {
                    #[param(rest)]
                    others: String,
                }
            }
        ),
        [
            "`rest` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; to write a map, use `#[param(prefix = \"...\")]`"
        ]
    );
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(name = "X", response = A, next = B)]
                struct C {
                    #[param(prefix = "extra.")]
                    extra: Map,
                }
            }
        ),
        [
            "`prefix` belongs on response map fields (`#[derive(ChallengeResponse)]`); to read the remaining parameters into a map, write `#[param(rest)]`"
        ]
    );
}

#[test]
fn stray_helper_attributes_are_reported() {
    assert_eq!(
        errors(
            crate::expand::derive_challenge,
            quote! {
                #[challenge(name = "X", response = A, next = B)]
                #[param("X")]
                struct C {
                    #[challenge(name = "Y")]
                    #[param("Y")]
                    y: String,
                }
            }
        ),
        [
            "`#[param]` goes on a field, not on the struct: move it onto the field whose key it names",
            "`#[challenge]` goes on the struct, not on a field: move it above `struct C`",
        ]
    );
}
