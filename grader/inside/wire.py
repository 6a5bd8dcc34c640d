"""Constants both sides of the sandbox boundary must agree on, defined once. Standard library only."""

SANDBOX_UID = 65532  # the unprivileged user student code runs as (local and docker)
SYNC_MARKER = b"\x00\x00GRADER-SYNC "  # + 32 hex nonce + b"\n": starts a worker generation (docker)
MAX_FRAME_BYTES = 64 << 20  # one protocol frame, either direction
