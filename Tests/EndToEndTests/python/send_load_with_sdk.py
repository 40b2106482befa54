"""Sends a known load through the real PostHog Python SDK, for counting what arrived.

Usage: send_load_with_sdk.py HOST API_KEY SIDE USERS PAUSE [UUIDS_FILE]
  For each i < USERS: a $pageview by the anonymous ID SIDE-anon-i, a $identify of user-i
  with that anonymous ID, and a "purchase" by user-i with $set {"last_side": SIDE}: three events
  a user, so two sides sending to the same store meet on the same persons. PAUSE seconds between
  users spreads the load over time (to run across a server restart). With UUIDS_FILE, every event
gets a uuid chosen here, and the file lists them one per line (to check each arrived exactly once).

The SDK batches in the background and retries failed batches (a 503) with backoff.
Prints one JSON line: {"events": N, "errors": [...]}; exits 1 on any SDK error.
"""
import json
import sys
import time
import uuid

from posthog import Posthog

host, api_key, side, users, pause = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
uuids_file = sys.argv[6] if len(sys.argv) > 6 else None
uuids = []
errors = []


def on_error(error, batch):
    errors.append(f"{type(error).__name__}: {error} ({len(batch)} events)")


# Eight retries back off 1, 2, 4, 8... seconds: enough to outlast a database restart.
client = Posthog(api_key, host=host, flush_at=10, flush_interval=0.1, max_retries=8, on_error=on_error)


def event_uuid():
    """A uuid of our own when they are listed, else the SDK's."""
    if uuids_file is None:
        return None
    chosen = str(uuid.uuid4())
    uuids.append(chosen)
    return chosen


sent = 0
for i in range(users):
    anon, user = f"{side}-anon-{i}", f"user-{i}"
    for result in (
        client.capture("$pageview", distinct_id=anon, properties={"$current_url": f"/{side}/{i}"}, uuid=event_uuid()),
        client.capture("$identify", distinct_id=user, properties={"$anon_distinct_id": anon}, uuid=event_uuid()),
        client.capture("purchase", distinct_id=user, properties={"$set": {"last_side": side}}, uuid=event_uuid()),
    ):
        if result is not None:
            sent += 1
    if pause > 0:
        time.sleep(pause)

client.flush()
client.shutdown()
if uuids_file is not None:
    with open(uuids_file, "w") as listing:
        listing.write("".join(f"{chosen}\n" for chosen in uuids))
print(json.dumps({"events": sent, "errors": errors}))
sys.exit(1 if errors else 0)
