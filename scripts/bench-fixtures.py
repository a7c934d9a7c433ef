#!/usr/bin/env python3
"""What a test suite pays for its Cognito fixture, for each fixture in one run: the time
from starting the server until it answers a first request (median of 3 starts), its
memory then (resident set, the process and its children), one full sign-in and 100 in
a row through this crate's client (`fixture-signins`), with SRP where the server has it
(not cognito-local), with the password flow, and with the password flow followed by a
TOTP second factor (the user enrolled through AssociateSoftwareToken and
VerifySoftwareToken, as an application does). The emulator is measured in process
too (`fixture-signins --in-process`), and with the signing key published in its source
(`--published-key`) as well as with a key made at start. Everything listens on
127.0.0.1.

Run by scripts/bench-fixtures.sh (which installs the peers and builds the binaries):
    python scripts/bench-fixtures.py ROOT
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import boto3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "clients"))
from totp import totp  # noqa: E402  (after the path it is found on)

ROOT = sys.argv[1]
PASSWORD = "Corr3ct-horse!"
# An e-mail: cognito-local's pools take e-mail usernames by default.
USER = "alice@example.com"
SIGNINS = os.path.join(ROOT, "target/release/fixture-signins")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=1)
    except urllib.error.HTTPError:
        return True  # any HTTP answer: the server is up
    except OSError:
        return False
    return True


def rss_kib(pid: int) -> int:
    """Resident memory of `pid` and its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Server:
    """One start of one fixture: the process, its URL, when it answered."""

    def __init__(self, name, command, env=None, cwd=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = tempfile.TemporaryFile()
        argv = [a.replace("{port}", str(self.port)) for a in command]
        full_env = {**os.environ, **{k: v.replace("{port}", str(self.port)) for k, v in (env or {}).items()}}
        started = time.monotonic()
        self.process = subprocess.Popen(argv, env=full_env, cwd=cwd, stdout=self.log, stderr=self.log)
        while not answers(self.url):
            if self.process.poll() is not None or time.monotonic() - started > 60:
                self.log.seek(0)
                raise RuntimeError(f"{name} did not start: {self.log.read()[-2000:]!r}")
            time.sleep(0.002)
        self.ready_ms = (time.monotonic() - started) * 1000
        self.rss_kib = rss_kib(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def admin(url: str):
    """The server's Cognito API through boto3 (signed with dummy keys; ministack checks)."""
    return boto3.client(
        "cognito-idp", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test-secret",
    )


def provision(url: str) -> dict:
    """A pool, an app client and USER (permanent password), through the admin API."""
    idp = admin(url)
    pool = idp.create_user_pool(PoolName="fixture")["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="tests",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username=USER, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=USER, Password=PASSWORD, Permanent=True)
    return {"pool": pool, "client": client}


def enrol_totp(url: str, fixture: dict) -> None:
    """MFA optional in the pool, USER enrolled in TOTP and preferring it; the secret goes
    into `fixture`."""
    idp = admin(url)
    idp.set_user_pool_mfa_config(
        UserPoolId=fixture["pool"], MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    signed_in = idp.initiate_auth(
        ClientId=fixture["client"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USER, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=signed_in)["SecretCode"]
    idp.verify_software_token(AccessToken=signed_in, UserCode=totp(secret))
    idp.set_user_mfa_preference(
        AccessToken=signed_in, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    fixture["totp_secret"] = secret


def sign_ins(url: str, fixture: dict, flow: str) -> dict:
    argv = [SIGNINS, "--endpoint", url, "--pool", fixture["pool"], "--client", fixture["client"],
            "--user", USER, "--password", PASSWORD, "--flow", flow]
    if flow == "password-totp":
        enrol_totp(url, fixture)
        argv += ["--totp-secret", fixture["totp_secret"]]
    out = subprocess.run(argv, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> int:
    oracles = os.path.join(ROOT, ".oracles")
    cl_dir = tempfile.mkdtemp()
    emulator = os.path.join(ROOT, "target/release/cognito-typestate-emulator")
    every = ("srp", "password", "password-totp")
    fixtures = [
        ("emulator (binary, published key)", [emulator, "--port", "{port}", "--published-key"], {}, None, every),
        ("emulator (binary)", [emulator, "--port", "{port}"], {}, None, every),
        ("moto 5.2.5", [os.path.join(oracles, "moto/bin/moto_server"), "-H", "127.0.0.1", "-p", "{port}"], {}, None, every),
        ("cognito-local 5.3.0", ["node", os.path.join(oracles, "cognito-local/node_modules/cognito-local/lib/bin/start.js")],
         {"HOST": "127.0.0.1", "PORT": "{port}", "CODE": "123456"}, cl_dir, ("password", "password-totp")),
        ("ministack 1.5.33", [os.path.join(oracles, "ministack/bin/ministack")],
         {"BIND_HOST": "127.0.0.1", "GATEWAY_PORT": "{port}", "IOT_MTLS_ENABLED": "0", "SFTP_ENABLED": "0",
          "SERVICES": "cognito-idp,sts", "AUTH": "true", "AWS_ACCESS_KEY_ID": "test",
          "AWS_SECRET_ACCESS_KEY": "test-secret"}, None, every),
    ]
    # One row per fixture and flow: (name, ready, next ready, MiB, flow, first, 100).
    rows = []
    client_ms = []
    for name, extra in (("emulator (in process, published key)", ["--published-key"]), ("emulator (in process)", [])):
        for flow in every:
            # A process per flow: each first sign-in is the process's first.
            inproc = json.loads(subprocess.run([SIGNINS, "--in-process", "--flow", flow, *extra],
                                               check=True, capture_output=True, text=True).stdout)
            rows.append((name, inproc["start_ms"], inproc["next_start_ms"], None, flow,
                         inproc["first_ms"], inproc["hundred_ms"]))
            client_ms.append(inproc["client_ms"])
    for name, command, env, cwd, flows in fixtures:
        starts, memory = [], []
        for _ in range(3):
            server = Server(name, command, env, cwd)
            starts.append(server.ready_ms)
            memory.append(server.rss_kib)
            server.stop()
        for flow in flows:
            # A fresh server per flow: its first sign-in is the server's first.
            server = Server(name, command, env, cwd)
            try:
                timed = sign_ins(server.url, provision(server.url), flow)
            finally:
                server.stop()
            rows.append((name, statistics.median(starts), None, statistics.median(memory) / 1024, flow,
                         timed["first_ms"], timed["hundred_ms"]))

    # Ratios against the emulator binary with the published key (moto and cognito-local
    # ship a published key too), same flow.
    base = {row[4]: row for row in rows if row[0] == "emulator (binary, published key)"}
    print("| fixture | ready (ms) | memory (MiB) | sign-in | first (ms) | ready + first (ms) | 100 (ms) "
          "| ready, x | ready + first, x | 100, x |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, ready, next_ready, mib, flow, first, hundred in rows:
        b = base[flow]
        ready_text = f"{ready:.0f}" + (f" (next: {next_ready:.2f})" if next_ready is not None else "")
        mem = "-" if mib is None else f"{mib:.0f}"
        print(f"| {name} | {ready_text} | {mem} | {flow} | {first:.1f} | {ready + first:.0f} | {hundred:.0f} | "
              f"{ready / b[1]:.2f}x | {(ready + first) / (b[1] + b[5]):.2f}x | {hundred / b[6]:.2f}x |")
    print("\nx: the fixture's time over the emulator binary's with the published key, same sign-in.")
    print(f"Building the first `Client` of a process (before the sign-ins): {statistics.median(client_ms):.0f} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
