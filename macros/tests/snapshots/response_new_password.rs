#[automatically_derived]
impl ::cognito_typestate::__private::ChallengeResponse for NewPassword {
    fn write(&self, __out: &mut ::cognito_typestate::__private::ResponseMap) {
        ::cognito_typestate::__private::write_param(
            __out,
            "NEW_PASSWORD",
            &self.password,
        );
        ::cognito_typestate::__private::write_prefixed(
            __out,
            "userAttributes.",
            &self.attributes,
        );
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::Debug for NewPassword {
    fn fmt(
        &self,
        __f: &mut ::cognito_typestate::__private::Formatter<'_>,
    ) -> ::cognito_typestate::__private::FmtResult {
        __f.debug_struct("NewPassword")
            .field("password", &::cognito_typestate::__private::Redacted)
            .field("attributes", &::cognito_typestate::__private::Redacted)
            .finish()
    }
}
