"""One step of a browser-style identity flow, sent with the real PostHog Python SDK in sync mode
(the call returns once `identikit serve` committed the event), for the follow test.

Usage: browser_flow.py HOST API_KEY PREFIX STEP
  anonymous   an anonymous visitor's first page view        (new person)
  browse      a second page view                           (existing person)
  identify    they sign in: $identify with the anonymous ID  (linked ID)
  alias       the backend's ID aliased to the user           (linked ID)
  other       someone else signs in on another device        (new person for both IDs)
  refused     $identify of the user with the other's ID      (refused: already identified)
  reset       after posthog.reset(): a new anonymous ID      (new person)
Prints {"step": STEP, "flushed_at": unix seconds}; exits 1 on any SDK error.
"""
import json
import sys
import time

from posthog import Posthog

host, api_key, prefix, step = sys.argv[1:5]
errors = []
client = Posthog(api_key, host=host, sync_mode=True,
                 on_error=lambda error, batch: errors.append(f"{type(error).__name__}: {error}"))
anon, user = f"{prefix}-anon", f"{prefix}-user"

if step == "anonymous":
    client.capture("$pageview", distinct_id=anon, properties={"$current_url": "/"})
elif step == "browse":
    client.capture("$pageview", distinct_id=anon, properties={"$current_url": "/pricing"})
elif step == "identify":
    client.capture("$identify", distinct_id=user,
                   properties={"$anon_distinct_id": anon, "$set": {"email": f"{prefix}@example.com"}})
elif step == "alias":
    client.alias(previous_id=user, distinct_id=f"{prefix}-backend")
elif step == "other":
    client.capture("$identify", distinct_id=f"{prefix}-other", properties={"$anon_distinct_id": f"{prefix}-other-anon"})
elif step == "refused":
    client.capture("$identify", distinct_id=user, properties={"$anon_distinct_id": f"{prefix}-other"})
elif step == "reset":
    client.capture("$pageview", distinct_id=f"{prefix}-anon-2", properties={"$current_url": "/"})
else:
    sys.exit(f"unknown step {step}")

client.flush()
flushed = time.time()
client.shutdown()
print(json.dumps({"step": step, "flushed_at": flushed, "errors": errors}))
sys.exit(1 if errors else 0)
