#[automatically_derived]
impl<
    __H: ::cognito_typestate::__private::Handler,
    __D,
> ::cognito_typestate::__private::Reach<__H, __D> for AfterPassword
where
    Tokens: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<NewPasswordRequired>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<SmsMfa>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<SoftwareTokenMfa>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<EmailOtp>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<SelectMfaType>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<MfaSetup>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<DeviceSrpAuth>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
{
    fn register(__table: &mut ::cognito_typestate::__private::Table<__H>) {
        ::cognito_typestate::__private::register_variant::<Tokens, __H, __D>(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<NewPasswordRequired>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<SmsMfa>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<SoftwareTokenMfa>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<EmailOtp>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<SelectMfaType>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<MfaSetup>,
            __H,
            __D,
        >(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<DeviceSrpAuth>,
            __H,
            __D,
        >(__table);
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::Erase for AfterPassword {
    fn erase(self) -> ::cognito_typestate::__private::Erased {
        match self {
            Self::Authenticated(__v) => {
                <Tokens as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::NewPasswordRequired(__v) => {
                <Pending<
                    NewPasswordRequired,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::SmsMfa(__v) => {
                <Pending<
                    SmsMfa,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::SoftwareTokenMfa(__v) => {
                <Pending<
                    SoftwareTokenMfa,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::EmailOtp(__v) => {
                <Pending<
                    EmailOtp,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::SelectMfaType(__v) => {
                <Pending<
                    SelectMfaType,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::MfaSetup(__v) => {
                <Pending<
                    MfaSetup,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::DeviceSrpAuth(__v) => {
                <Pending<
                    DeviceSrpAuth,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
        }
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Tokens {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword>
for Pending<NewPasswordRequired> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Pending<SmsMfa> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword>
for Pending<SoftwareTokenMfa> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Pending<EmailOtp> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Pending<SelectMfaType> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Pending<MfaSetup> {}
#[automatically_derived]
impl ::cognito_typestate::__private::StateOf<AfterPassword> for Pending<DeviceSrpAuth> {}
#[automatically_derived]
impl<
    __O: ::cognito_typestate::__private::Outcome,
> ::cognito_typestate::__private::Within<__O> for AfterPassword
where
    Tokens: ::cognito_typestate::__private::StateOf<__O>,
    Pending<NewPasswordRequired>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<SmsMfa>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<SoftwareTokenMfa>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<EmailOtp>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<SelectMfaType>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<MfaSetup>: ::cognito_typestate::__private::StateOf<__O>,
    Pending<DeviceSrpAuth>: ::cognito_typestate::__private::StateOf<__O>,
{}
#[automatically_derived]
impl ::cognito_typestate::__private::Outcome for AfterPassword {
    const VARIANTS: &'static [::cognito_typestate::__private::Variant] = &[
        ::cognito_typestate::__private::Variant {
            name: "Authenticated",
            accepts: <Tokens as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Tokens as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "NewPasswordRequired",
            accepts: <Pending<
                NewPasswordRequired,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                NewPasswordRequired,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "SmsMfa",
            accepts: <Pending<
                SmsMfa,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                SmsMfa,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "SoftwareTokenMfa",
            accepts: <Pending<
                SoftwareTokenMfa,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                SoftwareTokenMfa,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "EmailOtp",
            accepts: <Pending<
                EmailOtp,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                EmailOtp,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "SelectMfaType",
            accepts: <Pending<
                SelectMfaType,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                SelectMfaType,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "MfaSetup",
            accepts: <Pending<
                MfaSetup,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                MfaSetup,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "DeviceSrpAuth",
            accepts: <Pending<
                DeviceSrpAuth,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<
                DeviceSrpAuth,
            > as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
    ];
    fn from_step(
        __step: ::cognito_typestate::__private::Step,
    ) -> ::cognito_typestate::__private::Result<
        Self,
        ::cognito_typestate::__private::Error,
    > {
        match ::cognito_typestate::__private::select(
            &__step,
            <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
        )? {
            0usize => {
                <Tokens as ::cognito_typestate::__private::OutcomeVariant>::from_step(
                        __step,
                    )
                    .map(Self::Authenticated)
            }
            1usize => {
                <Pending<
                    NewPasswordRequired,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::NewPasswordRequired)
            }
            2usize => {
                <Pending<
                    SmsMfa,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::SmsMfa)
            }
            3usize => {
                <Pending<
                    SoftwareTokenMfa,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::SoftwareTokenMfa)
            }
            4usize => {
                <Pending<
                    EmailOtp,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::EmailOtp)
            }
            5usize => {
                <Pending<
                    SelectMfaType,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::SelectMfaType)
            }
            6usize => {
                <Pending<
                    MfaSetup,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::MfaSetup)
            }
            7usize => {
                <Pending<
                    DeviceSrpAuth,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::DeviceSrpAuth)
            }
            _ => {
                ::cognito_typestate::__private::Result::Err(
                    ::cognito_typestate::__private::no_variant(
                        <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
                    ),
                )
            }
        }
    }
}
const _: () = {
    match ::cognito_typestate::__private::first_duplicate(
        <AfterPassword as ::cognito_typestate::__private::Outcome>::VARIANTS,
    ) {
        1usize => {
            ::core::panic!(
                "`AfterPassword::NewPasswordRequired` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        2usize => {
            ::core::panic!(
                "`AfterPassword::SmsMfa` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        3usize => {
            ::core::panic!(
                "`AfterPassword::SoftwareTokenMfa` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        4usize => {
            ::core::panic!(
                "`AfterPassword::EmailOtp` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        5usize => {
            ::core::panic!(
                "`AfterPassword::SelectMfaType` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        6usize => {
            ::core::panic!(
                "`AfterPassword::MfaSetup` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        7usize => {
            ::core::panic!(
                "`AfterPassword::DeviceSrpAuth` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            )
        }
        _ => {}
    }
};
