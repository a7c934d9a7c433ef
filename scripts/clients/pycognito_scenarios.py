"""Sign-in scenarios driven by pycognito (SRP) through boto3, against any
Cognito-compatible server. Provisions its own pool, client and users with boto3 admin
calls, runs every scenario, and prints one JSON line per scenario:
{"client": "pycognito", "server": ..., "scenario": ..., "expected": ..., "got": ...}.

The expectation is what Amazon Cognito answers. With --strict the script exits 1 when
any scenario differs (used for the project's emulator); otherwise the differences are
only reported (moto and ministack are lenient in documented places, ORACLES.md).

Usage: pycognito_scenarios.py --server NAME --endpoint URL [--clock URL] [--outbox URL] [--code CODE]
       [--strict]"""
import argparse
import base64
import json
import sys
import urllib.request

import boto3
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, SoftwareTokenMFAChallengeException

from totp import totp

PASSWORD = "Corr3ct-horse!"
NEW_PASSWORD = "N3w-and-secret!"


def error_code(call):
    """The error code a call fails with, or 'tokens' / the challenge name it answers."""
    try:
        answer = call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    if "AuthenticationResult" in answer:
        return "tokens"
    return answer.get("ChallengeName", "nothing")


class Server:
    def __init__(self, endpoint, clock, outbox=None):
        self.kwargs = {
            # pycognito builds the JWKS URL as `{endpoint}/{pool}/...`: no trailing slash.
            "endpoint_url": endpoint.rstrip("/"),
            "region_name": "us-east-1",
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test-secret",
        }
        self.idp = boto3.client("cognito-idp", **self.kwargs)
        self.clock = clock
        self.outbox = outbox
        self.pool = self.idp.create_user_pool(PoolName="pycognito-scenarios")["UserPool"]["Id"]
        self.client = self.idp.create_user_pool_client(
            UserPoolId=self.pool,
            ClientName="pycognito",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        self.serial = 0

    def user(self, permanent=True):
        self.serial += 1
        name = f"user{self.serial}"
        self.idp.admin_create_user(
            UserPoolId=self.pool,
            Username=name,
            TemporaryPassword="Temp0rary-pass!",
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
        if permanent:
            self.idp.admin_set_user_password(UserPoolId=self.pool, Username=name, Password=PASSWORD, Permanent=True)
        return name

    def srp(self, username, password=PASSWORD):
        return AWSSRP(username=username, password=password, pool_id=self.pool, client_id=self.client, client=self.idp)

    def verifier_answer(self, username, tamper=None, password=PASSWORD):
        """USER_SRP_AUTH, then pycognito's PASSWORD_VERIFIER answer, optionally tampered."""
        aws = self.srp(username, password)
        params = aws.get_auth_params()
        challenge = self.idp.initiate_auth(AuthFlow="USER_SRP_AUTH", AuthParameters=params, ClientId=self.client)
        responses = aws.process_challenge(challenge["ChallengeParameters"], params)
        if tamper:
            tamper(responses)
        extra = {"Session": challenge["Session"]} if "Session" in challenge else {}
        return lambda: self.idp.respond_to_auth_challenge(
            ClientId=self.client, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses, **extra
        )


def flip(signature):
    raw = bytearray(base64.b64decode(signature))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def scenarios(server):
    def srp_sign_in():
        return error_code(lambda: server.srp(server.user()).authenticate_user())

    def wrong_password():
        return error_code(lambda: server.srp(server.user(), "Wr0ng-password!").authenticate_user())

    def new_password_required():
        name = server.user(permanent=False)
        first = error_code(lambda: server.srp(name, "Temp0rary-pass!").set_new_password_challenge(NEW_PASSWORD))
        then = error_code(lambda: server.srp(name, NEW_PASSWORD).authenticate_user())
        return f"{first}, then {then}"

    def totp_mfa():
        name = server.user()
        tokens = server.srp(name).authenticate_user()["AuthenticationResult"]
        secret = server.idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
        server.idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=totp(secret))
        server.idp.set_user_mfa_preference(
            AccessToken=tokens["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )
        server.idp.set_user_pool_mfa_config(
            UserPoolId=server.pool, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
        )
        try:
            server.srp(name).authenticate_user()
            return "tokens without MFA"
        except SoftwareTokenMFAChallengeException as e:
            session = e.get_tokens()["Session"]
        finally:
            server.idp.set_user_pool_mfa_config(UserPoolId=server.pool, MfaConfiguration="OFF")
        wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
        respond = lambda code: lambda: server.idp.respond_to_auth_challenge(  # noqa: E731
            ClientId=server.client,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=session,
            ChallengeResponses={"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE": code},
        )
        return f"{error_code(respond(wrong))}, then {error_code(respond(totp(secret)))}"

    def tampered_signature():
        def tamper(responses):
            responses["PASSWORD_CLAIM_SIGNATURE"] = flip(responses["PASSWORD_CLAIM_SIGNATURE"])

        return error_code(server.verifier_answer(server.user(), tamper))

    def zero_padded_day():
        # Correctly signed, but over "Mar 05": Cognito signs its own "Mar 5".
        original = AWSSRP.__dict__["get_cognito_formatted_timestamp"]
        AWSSRP.get_cognito_formatted_timestamp = staticmethod(lambda _: "Tue Mar 05 07:08:09 UTC 2024")
        try:
            return error_code(server.verifier_answer(server.user()))
        finally:
            AWSSRP.get_cognito_formatted_timestamp = original

    def new_password_session(name):
        answer = server.verifier_answer(name, password="Temp0rary-pass!")()
        return lambda: server.idp.respond_to_auth_challenge(
            ClientId=server.client,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=answer["Session"],
            ChallengeResponses={"USERNAME": name, "NEW_PASSWORD": NEW_PASSWORD},
        )

    def reused_session():
        respond = new_password_session(server.user(permanent=False))
        first = error_code(respond)
        return f"{first}, then {error_code(respond)}"

    def stale_session():
        if not server.clock:
            return "n/a: no clock control"
        respond = new_password_session(server.user(permanent=False))
        request = urllib.request.Request(
            server.clock, data=json.dumps({"advanceSeconds": 181}).encode(), method="POST"
        )
        urllib.request.urlopen(request, timeout=5).read()
        return error_code(respond)

    def outbox_code(name):
        """The newest code the emulator sent `name`; a server's fixed code (cognito-local's
        `CODE`) without an outbox; None without either."""
        if not server.outbox:
            return server.code
        url = f"{server.outbox}?poolId={server.pool}&username={name}"
        messages = json.load(urllib.request.urlopen(url, timeout=5))
        return messages[-1]["code"] if messages else None

    def cognito(name):
        user = Cognito(server.pool, server.client, username=name, boto3_client_kwargs=server.kwargs)
        user.set_base_attributes(email=f"{name}@example.com")
        return user

    def outcome(call, done):
        """`done` when `call` returns, else the error code it raises."""
        try:
            call()
        except ClientError as e:
            return e.response["Error"]["Code"]
        return done

    def sign_up_wrong_code_then_confirm():
        server.serial += 1
        name = f"signup{server.serial}"
        user = cognito(name)
        user.register(name, PASSWORD)
        wrong = outcome(lambda: user.confirm_sign_up("000000", username=name), "confirmed")
        code = outbox_code(name)
        if code is None:
            return f"{wrong}; n/a: no outbox for the right code"
        right = outcome(lambda: user.confirm_sign_up(code, username=name), "confirmed")
        return f"{wrong}, then {right}, then {error_code(lambda: server.srp(name).authenticate_user())}"

    def forgot_password():
        name = server.user()
        user = cognito(name)
        user.initiate_forgot_password()
        wrong = outcome(lambda: user.confirm_forgot_password("000000", NEW_PASSWORD), "reset")
        code = outbox_code(name)
        if code is None:
            return f"{wrong}; n/a: no outbox for the right code"
        right = outcome(lambda: user.confirm_forgot_password(code, NEW_PASSWORD), "reset")
        return f"{wrong}, then {right}, then {error_code(lambda: server.srp(name, NEW_PASSWORD).authenticate_user())}"

    def change_password():
        name = server.user()
        user = cognito(name)
        user.authenticate(password=PASSWORD)
        changed = outcome(lambda: user.change_password(PASSWORD, NEW_PASSWORD), "changed")
        return f"{changed}, then {error_code(lambda: server.srp(name, NEW_PASSWORD).authenticate_user())}"

    def global_sign_out():
        name = server.user()
        user = cognito(name)
        user.authenticate(password=PASSWORD)
        refresh = user.refresh_token
        user.logout()
        return error_code(lambda: server.idp.initiate_auth(
            ClientId=server.client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh}))

    return [
        ("srp_sign_in", "tokens", srp_sign_in),
        ("wrong_password", "NotAuthorizedException", wrong_password),
        ("new_password_required", "tokens, then tokens", new_password_required),
        ("totp_mfa", "CodeMismatchException, then tokens", totp_mfa),
        ("tampered_signature", "NotAuthorizedException", tampered_signature),
        ("zero_padded_day", "NotAuthorizedException", zero_padded_day),
        ("reused_session", "tokens, then NotAuthorizedException", reused_session),
        ("stale_session", "NotAuthorizedException", stale_session),
        ("sign_up_wrong_code_then_confirm", "CodeMismatchException, then confirmed, then tokens",
         sign_up_wrong_code_then_confirm),
        ("forgot_password", "CodeMismatchException, then reset, then tokens", forgot_password),
        ("change_password", "changed, then tokens", change_password),
        ("global_sign_out", "NotAuthorizedException", global_sign_out),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--clock")
    parser.add_argument("--outbox")
    parser.add_argument("--code", help="the code a server without an outbox always sends")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    server = Server(args.endpoint, args.clock, args.outbox)
    server.code = args.code
    failed = 0
    for name, expected, run in scenarios(server):
        try:
            got = run()
        except Exception as e:  # a crash is a result too: report it
            got = f"error: {type(e).__name__}: {e}"[:200]
        failed += got != expected
        print(json.dumps({"client": "pycognito", "server": args.server, "scenario": name, "expected": expected, "got": got}))
    if args.strict and failed:
        print(f"{failed} scenario(s) differ from Cognito on {args.server}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
