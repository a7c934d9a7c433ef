::core::compile_error! {
    "`json` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; a response value is written as it is, so remove it here"
}
#[automatically_derived]
impl ::cognito_typestate::__private::ChallengeResponse for Answer {
    fn write(&self, _: &mut ::cognito_typestate::__private::ResponseMap) {}
}
#[automatically_derived]
impl ::cognito_typestate::__private::Debug for Answer {
    fn fmt(
        &self,
        __f: &mut ::cognito_typestate::__private::Formatter<'_>,
    ) -> ::cognito_typestate::__private::FmtResult {
        __f.debug_struct("Answer").finish_non_exhaustive()
    }
}
