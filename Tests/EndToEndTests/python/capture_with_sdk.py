"""Drives the real PostHog Python SDK against `identikit serve`.

Usage: capture_with_sdk.py HOST API_KEY MODE PREFIX
  MODE is "batched" (background thread, small batches, gzip) or "sync" (sync_mode=True).

Sends, for distinct IDs starting with PREFIX:
  - anonymous events, then an identify ($identify with $anon_distinct_id and $set),
  - an alias, set, set_once (twice: the first value must stay), a group identify,
  - an identify whose anonymous ID is illegal ("null"): a warning, no merge,
  - a feature flag lookup (the server answers with no flags).
Prints one JSON line: {"events": N, "errors": [...], "flag": ...}; exits 1 on any SDK error.
"""
import json
import sys

from posthog import Posthog

host, api_key, mode, prefix = sys.argv[1:5]
errors = []


def on_error(error, batch):
    errors.append(f"{type(error).__name__}: {error} ({len(batch)} events)")


if mode == "sync":
    client = Posthog(api_key, host=host, sync_mode=True, on_error=on_error)
elif mode == "batched":
    client = Posthog(api_key, host=host, flush_at=3, flush_interval=0.2, gzip=True, on_error=on_error)
else:
    sys.exit(f"unknown mode {mode}")

anon = f"{prefix}-anon"
user = f"{prefix}-user"
sent = 0


def count(result):
    global sent
    if result is not None:
        sent += 1


# An anonymous visitor browses.
for page in ("/", "/pricing", "/signup"):
    count(client.capture("$pageview", distinct_id=anon, properties={"$current_url": page, "$browser": "Firefox"}))

# They sign up: identify merges the anonymous ID into the user.
count(client.capture("$identify", distinct_id=user,
                     properties={"$anon_distinct_id": anon, "$set": {"email": f"{prefix}@example.com", "plan": "free"}}))
count(client.capture("signed_up", distinct_id=user, properties={"$set_once": {"signup_source": "python"}}))

# The backend knows them by another ID: alias it to the user.
count(client.alias(previous_id=user, distinct_id=f"{prefix}-backend"))

# Properties: set overrides, set_once keeps the first value.
count(client.set(distinct_id=user, properties={"plan": "pro"}))
count(client.set_once(distinct_id=user, properties={"first_plan": "free"}))
count(client.set_once(distinct_id=user, properties={"first_plan": "enterprise"}))

# Group identify (events with the user as the actor).
count(client.group_identify("company", f"{prefix}-acme", {"name": "Acme"}, distinct_id=user))

# An identify with an illegal anonymous ID: refused with a warning, the event still lands.
count(client.capture("$identify", distinct_id=f"{prefix}-other", properties={"$anon_distinct_id": "null"}))

# Feature flags: the server has none, and the call must not fail.
flag = client.get_feature_flag("new-dashboard", user, send_feature_flag_events=False)

client.flush()
client.shutdown()

print(json.dumps({"events": sent, "errors": errors, "flag": flag}))
sys.exit(1 if errors else 0)
