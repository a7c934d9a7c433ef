#[automatically_derived]
impl ::cognito_typestate::__private::Challenge for SmsMfa {
    const NAME: &'static str = "SMS_MFA";
    type Response = SmsMfaCode;
    type Next = AfterMfa;
    fn from_parameters(
        __parameters: &::cognito_typestate::__private::Parameters<'_>,
    ) -> ::cognito_typestate::__private::Result<
        Self,
        ::cognito_typestate::__private::ParameterError,
    > {
        ::cognito_typestate::__private::Result::Ok(Self {
            destination: ::cognito_typestate::__private::optional(
                __parameters,
                "CODE_DELIVERY_DESTINATION",
                ::cognito_typestate::__private::decode_str::<String>,
            )?,
            medium: ::cognito_typestate::__private::optional(
                __parameters,
                "CODE_DELIVERY_DELIVERY_MEDIUM",
                ::cognito_typestate::__private::decode_str::<DeliveryMedium>,
            )?,
        })
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::AskHandler for SmsMfa {}
