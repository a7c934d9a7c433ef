//! InitiateAuth's `AuthFlow`, parsed once; the wire names are written here only.

use std::str::FromStr;

use crate::error::ApiError;

/// A flow InitiateAuth runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFlow {
    UserSrp,
    UserPassword,
    Custom,
    User,
    RefreshToken,
}

impl AuthFlow {
    const ALL: [AuthFlow; 5] = [
        AuthFlow::UserSrp,
        AuthFlow::UserPassword,
        AuthFlow::Custom,
        AuthFlow::User,
        AuthFlow::RefreshToken,
    ];

    /// The canonical name, as app clients' `ExplicitAuthFlows` list it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
            AuthFlow::Custom => "CUSTOM_AUTH",
            AuthFlow::User => "USER_AUTH",
            AuthFlow::RefreshToken => "REFRESH_TOKEN_AUTH",
        }
    }
}

impl FromStr for AuthFlow {
    type Err = ApiError;

    /// Cognito's answers for the admin flows (valid names, wrong operation) and for
    /// names outside the enum.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "REFRESH_TOKEN" => Ok(AuthFlow::RefreshToken),
            "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
                "Initiate Auth method not supported.",
            )),
            other => AuthFlow::ALL
                .into_iter()
                .find(|flow| flow.as_str() == other)
                .ok_or_else(|| {
                    ApiError::invalid_parameter(format!(
                        "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
                    ))
                }),
        }
    }
}
