//! Expansion snapshots: each derive's output, pretty-printed, compared with a file
//! under `tests/snapshots/`. After an intended change, regenerate them with
//! `UPDATE_EXPECT=1 cargo test -p cognito-typestate-macros` and review the diff.

use expect_test::{ExpectFile, expect_file};
use proc_macro2::TokenStream;
use quote::quote;

/// Expands `input` with `derive` and compares the pretty-printed items with `expected`.
fn check(derive: fn(&syn::DeriveInput) -> TokenStream, input: TokenStream, expected: &ExpectFile) {
    let input = syn::parse2(input).expect("the test input is an item");
    let output = derive(&input);
    let file = syn::parse2(output).expect("the expansion is a list of items");
    expected.assert_eq(&prettyplease::unparse(&file));
}

// Copied from `core/src/challenges/mod.rs`.
#[test]
fn sms_mfa() {
    check(
        crate::challenge::expand,
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
        crate::response::expand,
        quote! {
            /// Answers [`SmsMfa`] with the code from the text message.
            pub struct SmsMfaCode {
                #[param("SMS_MFA_CODE", secret)]
                code: Secret,
            }
        },
        &expect_file!["../tests/snapshots/response_sms_mfa_code.rs"],
    );
}

#[test]
fn new_password() {
    check(
        crate::response::expand,
        quote! {
            pub struct NewPassword {
                #[param("NEW_PASSWORD", secret)]
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
        crate::outcome::expand,
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
        crate::outcome::expand,
        quote! {
            enum AfterCustom<C: Challenge> {
                Authenticated(Tokens),
                Custom(Pending<C>),
            }
        },
        &expect_file!["../tests/snapshots/outcome_generic.rs"],
    );
}
