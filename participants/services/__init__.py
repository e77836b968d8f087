"""Services of participants: people.py (the register) and support.py (activities, attendance, contracts, placements, events)."""
