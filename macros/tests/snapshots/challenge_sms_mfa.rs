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
impl ::cognito_typestate::__private::Prompt for SmsMfa {
    type Input = ::cognito_typestate::__private::Pending<Self>;
    type Answer = <Self as ::cognito_typestate::__private::Challenge>::Response;
}
#[automatically_derived]
impl<
    __H: ::cognito_typestate::__private::Handle<SmsMfa>,
> ::cognito_typestate::__private::Drive<__H> for SmsMfa {
    type Then = <Self as ::cognito_typestate::__private::Challenge>::Next;
    fn drive(
        __pending: ::cognito_typestate::__private::Pending<Self>,
        __handler: &mut __H,
    ) -> ::cognito_typestate::__private::BoxFuture<
        '_,
        ::cognito_typestate::__private::Result<
            Self::Then,
            ::cognito_typestate::__private::SignInError<__H::Error>,
        >,
    > {
        ::cognito_typestate::__private::respond_with_handler(__pending, __handler)
    }
}
