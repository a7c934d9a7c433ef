"""The authenticator app of the Python test clients and benchmarks."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret_b32: str) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as an authenticator app computes it now."""
    secret_b32 = secret_b32.upper()
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
