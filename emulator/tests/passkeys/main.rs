//! Passkeys over HTTP against the emulator, with a software authenticator: registration,
//! listing and deletion, and `WEB_AUTHN` sign-in.

mod management;
mod sign_in;
mod support;
