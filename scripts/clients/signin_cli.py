"""End-to-end tests of the `signin` example CLI against a Cognito-compatible server.

Provisions what each scenario needs with boto3 admin calls (on ministack: the fixture
of provision-ministack.py), runs the CLI binary as a user or a script would, and checks
what it promises: exit status 0 with exactly one JSON object with the tokens on stdout
(`--json`), or a non-zero status with a one-line error on stderr; prompts answered on
standard input.

Every scenario must pass: the script prints one line per scenario and exits 1 if any
failed.

Usage: signin_cli.py --server emulator|moto|ministack --endpoint URL --cli PATH
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request

import boto3

from totp import totp

PASSWORD = "Corr3ct-horse!"
TEMPORARY = "Temp0rary-pass!"
NEW_PASSWORD = "N3w-and-secret!"
TOKEN_KEYS = ["AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Run:
    """One CLI run: its exit status, stdout and stderr."""

    def __init__(self, status, stdout, stderr):
        self.status, self.stdout, self.stderr = status, stdout, stderr

    def tokens(self):
        check(self.status == 0, f"exit {self.status}, stderr: {self.stderr.strip()[-300:]}")
        lines = self.stdout.splitlines()
        check(len(lines) == 1, f"stdout is not one line: {self.stdout!r}")
        tokens = json.loads(lines[0])
        check(isinstance(tokens, dict), "stdout is not a JSON object")
        check(sorted(tokens) == sorted(TOKEN_KEYS), f"keys {sorted(tokens)}")
        check(tokens["TokenType"] == "Bearer", f"TokenType {tokens['TokenType']!r}")
        check(isinstance(tokens["ExpiresIn"], int) and tokens["ExpiresIn"] > 0, "ExpiresIn")
        check(tokens["AccessToken"].count(".") == 2, "AccessToken is not a JWT")
        return tokens

    def error(self, status, contains):
        check(self.status == status, f"exit {self.status}, expected {status}; stderr: {self.stderr.strip()[-300:]}")
        check(self.stdout == "", f"stdout not empty: {self.stdout!r}")
        last = self.stderr.rstrip("\n").split("\n")[-1]
        check(last.startswith("signin: error: "), f"last stderr line: {last!r}")
        check(contains in last, f"{contains!r} not in {last!r}")
        return last


class Cli:
    def __init__(self, path, endpoint):
        self.path, self.endpoint = path, endpoint

    def args(self, pool, client, username, *extra, secret=None):
        args = [self.path, "--endpoint", self.endpoint, "--region", "us-east-1",
                "--user-pool-id", pool, "--client-id", client, "--username", username, "--json", *extra]
        if secret:
            args += ["--client-secret", secret]
        return args

    def run(self, args, stdin=""):
        done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60)
        return Run(done.returncode, done.stdout, done.stderr)

    def converse(self, args, stdin_first, replies):
        """Runs with `stdin_first` written up front; when a stderr line contains a key of
        `replies`, writes `replies[key](line)` and a newline."""
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, bufsize=1)
        # A CLI waiting for input nobody sends would hang the run: kill it after a minute.
        watchdog = threading.Timer(60, process.kill)
        watchdog.daemon = True
        watchdog.start()
        try:
            process.stdin.write(stdin_first)
            process.stdin.flush()
            seen = []
            pending = dict(replies)
            while pending:
                line = process.stderr.readline()
                if not line:
                    break
                seen.append(line)
                for key in [k for k in pending if k in line]:
                    process.stdin.write(pending.pop(key)(line.rstrip("\n")) + "\n")
                    process.stdin.flush()
            # Not communicate(): it would skip what readline() has buffered already.
            process.stdin.close()
            rest = process.stderr.read()
            stdout = process.stdout.read()
            process.wait()
            return Run(process.returncode, stdout, "".join(seen) + rest)
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()


class Pool:
    """A pool with one app client, provisioned with boto3 admin calls."""

    def __init__(self, endpoint, name, mfa=None, user_auth=False):
        self.idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test-secret")
        self.id = self.idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
        if mfa:
            self.idp.set_user_pool_mfa_config(UserPoolId=self.id, MfaConfiguration=mfa,
                                              SoftwareTokenMfaConfiguration={"Enabled": True})
        self.client = self.idp.create_user_pool_client(
            UserPoolId=self.id, ClientName="signin",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
            + (["ALLOW_USER_AUTH"] if user_auth else []),
        )["UserPoolClient"]["ClientId"]
        self.serial = 0

    @classmethod
    def configured(cls, endpoint, pool_id, client_id):
        """A pool the server was started with (scripts/clients/emulator-pools.json)."""
        pool = cls.__new__(cls)
        pool.idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                                aws_access_key_id="test", aws_secret_access_key="test-secret")
        pool.id, pool.client, pool.serial = pool_id, client_id, 0
        return pool

    def user(self, permanent=True, email=True):
        self.serial += 1
        name = f"cli{self.serial}"
        attributes = [{"Name": "email", "Value": f"{name}@example.com"}] if email else []
        self.idp.admin_create_user(UserPoolId=self.id, Username=name, TemporaryPassword=TEMPORARY,
                                   MessageAction="SUPPRESS", UserAttributes=attributes)
        if permanent:
            self.idp.admin_set_user_password(UserPoolId=self.id, Username=name, Password=PASSWORD, Permanent=True)
        return name

    def totp_user(self):
        """A user with an authenticator app set up and preferred; returns (name, secret)."""
        name = self.user()
        access = self.idp.initiate_auth(
            ClientId=self.client, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]
        secret = self.idp.associate_software_token(AccessToken=access)["SecretCode"]
        self.idp.verify_software_token(AccessToken=access, UserCode=totp(secret))
        self.idp.set_user_mfa_preference(
            AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        return name, secret


def emulator_scenarios(cli, endpoint):
    plain = Pool(endpoint, "signin-plain", user_auth=True)
    optional = Pool(endpoint, "signin-totp", mfa="OPTIONAL")
    required = Pool(endpoint, "signin-setup", mfa="ON")

    def srp():
        cli.run(cli.args(plain.id, plain.client, plain.user(), "--password", PASSWORD)).tokens()

    def spans_with_verbose():
        run = cli.run(cli.args(plain.id, plain.client, plain.user(), "--password", PASSWORD, "-vv"))
        tokens = run.tokens()
        for shown in ('cognito.sign_in', 'flow="USER_SRP_AUTH"', 'challenge="PASSWORD_VERIFIER"',
                      'operation="RespondToAuthChallenge"', 'attempt=1', 'outcome="tokens"'):
            check(shown in run.stderr, f"{shown} not in stderr: {run.stderr[-600:]!r}")
        check("\x1b[" not in run.stderr, "colours in stderr, which is not a terminal")
        for secret in (PASSWORD, tokens["AccessToken"], tokens["IdToken"], tokens["RefreshToken"]):
            check(secret not in run.stderr, "a secret in the spans")
        quiet = cli.run(cli.args(plain.id, plain.client, plain.user(), "--password", PASSWORD))
        quiet.tokens()
        check("cognito." not in quiet.stderr, "spans shown without -v")

    def password_prompted_on_stdin():
        run = cli.run(cli.args(plain.id, plain.client, plain.user(), "--flow", "password"), stdin=PASSWORD + "\n")
        run.tokens()
        check("password: " in run.stderr, "no password prompt")

    def wrong_password():
        cli.run(cli.args(plain.id, plain.client, plain.user(), "--password", "Wr0ng-password!")).error(
            1, "NotAuthorizedException")

    def input_ends():
        cli.run(cli.args(plain.id, plain.client, plain.user())).error(3, "no password given")

    def new_password_confirmed_on_stdin():
        name = plain.user(permanent=False)
        # A mismatched confirmation is asked again.
        stdin = f"{NEW_PASSWORD}\nsomething-else\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
        run = cli.run(cli.args(plain.id, plain.client, name, "--password", TEMPORARY), stdin=stdin)
        run.tokens()
        check("the two passwords differ" in run.stderr, "the mismatch was not reported")
        cli.run(cli.args(plain.id, plain.client, name, "--password", NEW_PASSWORD)).tokens()

    def totp_from_secret():
        name, secret = optional.totp_user()
        cli.run(cli.args(optional.id, optional.client, name, "--password", PASSWORD,
                         "--totp-secret", secret)).tokens()

    def totp_set_up_with_qr_code():
        name = required.user(permanent=False)
        run = cli.converse(
            cli.args(required.id, required.client, name, "--password", TEMPORARY, "--new-password", NEW_PASSWORD),
            "SOFTWARE_TOKEN_MFA\n",
            {"secret: ": lambda line: totp(line.split("secret: ", 1)[1])},
        )
        run.tokens()
        check("otpauth://totp/" in run.stderr, f"no otpauth URI in {run.stderr!r}")
        check("\u2580" in run.stderr or "\u2584" in run.stderr, "no QR code drawn")

    def email_code_for_user_auth():
        name = plain.user()
        outbox = f"{endpoint}_emulator/outbox?poolId={plain.id}&username={name}"

        def code(_line):
            messages = json.load(urllib.request.urlopen(outbox, timeout=5))
            check(messages, f"no code in the outbox for {name}")
            return messages[-1]["code"]

        run = cli.converse(cli.args(plain.id, plain.client, name, "--flow", "user-auth"), "EMAIL_OTP\n",
                           {"EMAIL_OTP: a code was e-mailed": code})
        run.tokens()
        check("SELECT_CHALLENGE" in run.stderr, "the factor choice was not shown")

    def mistyped_code_is_asked_again():
        name = plain.user()
        outbox = f"{endpoint}_emulator/outbox?poolId={plain.id}&username={name}"

        def code(_line):
            return json.load(urllib.request.urlopen(outbox, timeout=5))[-1]["code"]

        # `--code` is refused; the same challenge is asked again, on standard input.
        run = cli.converse(cli.args(plain.id, plain.client, name, "--flow", "user-auth", "--code", "not-it"),
                           "EMAIL_OTP\n", {"code refused": code})
        run.tokens()
        check("CodeMismatchException" in run.stderr or "Invalid code" in run.stderr,
              f"the refusal was not explained: {run.stderr!r}")
        check(len(json.load(urllib.request.urlopen(outbox, timeout=5))) == 1, "a second code was sent")

    def refused_new_password_is_asked_again():
        name = plain.user(permanent=False)
        run = cli.run(cli.args(plain.id, plain.client, name, "--password", TEMPORARY, "--new-password", "short"),
                      stdin=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
        run.tokens()
        check("new password refused" in run.stderr, f"the refusal was not shown: {run.stderr!r}")

    def outbox_code(pool, name):
        url = f"{endpoint}_emulator/outbox?poolId={pool.id}&username={name}"
        return lambda _line: json.load(urllib.request.urlopen(url, timeout=5))[-1]["code"]

    def sign_up_then_auto_sign_in():
        plain.serial += 1
        name = f"new{plain.serial}"
        args = cli.args(plain.id, plain.client, name, "--password", PASSWORD,
                        "--attribute", f"email={name}@example.com", "sign-up")
        run = cli.converse(args, "", {"confirm the sign-up": outbox_code(plain, name)})
        run.tokens()
        check("auto sign-in" in run.stderr or "sign-up's session" in run.stderr,
              f"no auto sign-in: {run.stderr!r}")

    def reset_password():
        name = plain.user()
        args = cli.args(plain.id, plain.client, name, "--new-password", NEW_PASSWORD, "reset-password")
        run = cli.converse(args, "", {"reset the password": outbox_code(plain, name)})
        check(run.status == 0, f"exit {run.status}: {run.stderr!r}")
        cli.run(cli.args(plain.id, plain.client, name, "--password", NEW_PASSWORD)).tokens()

    def sign_out_everywhere():
        name = plain.user()
        run = cli.run(cli.args(plain.id, plain.client, name, "--password", PASSWORD, "sign-out"))
        check(run.status == 0 and "signed out everywhere" in run.stderr, f"exit {run.status}: {run.stderr!r}")

    passkeys = Pool.configured(endpoint, "us-east-1_Passkeys", "passkeys")

    def passkey_register_sign_in_list_delete():
        name = passkeys.user()
        with tempfile.TemporaryDirectory() as folder:
            keys = os.path.join(folder, "passkeys.json")
            user = cli.args(passkeys.id, passkeys.client, name, "--passkey-file", keys)
            with_password = [*user, "--password", PASSWORD]
            run = cli.run([*with_password, "passkey", "register"])
            check(run.status == 0 and "registered, kept in" in run.stderr, f"exit {run.status}: {run.stderr!r}")
            check(os.stat(keys).st_mode & 0o777 == 0o600, "the passkey file is readable by others")
            signed = cli.run([*user, "--flow", "passkey"])
            signed.tokens()
            check("WEB_AUTHN: signing with a passkey" in signed.stderr, f"no passkey step: {signed.stderr!r}")
            # Without the file the passkey challenge cannot be answered: a clear refusal.
            cli.run(cli.args(passkeys.id, passkeys.client, name, "--flow", "passkey")).error(3, "--passkey-file")
            # Chosen in SELECT_CHALLENGE too.
            chosen = cli.run([*user, "--flow", "user-auth"], stdin="WEB_AUTHN\n")
            chosen.tokens()
            listed = cli.run([*with_password, "passkey", "list"])
            lines = listed.stdout.splitlines()
            check(listed.status == 0 and len(lines) == 1, f"listed {listed.stdout!r}, {listed.stderr!r}")
            credential_id = lines[0].split("\t")[0]
            deleted = cli.run([*with_password, "passkey", "delete", credential_id])
            check(deleted.status == 0 and "forgotten in" in deleted.stderr, f"exit {deleted.status}: {deleted.stderr!r}")
            check(json.load(open(keys))["passkeys"] == [], "the deleted passkey is still in the file")
            after = cli.run([*user, "--flow", "passkey"])
            check(after.status != 0, "signed in with a deleted passkey")

    return [srp, spans_with_verbose, password_prompted_on_stdin, wrong_password, input_ends, new_password_confirmed_on_stdin,
            totp_from_secret, totp_set_up_with_qr_code, email_code_for_user_auth, mistyped_code_is_asked_again,
            refused_new_password_is_asked_again, sign_up_then_auto_sign_in, reset_password, sign_out_everywhere,
            passkey_register_sign_in_list_delete]


def moto_scenarios(cli, endpoint):
    pool = Pool(endpoint, "signin-moto")

    def password():
        cli.run(cli.args(pool.id, pool.client, pool.user(), "--flow", "password", "--password", PASSWORD)).tokens()

    def new_password():
        name = pool.user(permanent=False)
        cli.run(cli.args(pool.id, pool.client, name, "--flow", "password", "--password", TEMPORARY,
                         "--new-password", NEW_PASSWORD)).tokens()
        cli.run(cli.args(pool.id, pool.client, name, "--flow", "password", "--password", NEW_PASSWORD)).tokens()

    def totp_from_secret():
        name, secret = pool.totp_user()
        pool.idp.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OPTIONAL",
                                          SoftwareTokenMfaConfiguration={"Enabled": True})
        try:
            run = cli.run(cli.args(pool.id, pool.client, name, "--flow", "password", "--password", PASSWORD,
                                   "--totp-secret", secret))
        finally:
            pool.idp.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OFF")
        run.tokens()
        check("SOFTWARE_TOKEN_MFA" in run.stderr, "moto did not ask for the TOTP code")

    def wrong_password():
        cli.run(cli.args(pool.id, pool.client, pool.user(), "--flow", "password",
                         "--password", "Wr0ng-password!")).error(1, "NotAuthorizedException")

    return [password, new_password, totp_from_secret, wrong_password]


def ministack_scenarios(cli, fixture):
    pool = fixture["user_pool_id"]
    name, password = next(iter(fixture["users"].items()))

    def srp_public_client():
        cli.run(cli.args(pool, fixture["public_client_id"], name, "--password", password)).tokens()

    def srp_client_with_secret():
        cli.run(cli.args(pool, fixture["confidential_client_id"], name, "--password", password,
                         secret=fixture["confidential_client_secret"])).tokens()

    return [srp_public_client, srp_client_with_secret]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, choices=["emulator", "moto", "ministack"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--cli", required=True)
    options = parser.parse_args()
    cli = Cli(os.path.abspath(options.cli), options.endpoint)
    if options.server == "emulator":
        scenarios = emulator_scenarios(cli, options.endpoint)
    elif options.server == "moto":
        scenarios = moto_scenarios(cli, options.endpoint)
    else:
        scenarios = ministack_scenarios(cli, json.loads(os.environ["MINISTACK_FIXTURE"]))
    failed = 0
    for scenario in scenarios:
        try:
            scenario()
            print(f"signin CLI on {options.server}: {scenario.__name__} ok")
        except Exception as e:  # noqa: BLE001 - any failure is this scenario's
            failed += 1
            print(f"signin CLI on {options.server}: {scenario.__name__} FAILED: {e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
