#!/usr/bin/env python3
"""Derive NewPay v2 known-answer vectors outside refundkit's Go code.

NewPay's v2 pages keep v1's signing rule and publish no example signature,
so the vectors are derived: this script writes the canonical strings with
its own implementation of the v1 rule (members except sign, nulls left out,
sorted by name in byte order, name=value joined with "&", strings
unescaped, numbers as written) plus refundkit's two readings of the open
question, objects (json: compact sorted JSON text; flatten: parent.child
parameters), and signs them with `openssl dgst -sha256 -sign`
(RSASSA-PKCS1-v1_5, deterministic) using the throwaway keys in
sign/testdata. Before writing anything it re-derives the v1 request vector
of sign/testdata/vectors.json and stops unless it matches byte for byte,
which shows the script's reading of the v1 rule is the one those vectors
(computed independently with Python's cryptography package) encode.

Run from the repository root:  python3 scripts/newpay2-vectors.py
It rewrites sign/testdata/newpay2-vectors.json.
"""
import base64
import json
import subprocess
import sys

KEYS = "sign/testdata/"


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)  # str, or a number kept as its text by parse_float/int


def token(v):
    """A scalar as a compact JSON token (the inputs here need no escapes)."""
    return json.dumps(v, ensure_ascii=False, separators=(",", ":")) if not isinstance(v, Raw) else str(v)


class Raw(str):
    """A number kept as the exact text it was written with."""


def canonical(obj, nested):
    pairs = []
    for name, v in obj.items():
        if name == "sign" or v is None:
            continue
        if isinstance(v, dict):
            kids = sorted((k, x) for k, x in v.items() if x is not None)
            if nested == "flatten":
                pairs += [(name + "." + k, scalar(x)) for k, x in kids]
            else:
                pairs.append((name, "{" + ",".join(json.dumps(k) + ":" + token(x) for k, x in kids) + "}"))
        else:
            pairs.append((name, scalar(v)))
    pairs.sort(key=lambda p: p[0].encode())
    return "&".join(n + "=" + v for n, v in pairs)


def load(text):
    return json.loads(text, parse_int=Raw, parse_float=Raw)


def openssl_sign(key, msg):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEYS + key],
                         input=msg.encode(), capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()


def main():
    v1 = json.load(open(KEYS + "vectors.json"))["newpay"]
    got = canonical(load(json.dumps(v1["request_params"])), "json")
    if got != v1["request_canonical"] or openssl_sign("merchant-private.pem", got) != v1["request_sign_merchant_key"]:
        sys.exit("the v1 request vector does not reproduce: this script's reading of the rule is wrong")

    request = ('{"appId":"3514d69403bc4ce1a8fafb6415a31018","mchId":"876266cdc7154dd08a022fd1f2eace55",'
               '"mchRefundNo":"ORDERNORFD000000000A104"}')
    data = ('{"newpayRefundNo":"202209078000000702","mchRefundNo":"ORDERNORFD000000000A104",'
            '"newpayOrderNo":"202209076000000321","refundAmt":{"value":"50000","currency":"LAK"},'
            '"orderAmt":{"value":"100000","currency":"LAK"},"refundStatus":"SUCCESS"}')
    req_canonical = canonical(load(request), "json")
    out = {
        "note": "derived by scripts/newpay2-vectors.py; see its docstring",
        "request_body": request,
        "request_canonical": req_canonical,
        "request_sign_merchant_key": openssl_sign("merchant-private.pem", req_canonical),
        "response_data_unsigned": data,
    }
    for nested in ("json", "flatten"):
        c = canonical(load(data), nested)
        out["response_canonical_" + nested] = c
        out["response_sign_platform_key_" + nested] = openssl_sign("platform-private.pem", c)
    with open(KEYS + "newpay2-vectors.json", "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


main()
