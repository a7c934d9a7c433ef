#[automatically_derived]
impl ::cognito_typestate::__private::ChallengeResponse for SmsMfaCode {
    fn write(&self, __out: &mut ::cognito_typestate::__private::ResponseMap) {
        ::cognito_typestate::__private::write_param(__out, "SMS_MFA_CODE", &self.code);
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::Debug for SmsMfaCode {
    fn fmt(
        &self,
        __f: &mut ::cognito_typestate::__private::Formatter<'_>,
    ) -> ::cognito_typestate::__private::FmtResult {
        __f.debug_struct("SmsMfaCode")
            .field("code", &::cognito_typestate::__private::Redacted)
            .finish()
    }
}
