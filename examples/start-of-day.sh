#!/bin/sh
# Start of the day: what needs attention (overdue, due soon, to pack and ship, sold out),
# then the messages to send to buyers who have not paid.
# Changes nothing: reminders are only recorded when you run `olshop remind` yourself.
#
#   examples/start-of-day.sh                            # your own ledger
#   OLSHOP_HOME=demo-shop examples/start-of-day.sh      # the demo shop (olshop demo)
set -e

# The digest already lists the paid bookings to pack and the sold-out products; the
# packing list itself is one command away: olshop pack
olshop today

echo
echo "== Messages for buyers who have not paid (send, then: olshop remind ID) =="
olshop remind --overdue --dry-run 2>/dev/null || true
