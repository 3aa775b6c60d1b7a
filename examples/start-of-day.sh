#!/bin/sh
# Start of the day: what needs attention, the messages to send, what to pack.
# Changes nothing: reminders are only recorded when you run `olshop remind` yourself.
#
#   examples/start-of-day.sh                            # your own ledger
#   OLSHOP_HOME=demo-shop examples/start-of-day.sh      # the demo shop (olshop demo)
set -e

olshop today

echo
echo "== Messages for buyers who have not paid (send, then: olshop remind ID) =="
olshop remind --overdue --dry-run 2>/dev/null || true

echo "== Paid and waiting to be packed =="
olshop bookings --status paid 2>&1

echo
echo "== Sold out =="
olshop product list --sold-out 2>&1
