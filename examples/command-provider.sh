#!/bin/sh
# quotabar "command" provider example: print ONE JSON object describing an account.
#
# config.json:
#   { "provider": "command", "id": "mytool", "label": "My tool",
#     "command": ["/home/me/.config/quotabar/command-provider.sh"], "timeoutSeconds": 10 }
#
# "command" is an argv array, run directly with no shell (the first element may start with ~ or
# use $VARS; relative paths start from $HOME). A string is split on whitespace into the same argv,
# with no quoting rules; add "shell": true to hand the string to /bin/sh -c as written (pipes, $VARS).
# quotabar kills the script (and everything it started) after timeoutSeconds (default 10) and
# rejects more than 256 KiB of output. An absolute script path is watched: editing the script
# makes the account refresh again (within the 10 s floor).
#
# The object has the shape of a quotabar snapshot; every part is optional:
#   plan, email                 strings
#   windows[]   id, label, usedPercent (>= 0), resetsAt (ISO 8601 with Z or an offset, optional), windowSeconds (optional)
#   spend[]     id, label, used, limit (optional), currency ("USD"), period (day|week|month|block|total)
#   balances[]  id, label, amount, currency
# Ids use a-z 0-9 : . _ -   Unknown keys are rejected (so a typo is reported, not ignored).
# quotabar sets QUOTABAR_ACCOUNT (e.g. "command/mytool"), so one script can serve several accounts.
# A non-zero exit shows as an error with the first line of stderr.
#
# Replace the numbers below with your own source (a local counter, `curl ... | jq ...`, ...).
set -eu

used=${EXAMPLE_USED:-420}     # requests used today
limit=${EXAMPLE_LIMIT:-1000}  # requests allowed per day

if [ "$limit" -le 0 ]; then
  echo "EXAMPLE_LIMIT must be positive" >&2
  exit 3
fi

percent=$(awk -v u="$used" -v l="$limit" 'BEGIN { printf "%.1f", u * 100 / l }')
# The daily quota resets at midnight UTC: the end of today (EXAMPLE_RESET overrides it).
reset=${EXAMPLE_RESET:-$(date -u +%Y-%m-%dT23:59:59Z)}

cat <<JSON
{
  "plan": "Example (${QUOTABAR_ACCOUNT:-manual run})",
  "windows": [
    { "id": "daily", "label": "Requests", "usedPercent": $percent, "resetsAt": "$reset", "windowSeconds": 86400 }
  ],
  "spend": [
    { "id": "month", "label": "Spend", "used": 12.5, "limit": 50, "currency": "USD", "period": "month" }
  ],
  "balances": [
    { "id": "credits", "label": "Credits", "amount": 37.5, "currency": "USD" }
  ]
}
JSON
