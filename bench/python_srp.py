"""Times pycognito's AWSSRP on the inputs srp-bench passes (argv[1], JSON): a full
PASSWORD_VERIFIER answer = AWSSRP(...) (computes A) + process_challenge. Prints
{"ms": median per answer, "key": HKDF key for the given a}."""
import json
import statistics
import sys
import time

from pycognito.aws_srp import AWSSRP

inputs = json.loads(sys.argv[1])
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 10
params = {
    "USER_ID_FOR_SRP": inputs["user_id"],
    "SALT": inputs["salt"],
    "SRP_B": inputs["srp_b"],
    "SECRET_BLOCK": inputs["secret_block"],
}


def start():
    return AWSSRP(inputs["user_id"], inputs["password"], inputs["pool_id"], "client", client=object())


check = start()
check.small_a_value = int(inputs["a"], 16)
check.large_a_value = check.calculate_a()
key = check.get_password_authentication_key(
    inputs["user_id"], inputs["password"], int(inputs["srp_b"], 16), inputs["salt"]
)

times = []
for _ in range(iterations + 1):
    began = time.perf_counter()
    start().process_challenge(params, {"USERNAME": inputs["user_id"]})
    times.append((time.perf_counter() - began) * 1000)
print(json.dumps({"ms": statistics.median(times[1:]), "key": bytes(key).hex()}))
